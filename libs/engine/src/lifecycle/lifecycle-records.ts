import { deterministicUuid } from '@app/rules';
import type { EntryState, FeedRecordInput, TaskState } from '@app/persistence';
import { departmentRole } from '../decision-record';

/** Version 2: `measures` holds only the receiving department's tasks; the rest are in `otherMeasures`. */
export const LIFECYCLE_RECORD_SCHEMA_VERSION = 2;

/** What happened to a decision after it was issued; each is published to the decision's addressees. */
export type LifecycleKind = 'decision.revoked' | 'decision.disputed' | 'decision.confirmed';
export const LIFECYCLE_KINDS: readonly LifecycleKind[] = ['decision.revoked', 'decision.disputed', 'decision.confirmed'];

/** What the engine refused to do, told to the department that asked: a repair before its time, a red list while blacklisted. */
export type RefusalKind = 'repair.refused' | 'grant.refused';
export const REFUSAL_KINDS: readonly RefusalKind[] = ['repair.refused', 'grant.refused'];
export const REFUSAL_RECORD_SCHEMA_VERSION = 1;

export interface LifecycleChange {
  kind: LifecycleKind;
  /** Why: expired, removed, repaired, objection-revoked, escalated, superseded, objection-filed, objection-confirmed. */
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
    return (addressees.get(decisionId) ?? []).map((department) => {
      const recordId = deterministicUuid('lifecycle', change.kind, change.causeKey, decisionId, department);
      return {
        recordId,
        department,
        kind: change.kind,
        decisionId,
        subjectId: entries[0]?.subjectId ?? tasks[0]?.targetId ?? '',
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

/** The record refusing a repair or a red-list grant, to one department. */
export function refusalRecord(kind: RefusalKind, department: string, subjectId: string, reason: string, causeKey: string, at: Date, detail: Record<string, unknown> = {}): FeedRecordInput {
  const recordId = deterministicUuid('refusal', kind, causeKey, department);
  return {
    recordId,
    department,
    kind,
    decisionId: deterministicUuid('refusal-decision', causeKey),
    subjectId,
    payload: { schemaVersion: REFUSAL_RECORD_SCHEMA_VERSION, recordId, kind, department, subjectId, reason, occurredAt: at.toISOString(), causeKey, ...detail },
  };
}
