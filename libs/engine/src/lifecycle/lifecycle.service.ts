import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chinaDate, CreditEvent, EVENT_TYPES, ObjectionFiledData, ObjectionResolvedData } from '@app/domain';
import { EndReason, EntryState, FeedRecordInput, LifecycleRepository, TaskState } from '@app/persistence';
import { differenceInDays } from '@app/rules';
import { CatalogueService } from '../catalogue.service';
import { LifecycleChange, LifecycleKind, lifecycleRecords, refusalRecord } from './lifecycle-records';

export const LIFECYCLE_EVENT_TYPES: ReadonlySet<string> = new Set([EVENT_TYPES.listEntryRemoved, EVENT_TYPES.repairApproved, EVENT_TYPES.objectionFiled, EVENT_TYPES.objectionResolved]);

export interface LifecycleOutcome {
  status: 'applied' | 'refused' | 'no-effect';
  reason?: string;
  entries: string[];
}

export interface LifecycleResult {
  records: FeedRecordInput[];
  outcome: LifecycleOutcome;
}

/**
 * Removal, repair (信用修复) and objections (异议) change decisions already issued. Each
 * change ends or flags the entries and tasks concerned and tells every addressee.
 * "Whoever identifies, repairs": only the identifying department's events reach here
 * (the departments registry lets only it publish about its lists).
 */
@Injectable()
export class LifecycleService {
  constructor(
    private readonly lifecycle: LifecycleRepository,
    private readonly catalogue: CatalogueService,
  ) {}

  async apply(manager: EntityManager, event: CreditEvent, at: Date): Promise<LifecycleResult> {
    const listCode = (event.data as { listCode: string }).listCode;
    const entries = await this.lifecycle.activeEntries(manager, [event.data.subject.id], { listCode });
    const causeKey = `${event.source}/${event.id}`;
    if (entries.length === 0) return { records: [], outcome: { status: 'no-effect', reason: `no active entry on list "${listCode}" for this subject`, entries: [] } };

    switch (event.type) {
      case EVENT_TYPES.listEntryRemoved:
        return this.end(manager, entries, 'removed', causeKey, at);
      case EVENT_TYPES.repairApproved:
        return this.repair(manager, entries, listCode, causeKey, at, event);
      case EVENT_TYPES.objectionFiled: {
        const { objectionId } = event.data as ObjectionFiledData;
        const changed = await this.lifecycle.setDisputed(manager, entries.map((e) => e.id), true, objectionId);
        return this.announce(manager, { kind: 'decision.disputed', reason: 'objection-filed', causeKey, ...changed }, at);
      }
      case EVENT_TYPES.objectionResolved: {
        const { outcome, objectionId } = event.data as ObjectionResolvedData;
        const disputed = entries.filter((e) => e.disputed);
        if (disputed.length === 0) return { records: [], outcome: { status: 'no-effect', reason: `no disputed entry for objection ${objectionId}`, entries: [] } };
        if (outcome === 'revoked') return this.end(manager, disputed, 'objection-revoked', causeKey, at);
        const changed = await this.lifecycle.setDisputed(manager, disputed.map((e) => e.id), false, objectionId);
        return this.announce(manager, { kind: 'decision.confirmed', reason: 'objection-confirmed', causeKey, ...changed }, at);
      }
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
  async announceEnded(manager: EntityManager, ended: { entries: EntryState[]; tasks: TaskState[] }, reason: EndReason, causeKey: string, at: Date): Promise<FeedRecordInput[]> {
    return (await this.announce(manager, { kind: 'decision.revoked', reason, causeKey, ...ended }, at)).records;
  }

  /** A refusal goes back to the department that asked, with the reason. */
  private async repair(manager: EntityManager, entries: EntryState[], listCode: string, causeKey: string, at: Date, event: CreditEvent): Promise<LifecycleResult> {
    const memorandum = this.catalogue.rules.ruleSet.listsByCode.get(listCode)?.memorandum;
    const publisher = entries[0].identifyingDepartment;
    const refuse = (reason: string): LifecycleResult => ({
      records: [refusalRecord('repair.refused', publisher, event.data.subject.id, reason, causeKey, at, { list: listCode, entries: entries.map((e) => e.id) })],
      outcome: { status: 'refused', reason, entries: entries.map((e) => e.id) },
    });
    if (!memorandum?.repair.allowed) return refuse(`memorandum ${memorandum?.id ?? '(none)'} does not allow credit repair of list "${listCode}"`);
    const minimum = memorandum.repair.minimumDays ?? 0;
    const today = chinaDate(at);
    const early = entries.filter((e) => differenceInDays(e.validFrom, today) < minimum);
    if (early.length > 0) {
      const served = differenceInDays(early[0].validFrom, today);
      return refuse(`repair is possible ${minimum} days after the entry began (${early[0].validFrom}); ${served} days have passed`);
    }
    return this.end(manager, entries, 'repaired', causeKey, at);
  }

  private async announce(manager: EntityManager, change: LifecycleChange, at: Date): Promise<LifecycleResult> {
    const decisionIds = [...new Set([...change.entries.map((e) => e.decisionId), ...change.tasks.map((t) => t.decisionId)])];
    const addressees = await this.lifecycle.addresseesOf(manager, decisionIds);
    const status = change.entries.length + change.tasks.length > 0 ? 'applied' : 'no-effect';
    return { records: lifecycleRecords(change, addressees, at), outcome: { status, reason: change.reason, entries: change.entries.map((e) => e.id) } };
  }
}

export type { LifecycleKind };
