import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AssociationSanctionWithdrawnData, causeKeyOf, chinaDate, CreditEvent, departmentOf, EVENT_TYPES, findingDepartmentOf, LifecycleTargetData, ObjectionFiledData, ObjectionResolvedData } from '@app/domain';
import { EndReason, EntryState, FeedEntry, LifecycleChange, lifecycleEntries, OUTCOME_CODES, OutcomeCode, Refusal, RefusalKind, refusalRecord, TaskState } from '@app/decision-log';
import { LifecycleRepository, StandaloneTaskState } from '@app/persistence';
import { addDays, DEFAULT_PENALTY_PUBLICITY, differenceInDays, earliestPenaltyRepairOn, maxDate, Memorandum, penaltyPublicityOf } from '@app/rules';
import { CatalogueService } from '../catalogue.service';

export const LIFECYCLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  EVENT_TYPES.listEntryRemoved,
  EVENT_TYPES.repairApproved,
  EVENT_TYPES.objectionFiled,
  EVENT_TYPES.objectionResolved,
  EVENT_TYPES.associationSanctionWithdrawn,
]);

/** What a lifecycle event did, stored with the event (GET /v1/events/{source}/{id}) and told to its sender when it changed nothing. */
export interface LifecycleOutcome {
  status: 'applied' | 'refused' | 'no-effect';
  code?: OutcomeCode;
  reason?: string;
  entries: string[];
  tasks: string[];
}

export interface LifecycleResult {
  /** Lifecycle records as index entries over their stored change; refusals whole. */
  records: FeedEntry[];
  outcome: LifecycleOutcome;
}

/**
 * Removal, repair (信用修复) and objections (异议) change decisions already issued. Each
 * change ends or flags the entries and tasks concerned and tells every addressee; a change
 * that is refused, or finds nothing to change, is told to the department that sent it.
 * "Whoever identifies, repairs": a list's events come only from its identifying department
 * (the departments registry), and a decision or penalty named directly may be removed or
 * repaired only by the department that published it.
 */
@Injectable()
export class LifecycleService {
  constructor(
    private readonly lifecycle: LifecycleRepository,
    private readonly catalogue: CatalogueService,
  ) {}

  async apply(manager: EntityManager, event: CreditEvent, at: Date): Promise<LifecycleResult> {
    const causeKey = causeKeyOf(event.source, event.id);
    const told = new Outcomes(event, causeKey, at);
    switch (event.type) {
      case EVENT_TYPES.listEntryRemoved:
      case EVENT_TYPES.repairApproved:
        return this.endTargets(manager, event, told);
      case EVENT_TYPES.objectionFiled: {
        const { objectionId, listCode } = event.data as ObjectionFiledData;
        const entries = await this.lifecycle.activeEntries(manager, [event.data.subject.id], { listCode });
        if (entries.length === 0) return told.noEffect(OUTCOME_CODES.nothingActive, `no active entry on list "${listCode}" for this subject`, { list: listCode });
        const changed = await this.lifecycle.setDisputed(manager, entries.map((e) => e.id), true, objectionId);
        if (changed.entries.length === 0) return told.noEffect(OUTCOME_CODES.alreadyDisputed, `the entries on list "${listCode}" are already disputed`, { list: listCode, entries: entries.map((e) => e.id) });
        return this.announce(manager, { kind: 'decision.disputed', reason: 'objection-filed', causeKey, ...changed }, at);
      }
      case EVENT_TYPES.objectionResolved: {
        const { outcome, objectionId, listCode } = event.data as ObjectionResolvedData;
        const entries = await this.lifecycle.activeEntries(manager, [event.data.subject.id], { listCode });
        // A resolution settles its own objection only, not another one pending on the same list.
        const disputed = entries.filter((e) => e.disputed && e.objectionId === objectionId);
        if (disputed.length === 0) return told.noEffect(OUTCOME_CODES.notDisputed, `no entry on list "${listCode}" is disputed by objection ${objectionId.slice(0, 64)}`, { list: listCode });
        if (outcome === 'revoked') return this.end(manager, disputed, 'objection-revoked', causeKey, at);
        const changed = await this.lifecycle.setDisputed(manager, disputed.map((e) => e.id), false, objectionId);
        return this.announce(manager, { kind: 'decision.confirmed', reason: 'objection-confirmed', causeKey, ...changed }, at);
      }
      case EVENT_TYPES.associationSanctionWithdrawn:
        return this.withdrawSanction(manager, event, told);
      default:
        throw new Error(`not a lifecycle event: ${event.type}`);
    }
  }

  /** End entries for a reason and announce it (also used by red-list supersession and escalation). */
  async end(manager: EntityManager, entries: readonly EntryState[], reason: EndReason, causeKey: string, at: Date): Promise<LifecycleResult> {
    const changed = await this.lifecycle.endEntries(manager, entries.map((e) => e.id), reason, at);
    return this.announce(manager, { kind: 'decision.revoked', reason, causeKey, ...changed }, at);
  }

  /** Announce ends that already happened (the scheduler's expiries). */
  async announceEnded(manager: EntityManager, ended: { entries: EntryState[]; tasks: TaskState[] }, reason: EndReason, causeKey: string, at: Date): Promise<FeedEntry[]> {
    return (await this.announce(manager, { kind: 'decision.revoked', reason, causeKey, ...ended }, at)).records;
  }

  /**
   * An association withdraws one of its own sanctions (only its own: they are looked up by its
   * source): the sanction leaves the record (the record's readers skip a sanction with an applied
   * withdrawal), and the measures that followed it end, told to their addressees like a removal.
   * A withdrawal is applied even when no measure followed (a warning): the record itself changed.
   */
  private async withdrawSanction(manager: EntityManager, event: CreditEvent, told: Outcomes): Promise<LifecycleResult> {
    const { subject, sanctionDocumentNumber } = event.data as AssociationSanctionWithdrawnData;
    const sanctions = await this.lifecycle.recordedSanctions(manager, event.source, subject, sanctionDocumentNumber);
    if (sanctions.length === 0) {
      return told.noEffect(OUTCOME_CODES.nothingActive, `no sanction ${sanctionDocumentNumber.slice(0, 120)} of this association about this subject is on record (or it was withdrawn already)`, {});
    }
    const tasks = (await this.lifecycle.activeStandaloneTasks(manager, { documentNumber: sanctionDocumentNumber, subjectId: subject.id })).filter((t) => t.causeEventSource === event.source);
    const ended = await this.lifecycle.endTasksById(manager, tasks.map((t) => t.id), 'removed', told.at);
    const result = await this.announce(manager, { kind: 'decision.revoked', reason: 'removed', causeKey: told.causeKey, entries: [], tasks: ended }, told.at);
    return { records: result.records, outcome: { ...result.outcome, status: 'applied' } };
  }

  /** Removal or repair of what the event names: a list entry, a decision, or a penalty's measures. */
  private async endTargets(manager: EntityManager, event: CreditEvent, told: Outcomes): Promise<LifecycleResult> {
    const data = event.data as LifecycleTargetData;
    const repair = event.type === EVENT_TYPES.repairApproved;
    const refusalKind: RefusalKind = repair ? 'repair.refused' : 'removal.refused';
    const reason: EndReason = repair ? 'repaired' : 'removed';
    // "Whoever identifies, repairs": a relayed change is its original department's; what that peer's bridge relayed it may change too.
    const sender = findingDepartmentOf(event);
    const publishers = new Set([sender, departmentOf(event.source)]);

    let entries: EntryState[];
    let tasks: StandaloneTaskState[];
    if (data.listCode !== undefined) {
      entries = await this.lifecycle.activeEntries(manager, [data.subject.id], { listCode: data.listCode });
      tasks = [];
      if (entries.length === 0) return told.noEffect(OUTCOME_CODES.nothingActive, `no active entry on list "${data.listCode}" for this subject`, { list: data.listCode });
    } else {
      const subjectId = data.subject.id;
      const target = data.decisionId !== undefined ? { decisionId: data.decisionId, subjectId } : { documentNumber: data.penaltyDocumentNumber!, subjectId };
      entries = data.decisionId !== undefined ? await this.lifecycle.activeEntriesOfDecision(manager, data.decisionId, subjectId) : [];
      tasks = await this.lifecycle.activeStandaloneTasks(manager, target);
      const named = data.decisionId !== undefined ? `decision ${data.decisionId}` : `penalty decision ${data.penaltyDocumentNumber}`;
      if (entries.length + tasks.length === 0) return told.noEffect(OUTCOME_CODES.nothingActive, `${named} has no entry or measure in force for this subject`, {});
      const foreign = [...entries.filter((e) => e.identifyingDepartment !== sender), ...tasks.filter((t) => !publishers.has(departmentOf(t.causeEventSource)))];
      if (foreign.length > 0) {
        return told.refused(refusalKind, OUTCOME_CODES.notIdentifyingDepartment, `${named} was published by another department; only the department that identified it may ${repair ? 'repair' : 'remove'} it`, {
          entries: entries.map((e) => e.id),
          tasks: tasks.map((t) => t.id),
        });
      }
    }

    if (repair) {
      const refusal = this.repairRefusal(entries, tasks, told.today);
      if (refusal) return told.refused('repair.refused', refusal.code, refusal.reason, { ...refusal.detail, ...(data.listCode ? { list: data.listCode } : {}), entries: entries.map((e) => e.id), tasks: tasks.map((t) => t.id) });
    }
    const ended = await this.lifecycle.endEntries(manager, entries.map((e) => e.id), reason, told.at);
    const endedTasks = await this.lifecycle.endTasksById(manager, tasks.map((t) => t.id), reason, told.at);
    return this.announce(manager, { kind: 'decision.revoked', reason, causeKey: told.causeKey, entries: ended.entries, tasks: [...ended.tasks, ...endedTasks] }, told.at);
  }

  /**
   * A repair is refused when a memorandum does not allow it, or before the minimum: for list
   * entries `repair.minimumDays` from their first day, for penalty-based measures the minimum
   * publicity of the penalty's severity (DOMAIN §4), whatever the list's `repair.allowed` says:
   * the law makes every published penalty repairable once its minimum is served. The refusal
   * names the earliest date.
   */
  private repairRefusal(entries: readonly EntryState[], tasks: readonly StandaloneTaskState[], today: string): Omit<Refusal, 'kind'> | undefined {
    let earliest: string | undefined;
    for (const entry of entries) {
      const memorandum = this.memorandum(entry.memorandumId);
      if (!memorandum?.repair.allowed) {
        return { code: OUTCOME_CODES.repairNotAllowed, reason: `memorandum ${memorandum?.id ?? entry.memorandumId} does not allow credit repair of list "${entry.listCode}"` };
      }
      const minimum = memorandum.repair.minimumDays ?? 0;
      if (differenceInDays(entry.validFrom, today) < minimum) earliest = maxDate(earliest ?? today, addDays(entry.validFrom, minimum));
    }
    for (const task of tasks) {
      // A memorandum since left out of the rules still counts its minimum, by the defaults.
      const memorandum = this.memorandum(task.memorandumId);
      const publicity = memorandum ? penaltyPublicityOf(memorandum) : DEFAULT_PENALTY_PUBLICITY;
      const anchor = publicity.anchor === 'published-on' ? task.publishedOn : task.validFrom;
      const from = earliestPenaltyRepairOn(publicity, task.severity ?? undefined, anchor);
      if (from > today) earliest = maxDate(earliest ?? today, from);
    }
    if (!earliest) return undefined;
    return {
      code: OUTCOME_CODES.repairTooEarly,
      reason: `the minimum period before credit repair has not been served; repair can be approved from ${earliest}`,
      detail: { earliestRepairOn: earliest },
    };
  }

  private memorandum(id: string): Memorandum | undefined {
    return this.catalogue.rules.memoranda.get(id);
  }

  private async announce(manager: EntityManager, change: LifecycleChange, at: Date): Promise<LifecycleResult> {
    const decisionIds = [...new Set([...change.entries.map((e) => e.decisionId), ...change.tasks.map((t) => t.decisionId)])];
    const parties = await this.lifecycle.decisionParties(manager, decisionIds);
    const status = change.entries.length + change.tasks.length > 0 ? 'applied' : 'no-effect';
    return {
      records: lifecycleEntries(change, parties, at),
      outcome: { status, reason: change.reason, entries: change.entries.map((e) => e.id), tasks: change.tasks.map((t) => t.id) },
    };
  }
}

/** Outcomes of one lifecycle event that change nothing, each with its record to the sender. */
class Outcomes {
  readonly today: string;

  constructor(
    private readonly event: CreditEvent,
    readonly causeKey: string,
    readonly at: Date,
  ) {
    this.today = chinaDate(at);
  }

  noEffect(code: OutcomeCode, reason: string, detail: Refusal['detail']): LifecycleResult {
    return this.tell({ kind: 'change.no-effect', code, reason, detail }, 'no-effect');
  }

  refused(kind: RefusalKind, code: OutcomeCode, reason: string, detail: Refusal['detail']): LifecycleResult {
    return this.tell({ kind, code, reason, detail }, 'refused');
  }

  private tell(refusal: Refusal, status: LifecycleOutcome['status']): LifecycleResult {
    const sender = departmentOf(this.event.source) ?? this.event.source;
    return {
      records: [refusalRecord(refusal, sender, this.event.data.subject.id, this.causeKey, this.at)],
      outcome: { status, code: refusal.code, reason: refusal.reason, entries: refusal.detail?.entries ?? [], tasks: refusal.detail?.tasks ?? [] },
    };
  }
}

