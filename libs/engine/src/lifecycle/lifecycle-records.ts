import { deterministicUuid } from '@app/rules';
import type { EntryState, FeedRecordInput, TaskState } from '@app/persistence';
import { departmentRole } from '../decision-record';

/** Shape version of lifecycle records (lifecycle-record.schema.ts describes it): raised when a field changes meaning or form. */
export const LIFECYCLE_RECORD_SCHEMA_VERSION = 3;

/** What happened to a decision after it was issued; each is published to the decision's addressees. */
export type LifecycleKind = 'decision.revoked' | 'decision.disputed' | 'decision.confirmed';
export const LIFECYCLE_KINDS: readonly LifecycleKind[] = ['decision.revoked', 'decision.disputed', 'decision.confirmed'];

/**
 * What the engine refused or could not do, told to the department that asked: a repair before
 * its time, a removal of another department's decision, a red list while blacklisted, a sanction
 * on conduct past its limitation, or a lifecycle event that found nothing to change.
 */
export const REFUSAL_KINDS = ['repair.refused', 'removal.refused', 'grant.refused', 'sanction.refused', 'change.no-effect'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];
/** Shape version of refusal records, raised like the others. */
export const REFUSAL_RECORD_SCHEMA_VERSION = 2;

/** Stable codes of refusals and no-effect outcomes, the same on the feed, the topic and GET /v1/events/{source}/{id}. */
export const OUTCOME_CODES = {
  conductPastLimit: 'EVENT.CONDUCT_PAST_LIMIT',
  repairNotAllowed: 'REPAIR.NOT_ALLOWED',
  repairTooEarly: 'REPAIR.TOO_EARLY',
  notIdentifyingDepartment: 'LIFECYCLE.NOT_IDENTIFYING_DEPARTMENT',
  nothingActive: 'LIFECYCLE.NOTHING_ACTIVE',
  notDisputed: 'LIFECYCLE.NOT_DISPUTED',
  alreadyDisputed: 'LIFECYCLE.ALREADY_DISPUTED',
  blacklisted: 'GRANT.WHILE_BLACKLISTED',
} as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[keyof typeof OUTCOME_CODES];

/** Everything a refusal record says besides its addressing. */
export interface Refusal {
  kind: RefusalKind;
  code: OutcomeCode;
  reason: string;
  detail?: RefusalDetail;
}

export interface RefusalDetail {
  list?: string;
  memorandum?: string;
  entries?: string[];
  tasks?: string[];
  /** repair.refused (REPAIR.TOO_EARLY): the first day a repair will be accepted. */
  earliestRepairOn?: string;
  /** sanction.refused: the last day the conduct's information could be used. */
  lastUsableOn?: string;
}

export interface LifecycleChange {
  kind: LifecycleKind;
  /** Why: an EndReason, objection-filed or objection-confirmed. */
  reason: string;
  /** The event or scheduler run that caused the change; part of the record id, so a change is announced once. */
  causeKey: string;
  entries: EntryState[];
  tasks: TaskState[];
}

/**
 * Feed records announcing lifecycle changes, one per decision and addressee, in the same
 * shape family as `decision.issued`: departments find the tasks to stop (or flag) by id.
 */
export function lifecycleRecords(change: LifecycleChange, addressees: ReadonlyMap<string, string[]>, at: Date): FeedRecordInput[] {
  const decisionIds = [...new Set([...change.entries.map((e) => e.decisionId), ...change.tasks.map((t) => t.decisionId)])].sort();
  return decisionIds.flatMap((decisionId) => {
    const entries = change.entries.filter((e) => e.decisionId === decisionId);
    const tasks = change.tasks.filter((t) => t.decisionId === decisionId);
    // What changed is part of the id: a later tick of the same day that ends more of the decision is a record of its own.
    const changed = [...entries.map((e) => e.id), ...tasks.map((t) => t.id)].sort();
    return (addressees.get(decisionId) ?? []).map((department) => {
      const recordId = deterministicUuid('lifecycle', change.kind, change.causeKey, decisionId, department, ...changed);
      return {
        recordId,
        department,
        kind: change.kind,
        decisionId,
        subjectId: entries[0]?.subjectId ?? tasks[0]?.targetId ?? '',
        causeKey: change.causeKey,
        payload: {
          schemaVersion: LIFECYCLE_RECORD_SCHEMA_VERSION,
          recordId,
          kind: change.kind,
          department,
          decisionId,
          reason: change.reason,
          occurredAt: at.toISOString(),
          listEntries: entries.map((e) => ({
            id: e.id,
            list: { code: e.listCode, type: e.listType },
            subject: { kind: e.subjectKind, idType: e.subjectIdType, id: e.subjectId, name: e.subjectName },
            state: e.state,
            endReason: e.endReason,
            disputed: e.disputed,
            validFrom: e.validFrom,
            validTo: e.validTo,
          })),
          // As in decision.issued: this department's tasks by id, the other signatories' summarised per measure.
          measures: tasks
            .filter((t) => departmentRole(t, department))
            .map((t) => ({
              taskId: t.id,
              code: t.measureCode,
              yourRole: departmentRole(t, department),
              implementingDepartment: t.implementingDepartment,
              target: { role: t.targetRole, id: t.targetId, name: t.targetName },
              state: t.state,
              endReason: t.endReason,
              disputed: t.disputed,
            })),
          otherMeasures: summariseOthers(tasks.filter((t) => !departmentRole(t, department))),
        },
      };
    });
  });
}

/** Other signatories' tasks, one line per measure code: who applies it and to how many targets. */
function summariseOthers(tasks: readonly TaskState[]): { code: string; implementingDepartment: string; targets: number }[] {
  const byCode = new Map<string, { code: string; implementingDepartment: string; targets: number }>();
  for (const task of tasks) {
    const line = byCode.get(task.measureCode) ?? { code: task.measureCode, implementingDepartment: task.implementingDepartment, targets: 0 };
    line.targets++;
    byCode.set(task.measureCode, line);
  }
  return [...byCode.values()];
}

/** The record telling one department what was refused or changed nothing, and why. */
export function refusalRecord(refusal: Refusal, department: string, subjectId: string, causeKey: string, at: Date): FeedRecordInput {
  const recordId = deterministicUuid('refusal', refusal.kind, causeKey, department, refusal.detail?.memorandum ?? '');
  return {
    recordId,
    department,
    kind: refusal.kind,
    decisionId: deterministicUuid('refusal-decision', causeKey),
    subjectId,
    causeKey,
    payload: {
      schemaVersion: REFUSAL_RECORD_SCHEMA_VERSION,
      recordId,
      kind: refusal.kind,
      department,
      subjectId,
      code: refusal.code,
      reason: refusal.reason,
      occurredAt: at.toISOString(),
      causeKey,
      ...refusal.detail,
    },
  };
}
