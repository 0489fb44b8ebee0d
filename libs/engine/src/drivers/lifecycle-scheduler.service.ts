import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { chinaDate, Clock, CreditEvent, departmentSource, describeFailure, EVENT_TYPES, isSubjectKind, parseCreditEvent, RelatedPersonDto } from '@app/domain';
import type { EntryState, TaskState } from '@app/decision-log';
import { ADVISORY_LOCKS, CommitmentRepository, DecisionRepository, eventKey, InboundEventRepository, LifecycleRepository, OutboxSignal } from '@app/persistence';
import { addDays, hasBasisInForceOn } from '@app/rules';
import { CatalogueService } from '../catalogue.service';
import { CLOCK } from '../clock.token';
import { CLASS_BACKFILL_BATCH, ClassSubject, CreditClassService } from '../classes/credit-class.service';
import { CreditEventProcessor } from '../credit-event-processor.service';
import { AuditRetention } from '../lifecycle/audit-retention.service';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { commitmentBreachEvent, commitmentWithdrawalEvent } from '../lifecycle/commitment-breach-event';

export interface TickSummary {
  ran: boolean;
  escalated: number;
  expiredEntries: number;
  expiredTasks: number;
  /** Broken commitments announced to the engine as their events (reported ones and those found overdue). */
  breachedCommitments: number;
  /** Kept commitments the engine took into account: classes recomputed, corrected breaches withdrawn. */
  keptCommitments: number;
  /** Subjects listed before credit classes existed, classified by this tick. */
  classified: number;
  /** Subjects whose classes this tick recomputed because time alone changed their standing, or their model's revision changed. */
  reclassified: number;
}

/** Batches of the class sweep a tick runs, each in its own short transaction; more wait for the next tick. */
const CLASS_SWEEP_BATCHES_PER_TICK = 20;

/** Breaches announced (and kept commitments settled) per tick; more wait for the next tick, in the order they were recorded. */
const BREACHES_PER_TICK = 500;

/**
 * Time-driven transitions: escalation of unresolved key-attention entries (an abnormal-
 * operation entry unresolved for three years moves the enterprise to the serious list) and
 * expiry at the end of validity. A tick is one transaction; every transition is a conditional
 * update and every escalation a recorded event with a derived id, so a tick that crashes is
 * simply redone and a repeated tick changes nothing: it survives restarts and never double-fires.
 */
@Injectable()
export class LifecycleScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LifecycleScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly lifecycleRepository: LifecycleRepository,
    private readonly lifecycle: LifecycleService,
    private readonly inbox: InboundEventRepository,
    private readonly decisions: DecisionRepository,
    private readonly processor: CreditEventProcessor,
    private readonly audit: AuditRetention,
    private readonly outbox: OutboxSignal,
    private readonly commitments: CommitmentRepository,
    private readonly classes: CreditClassService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private lastPurgeDay?: string;

  onApplicationBootstrap(): void {
    if (this.config.LIFECYCLE_INTERVAL_MS <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((error: unknown) => this.logger.error(`lifecycle tick failed, will retry: ${describeFailure(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.LIFECYCLE_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async tick(now: Date = this.clock.now()): Promise<TickSummary> {
    const transitions = await this.transitions(now);
    const summary = { ...transitions, reclassified: transitions.ran ? await this.sweepClasses(now) : 0 };
    // Its changes' records go out at once, as the decisions' do (the relay waits on this process's commits).
    if (summary.escalated + summary.expiredEntries + summary.expiredTasks + summary.breachedCommitments + summary.keptCommitments + summary.classified + summary.reclassified > 0) this.outbox.committed();
    // Query logs past their retention go once a day, in their own transaction.
    const today = chinaDate(now);
    if (summary.ran && this.lastPurgeDay !== today) {
      await this.audit.purgeExpired();
      this.lastPurgeDay = today;
    }
    return summary;
  }

  /**
   * Classes that change with time alone (a fact leaving or entering its window, a model edited),
   * after the transitions: batches in transactions of their own, so a sweep of every classified
   * subject under a new model never holds one long transaction, and the tick's lock each time.
   */
  private async sweepClasses(now: Date): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < CLASS_SWEEP_BATCHES_PER_TICK; batch++) {
      const swept = await this.dataSource.transaction(async (manager) => {
        const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCKS.lifecycleScheduler]);
        return locked ? this.classes.sweep(manager, now, CLASS_BACKFILL_BATCH) : 0;
      });
      total += swept;
      if (swept < CLASS_BACKFILL_BATCH) break;
    }
    if (total > 0) this.logger.log(`lifecycle ${chinaDate(now)}: ${total} subjects' classes recomputed by time or model revision`);
    return total;
  }

  private async transitions(now: Date): Promise<Omit<TickSummary, 'reclassified'>> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCKS.lifecycleScheduler]);
      if (!locked) return { ran: false, escalated: 0, expiredEntries: 0, expiredTasks: 0, breachedCommitments: 0, keptCommitments: 0, classified: 0 };
      const today = chinaDate(now);
      // Escalation first: an entry due to escalate on the day it would expire escalates.
      const escalated = await this.escalate(manager, today, now);
      // The limitation first: an entry cut back to its limitation end ends for that reason, not as expired.
      let expiredEntries = 0;
      let expiredTasks = 0;
      const ended: ClassSubject[] = [];
      for (const reason of ['limitation-reached', 'expired'] as const) {
        const entries = await this.lifecycleRepository.expireEntries(manager, today, now, reason);
        await this.decisions.saveFeedRecords(manager, await this.lifecycle.announceEnded(manager, entries, reason, `${reason}/${today}`, now));
        const tasks = await this.lifecycleRepository.expireTasks(manager, today, now, reason);
        await this.decisions.saveFeedRecords(manager, await this.lifecycle.announceEnded(manager, { entries: [], tasks }, reason, `task-${reason}/${today}`, now));
        expiredEntries += entries.entries.length;
        expiredTasks += entries.tasks.length + tasks.length;
        ended.push(...classSubjectsOf(entries, `${reason}/${today}`), ...classSubjectsOf({ entries: [], tasks }, `task-${reason}/${today}`));
      }
      const repealed = await this.endRepealedBases(manager, today, now);
      expiredTasks += repealed.length;
      ended.push(...classSubjectsOf({ entries: [], tasks: repealed }, `basis-repealed/${today}`));
      // What ended may change a class: recomputed in this tick's transaction, with the ends; then subjects listed before classes existed.
      await this.classes.recompute(manager, ended, now);
      // Broken commitments' events are decided (and their subjects' classes recomputed) by the processor's store, in this transaction too.
      const breachedCommitments = await this.announceBreaches(manager, today, now);
      const keptCommitments = await this.settleKept(manager, today, now);
      const classified = await this.classes.backfill(manager, now);
      const summary = { ran: true, escalated, expiredEntries, expiredTasks, breachedCommitments, keptCommitments, classified };
      if (escalated + summary.expiredEntries + summary.expiredTasks + breachedCommitments + keptCommitments + classified > 0) this.logger.log(`lifecycle ${today}: ${JSON.stringify(summary)}`);
      return summary;
    });
  }

  /**
   * Commitments not kept by their date (inclusive) are broken from the next day; every broken
   * commitment, reported or overdue, becomes its credit.commitment.breached.v1 event, recorded
   * in the intake as from the recording department and decided, in this transaction, with the
   * commitment marked announced: an event id derived from the commitment, so never twice.
   */
  private async announceBreaches(manager: EntityManager, today: string, now: Date): Promise<number> {
    await this.commitments.breachOverdue(manager, today, now);
    const breaches = await this.commitments.unannouncedBreaches(manager, BREACHES_PER_TICK);
    const events: CreditEvent[] = [];
    const announced: { id: string; eventId: string }[] = [];
    for (const row of breaches) {
      // One row its event refuses (stored before its body was checked as the intake checks events) must not stop every later tick: it waits, logged by id only.
      try {
        const event = commitmentBreachEvent(row, now);
        events.push(event);
        announced.push({ id: row.id, eventId: event.id });
      } catch (error) {
        this.logger.error(`commitment ${row.id}: its breach event is refused (${describeFailure(error)}); it stays unannounced`);
      }
    }
    // One statement for the intake and one for the commitments, whatever the number of breaches.
    const fresh = await this.recordEvents(manager, events);
    await this.commitments.markAnnounced(manager, announced);
    if (fresh.length > 0) await this.processor.store(manager, await this.processor.decide(fresh, now), now);
    return breaches.length;
  }

  /**
   * Commitments reported kept since the last tick: their subjects' classes are recomputed
   * (commitments.kept is a fact). A corrected automatic breach whose event was already decided is
   * withdrawn first, by a removal of each decision the breach caused, as from the department that
   * may remove it (its list's identifying department, or the recording department for measures
   * without a list entry, as commitment-breaches decides): the removal path tells every addressee
   * and recomputes the class in this transaction.
   */
  private async settleKept(manager: EntityManager, today: string, now: Date): Promise<number> {
    const unsettled = await this.commitments.unsettledKept(manager, BREACHES_PER_TICK);
    if (unsettled.length === 0) return 0;
    const withdrawals: CreditEvent[] = [];
    const settled: { id: string; withdrawalEventId: string | null }[] = [];
    const recomputed: ClassSubject[] = [];
    for (const { row, breachDecisions } of unsettled) {
      // As for breaches: one row whose withdrawal event is refused must not stop every later tick; it stays unsettled, logged by id only.
      let events: CreditEvent[];
      try {
        events = breachDecisions.map((decision) => commitmentWithdrawalEvent(row, decision, today, now));
      } catch (error) {
        this.logger.error(`commitment ${row.id}: its withdrawal event is refused (${describeFailure(error)}); it stays unsettled`);
        continue;
      }
      withdrawals.push(...events);
      settled.push({ id: row.id, withdrawalEventId: events[0]?.id ?? null });
      if (events.length === 0) recomputed.push({ idType: row.subjectIdType, id: row.subjectId, kind: isSubjectKind(row.subjectKind) ? row.subjectKind : undefined, causeKey: `commitment-kept/${row.id}` });
    }
    const fresh = await this.recordEvents(manager, withdrawals);
    if (fresh.length > 0) await this.processor.store(manager, await this.processor.decide(fresh, now), now);
    await this.classes.recompute(manager, recomputed, now);
    await this.commitments.markSettled(manager, settled, now);
    return settled.length;
  }

  /** Events the engine made, into the intake in one statement; answers those not made before, in their order. */
  private async recordEvents(manager: EntityManager, events: readonly CreditEvent[]): Promise<CreditEvent[]> {
    const recorded = await this.inbox.recordInternalAll(
      manager,
      events.map((event) => ({ source: event.source, id: event.id, type: event.type, subject: event.subject, envelope: event as unknown as Record<string, unknown> })),
    );
    return events.filter((event) => recorded.has(eventKey(event.source, event.id)));
  }

  /**
   * From the day the last instrument a measure rests on is repealed, its tasks in force end
   * (reason basis-repealed) and every addressee is told: no measure is applied without a basis
   * in force. The planner already stopped new ones on that day.
   */
  private async endRepealedBases(manager: EntityManager, today: string, now: Date): Promise<TaskState[]> {
    const baseless = new Map<string, string[]>();
    for (const memorandum of this.catalogue.rules.ruleSet.memoranda) {
      const codes = memorandum.measures.filter((m) => !hasBasisInForceOn(m, memorandum.kind, today)).map((m) => m.code);
      if (codes.length > 0) baseless.set(memorandum.id, codes);
    }
    const tasks = await this.lifecycleRepository.endTasksOfMeasures(manager, baseless, 'basis-repealed', now);
    await this.decisions.saveFeedRecords(manager, await this.lifecycle.announceEnded(manager, { entries: [], tasks }, 'basis-repealed', `basis-repealed/${today}`, now));
    return tasks;
  }

  private async escalate(manager: EntityManager, today: string, now: Date): Promise<number> {
    let count = 0;
    for (const memorandum of this.catalogue.rules.ruleSet.memoranda) {
      const escalation = memorandum.list.escalation;
      if (!escalation) continue;
      const target = this.catalogue.rules.ruleSet.list(escalation.toList);
      if (!target) continue;
      for (const entry of await this.lifecycleRepository.activeEntriesStartedBy(manager, memorandum.list.code, addDays(today, -escalation.afterDays))) {
        const event = await this.escalationEvent(manager, entry, escalation.toList, target.identifyingDepartment, today, now);
        if (!(await this.inbox.recordInternal(manager, { source: event.source, id: event.id, type: event.type, subject: event.subject, envelope: event as unknown as Record<string, unknown> }))) continue;
        const { records } = await this.lifecycle.end(manager, [entry], 'escalated', `escalation/${entry.id}`, now);
        await this.decisions.saveFeedRecords(manager, records);
        await this.processor.store(manager, await this.processor.decide([event], now), now);
        count++;
      }
    }
    return count;
  }

  /** The listing the identifying department of the serious list would publish, made by the engine. */
  private async escalationEvent(manager: EntityManager, entry: EntryState, toList: string, department: string, today: string, now: Date): Promise<CreditEvent> {
    const cause = await this.lifecycleRepository.causeEnvelope(manager, entry.causeEventSource, entry.causeEventId);
    const relatedPersons = ((cause?.data as { relatedPersons?: RelatedPersonDto[] } | undefined)?.relatedPersons ?? []).map(({ role, idType, id, name }) => ({ role, idType, id, name }));
    return parseCreditEvent({
      specversion: '1.0',
      id: `escalation-${entry.id}`,
      source: departmentSource(department),
      type: EVENT_TYPES.listEntryAdded,
      subject: entry.subjectId,
      time: now.toISOString(),
      data: {
        subject: { kind: entry.subjectKind, idType: entry.subjectIdType, id: entry.subjectId, name: entry.subjectName },
        ...(relatedPersons.length > 0 ? { relatedPersons } : {}),
        documentNumber: `escalation of ${entry.listCode} entry ${entry.id}`,
        decidedOn: today,
        // No conductEndedOn: the conduct escalated is the failure to resolve the entry, which continued until today.
        validFrom: today,
        listCode: toList,
        reason: `${entry.listCode}-unresolved`,
      },
    });
  }
}

/** The subjects whose standing ended entries and tasks change: listed subjects, and the targets of tasks aimed at the subject itself. */
function classSubjectsOf(ended: { entries: readonly EntryState[]; tasks: readonly TaskState[] }, causeKey: string): ClassSubject[] {
  return [
    ...ended.entries.map((e) => ({ idType: e.subjectIdType, id: e.subjectId, kind: e.subjectKind, causeKey })),
    ...ended.tasks.filter((t) => t.targetRole === 'subject').map((t) => ({ idType: t.targetIdType, id: t.targetId, causeKey })),
  ];
}
