import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { causeKeyOf, chinaDate, Clock, CreditEvent, departmentOf, DueDate } from '@app/domain';
import { decisionIssuedEntries, FeedRecordInput, OUTCOME_CODES, refusalRecord } from '@app/decision-log';
import { DecidedConductRepository, DecisionRepository, LifecycleRepository } from '@app/persistence';
import { buildCreditFacts, conductKeyOf, conductKeyText, PlannedDecision, PlannedRefusal, planEvent, RuleEvaluator, RuleSet, splitRepeatedConduct } from '@app/rules';
import { CalendarService } from './calendar/calendar.service';
import { CatalogueService } from './catalogue.service';
import { CreditClassService } from './classes/credit-class.service';
import { CLOCK } from './clock.token';
import { CoordinationService, DecidedEvent } from './coordination/coordination.service';
import { DecidedForExchange, ExchangeOutboxWriter } from './exchange/exchange-outbox.writer';
import { LIFECYCLE_EVENT_TYPES, LifecycleService } from './lifecycle/lifecycle.service';

/** A decision not stored because its conduct is already decided: which decision holds it, and what of it concerns the subject. */
interface RepeatedConduct {
  decision: PlannedDecision;
  heldBy: { decisionId: string; causeKey: string; entries: string[]; tasks: string[] };
}

export interface ProcessedEvent {
  event: CreditEvent;
  decisions: PlannedDecision[];
  /** Memoranda that matched but may not act (conduct past its limitation), told to the departments concerned. */
  refusals: PlannedRefusal[];
}

/**
 * What the rules decide about one event on the China date `today`, before anything is stored:
 * facts → matches → plan. The engine decides every event through it, and so does a what-if
 * simulation over history (libs/policy), so a draft is judged exactly as the engine would.
 */
export async function decideEvent(event: CreditEvent, rules: { ruleSet: RuleSet; evaluator: RuleEvaluator; release?: { version: number } | null }, today: string): Promise<ProcessedEvent> {
  const facts = buildCreditFacts(event, rules.ruleSet);
  const matches = await rules.evaluator.evaluate(facts);
  return { event, ...planEvent(event, facts, matches, { ruleSetRevision: rules.ruleSet.revision, ruleSetRelease: rules.release?.version, today }) };
}

/** Working days an implementing department has to report back when a measure names none. */
export const DEFAULT_FEEDBACK_WORKING_DAYS = 5;

/**
 * Decides a batch of validated events and stores their effects in the caller's
 * transaction (the caller commits them with its processed-event marker, or not at all):
 * new decisions with their feed records, and lifecycle changes (removal, repair,
 * objections) in stream order, then the credit classes of the subjects concerned. Red lists yield to blacklists: no red-list grant while the
 * subject is blacklisted, and a new blacklist entry revokes the subject's red-list entries.
 */
@Injectable()
export class CreditEventProcessor {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly decisions: DecisionRepository,
    private readonly decidedConduct: DecidedConductRepository,
    private readonly lifecycleRepository: LifecycleRepository,
    private readonly lifecycle: LifecycleService,
    private readonly calendars: CalendarService,
    private readonly classes: CreditClassService,
    private readonly exchange: ExchangeOutboxWriter,
    private readonly coordination: CoordinationService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async decide(events: readonly CreditEvent[], now: Date = this.clock.now()): Promise<ProcessedEvent[]> {
    // One instant per batch, one release per batch: engines whose clocks agree switch together.
    const rules = this.catalogue.rulesToDecideAt(now);
    const today = chinaDate(now);
    const processed: ProcessedEvent[] = [];
    for (const event of events) processed.push(await decideEvent(event, rules, today));
    return processed;
  }

  async store(manager: EntityManager, processed: readonly ProcessedEvent[], now: Date = this.clock.now()): Promise<void> {
    // Order matters only per subject: events about subjects untouched by this batch's lifecycle
    // events are stored set-wise in one run; the others go in stream order around each change.
    const changing = new Set(processed.filter((p) => LIFECYCLE_EVENT_TYPES.has(p.event.type)).map((p) => p.event.data.subject.id));
    const forPeers: DecidedForExchange[] = [];
    const decided: DecidedEvent[] = [];
    const stored = (run: readonly ProcessedEvent[]) =>
      this.storeRun(manager, run, now).then((decisions) => {
        const events = decidedEvents(run, decisions);
        decided.push(...events);
        // Only a deployment that sends anything pays for the copies' memoranda.
        if (this.exchange.sends) forPeers.push(...events.map(({ event, decisions: of }) => ({ event, memoranda: [...new Set(of.map((d) => d.memorandumId))] })));
      });
    await stored(processed.filter((p) => !changing.has(p.event.data.subject.id)));
    let run: ProcessedEvent[] = [];
    for (const item of processed.filter((p) => changing.has(p.event.data.subject.id))) {
      if (!LIFECYCLE_EVENT_TYPES.has(item.event.type)) {
        run.push(item);
        continue;
      }
      await stored(run);
      run = [];
      const { records, outcome } = await this.lifecycle.apply(manager, item.event, now);
      await this.decisions.saveFeedRecords(manager, records);
      await this.lifecycleRepository.recordOutcome(manager, item.event.source, item.event.id, { ...outcome });
      if (outcome.status === 'applied' && this.exchange.sends) forPeers.push({ event: item.event, memoranda: await this.exchange.memorandaOf(manager, outcome.entries, outcome.tasks) });
    }
    await stored(run);
    await this.coordination.open(manager, decided, now);
    await this.exchange.write(manager, forPeers);
    // Every subject an event was decided about, its class recomputed from what is now stored, in this transaction.
    await this.classes.recompute(
      manager,
      processed.map(({ event }) => ({ idType: event.data.subject.idType, id: event.data.subject.id, kind: event.data.subject.kind, causeKey: causeKeyOf(event.source, event.id) })),
      now,
    );
  }

  /** Store a run of ordinary events set-wise: one statement per table for the whole run. */
  private async storeRun(manager: EntityManager, run: readonly ProcessedEvent[], now: Date): Promise<readonly PlannedDecision[]> {
    if (run.length === 0) return [];
    const all = run.flatMap((p) => p.decisions);
    const { fresh, repeats } = await this.withoutDecidedConduct(manager, all);
    const { granted, refusals } = await this.refuseRedWhileBlack(manager, fresh, now);
    // One due date per distinct period in a run (a few), not a calendar walk per task (thousands).
    const today = chinaDate(now);
    const calendar = this.calendars.current;
    const dueDates = new Map<number, { due: DueDate; tasks: number }>();
    const dueOn = (days: number | null) => {
      const period = days ?? DEFAULT_FEEDBACK_WORKING_DAYS;
      let entry = dueDates.get(period);
      if (entry === undefined) dueDates.set(period, (entry = { due: calendar.dueDate(today, period), tasks: 0 }));
      entry.tasks++;
      return entry.due;
    };
    const stored = granted.map((d) => ({
      ...d,
      measureTasks: d.measureTasks.map((t) => {
        const due = dueOn(t.feedbackDueWorkingDays);
        return { ...t, feedbackDueOn: due.date, feedbackDueProvisional: due.provisional !== undefined };
      }),
    }));
    for (const { due, tasks } of dueDates.values()) this.calendars.recordProvisional(today, due, tasks);
    const timeBarred = run.flatMap((p) => this.timeBarredRecords(p, now));
    // decision.issued goes into the feed as an index entry: its records are rendered from the decision when read or relayed.
    const repeatRecords = repeats.map((r) => this.repeatedConductRecord(r, now));
    await this.decisions.saveAll(manager, stored, [...decisionIssuedEntries(stored), ...refusals, ...timeBarred, ...repeatRecords], { at: now, memoranda: this.catalogue.rulesAt(now).memoranda });
    await this.supersedeRed(manager, stored, now);
    await this.recordRefusedOutcomes(manager, run, new Set(stored.map((d) => d.id)), repeats);
    return stored;
  }

  /**
   * The decisions whose conduct (memorandum × subject × document number) nobody has decided yet,
   * stored or earlier in this run; the others are repeats, told to their sender and not stored:
   * the same judgment or penalty arriving by a second route (a district's relay and the city's own
   * copy) is one finding, and its subject is listed and sanctioned once.
   */
  private async withoutDecidedConduct(manager: EntityManager, decisions: readonly PlannedDecision[]): Promise<{ fresh: PlannedDecision[]; repeats: RepeatedConduct[] }> {
    const keys = decisions.flatMap((d) => conductKeyOf(d) ?? []);
    if (keys.length === 0) return { fresh: [...decisions], repeats: [] };
    await this.decidedConduct.lock(manager, keys);
    const decided = new Map((await this.decidedConduct.find(manager, keys)).map((c) => [conductKeyText(c), c]));
    const repeats: RepeatedConduct[] = [];
    const undecided = decisions.filter((decision) => {
      const key = conductKeyOf(decision);
      const held = key && decided.get(conductKeyText(key));
      // A decision with this very id is this event decided again (a key conflict, as before), not a second route.
      if (!held || held.decisionId === decision.id) return true;
      repeats.push({ decision, heldBy: { decisionId: held.decisionId, causeKey: causeKeyOf(held.causeEventSource, held.causeEventId), entries: held.entries, tasks: held.tasks } });
      return false;
    });
    const { first, repeated } = splitRepeatedConduct(undecided);
    for (const { decision, original } of repeated) {
      const subjectId = conductKeyOf(original)?.subjectId;
      repeats.push({
        decision,
        heldBy: {
          decisionId: original.id,
          causeKey: causeKeyOf(original.causeEventSource, original.causeEventId),
          entries: original.listEntries.filter((e) => e.subject.id === subjectId).map((e) => e.id),
          tasks: original.measureTasks.filter((t) => t.target.id === subjectId).map((t) => t.id),
        },
      });
    }
    return { fresh: first, repeats };
  }

  /** change.no-effect (EVENT.CONDUCT_ALREADY_DECIDED) to the department that sent the repeat, naming what already holds the conduct. */
  private repeatedConductRecord({ decision, heldBy }: RepeatedConduct, now: Date): FeedRecordInput {
    const key = conductKeyOf(decision)!;
    const reason = `the same conduct (document ${key.documentNumber}) is already decided under ${decision.memorandumId} from event ${heldBy.causeKey} (decision ${heldBy.decisionId}): nothing new is decided`;
    return refusalRecord(
      {
        kind: 'change.no-effect',
        code: OUTCOME_CODES.conductAlreadyDecided,
        reason,
        detail: { memorandum: decision.memorandumId, list: decision.listEntries[0]?.listCode, entries: heldBy.entries, tasks: heldBy.tasks },
      },
      departmentOf(decision.causeEventSource) ?? decision.causeEventSource,
      key.subjectId,
      causeKeyOf(decision.causeEventSource, decision.causeEventId),
      now,
    );
  }

  /** sanction.refused to the identifying and publishing departments of each memorandum that found the conduct time-barred. */
  private timeBarredRecords({ event, refusals }: ProcessedEvent, now: Date): FeedRecordInput[] {
    return refusals.flatMap((refusal) =>
      refusal.departments.map((department) =>
        refusalRecord(
          { kind: 'sanction.refused', code: refusal.code, reason: refusal.reason, detail: { memorandum: refusal.memorandumId, lastUsableOn: refusal.limitation.lastUsableOn } },
          department,
          event.data.subject.id,
          causeKeyOf(event.source, event.id),
          now,
        ),
      ),
    );
  }

  /**
   * An event that matched memoranda but had every one refused (conduct past its limitation, a
   * red list while blacklisted) is "refused" in its status (GET /v1/events/{source}/{id}), with the code.
   */
  private async recordRefusedOutcomes(manager: EntityManager, run: readonly ProcessedEvent[], storedIds: ReadonlySet<string>, repeats: readonly RepeatedConduct[]): Promise<void> {
    const repeatOf = new Map(repeats.map((r) => [r.decision.id, r]));
    for (const { event, decisions, refusals } of run) {
      if (decisions.length + refusals.length === 0 || decisions.some((d) => storedIds.has(d.id))) continue;
      // Every decision a repeat of a conduct decided before: decided, with no effect, naming what holds it.
      if (refusals.length === 0 && decisions.every((d) => repeatOf.has(d.id))) {
        const held = decisions.map((d) => repeatOf.get(d.id)!.heldBy);
        await this.lifecycleRepository.recordOutcome(manager, event.source, event.id, {
          status: 'no-effect',
          code: OUTCOME_CODES.conductAlreadyDecided,
          reason: `the same conduct is already decided from ${[...new Set(held.map((h) => h.causeKey))].join(', ')} (decision ${held.map((h) => h.decisionId).join(', ')})`,
          entries: held.flatMap((h) => h.entries),
          tasks: held.flatMap((h) => h.tasks),
        });
        continue;
      }
      if (decisions.some((d) => repeatOf.has(d.id))) continue;
      const refusedGrants = decisions.map((d) => ({ code: OUTCOME_CODES.blacklisted, memorandumId: d.memorandumId, reason: `no red-list entry of ${d.memorandumId} while the subject is blacklisted` }));
      const all = [...refusals, ...refusedGrants];
      await this.lifecycleRepository.recordOutcome(manager, event.source, event.id, {
        status: 'refused',
        code: all[0].code,
        reason: all.map((r) => r.reason).join('; '),
        memoranda: all.map((r) => r.memorandumId),
      });
    }
  }

  private async refuseRedWhileBlack(manager: EntityManager, decisions: PlannedDecision[], now: Date): Promise<{ granted: PlannedDecision[]; refusals: FeedRecordInput[] }> {
    const red = decisions.filter((d) => d.listEntries.some((e) => e.listType === 'red'));
    if (red.length === 0) return { granted: decisions, refusals: [] };
    const subjects = [...new Set(red.map((d) => d.listEntries[0].subject.id))];
    const blacklisted = new Set([
      ...(await this.lifecycleRepository.activeEntries(manager, subjects, { listType: 'black' })).map((e) => e.subjectId),
      ...decisions.flatMap((d) => d.listEntries.filter((e) => e.listType === 'black').map((e) => e.subject.id)),
    ]);
    const refused = red.filter((d) => blacklisted.has(d.listEntries[0].subject.id));
    const refusals = refused.map((d) => {
      const entry = d.listEntries[0];
      const reason = `no red-list entry is granted while the subject has an active blacklist entry`;
      return refusalRecord(
        { kind: 'grant.refused', code: OUTCOME_CODES.blacklisted, reason, detail: { list: entry.listCode, memorandum: d.memorandumId } },
        entry.identifyingDepartment,
        entry.subject.id,
        causeKeyOf(d.causeEventSource, d.causeEventId),
        now,
      );
    });
    return { granted: decisions.filter((d) => !refused.includes(d)), refusals };
  }

  /** Revocation of red lists when the same subject becomes seriously dishonest. */
  private async supersedeRed(manager: EntityManager, stored: PlannedDecision[], now: Date): Promise<void> {
    const black = stored.filter((d) => d.listEntries.some((e) => e.listType === 'black'));
    if (black.length === 0) return;
    const reds = await this.lifecycleRepository.activeEntries(manager, [...new Set(black.map((d) => d.listEntries[0].subject.id))], { listType: 'red' });
    for (const decision of black) {
      const mine = reds.filter((e) => e.subjectId === decision.listEntries[0].subject.id);
      if (mine.length === 0) continue;
      // Caused by the blacklisting event: its status (GET /v1/events/{source}/{id}) lists these records too.
      const { records } = await this.lifecycle.end(manager, mine, 'superseded', causeKeyOf(decision.causeEventSource, decision.causeEventId), now);
      await this.decisions.saveFeedRecords(manager, records);
    }
  }
}

/** The events of a run with the decisions stored for them (a repeat has none: its holder was decided before). */
function decidedEvents(run: readonly ProcessedEvent[], stored: readonly PlannedDecision[]): DecidedEvent[] {
  const byCause = new Map<string, PlannedDecision[]>();
  for (const d of stored) {
    const key = causeKeyOf(d.causeEventSource, d.causeEventId);
    byCause.set(key, [...(byCause.get(key) ?? []), d]);
  }
  return run.flatMap(({ event }) => {
    const decisions = byCause.get(causeKeyOf(event.source, event.id));
    return decisions === undefined ? [] : [{ event, decisions }];
  });
}
