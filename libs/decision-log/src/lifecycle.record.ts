import { deterministicUuid, ListType, MeasureTarget } from '@app/rules';
import type { RecordSubject } from './decision-issued.record';
import type { FeedRecordEnvelope } from './feed-record-envelope';
import type { EndReason, EntryState, RecordState, TaskState } from './lifecycle-state';
import { departmentRole, DepartmentRole, OtherMeasures, summariseOthers } from './measure-summary';
import { LIFECYCLE_RECORD_SCHEMA_VERSION, LifecycleKind } from './record-kinds';
import { DecisionParties, identifyingDepartments, mayIdentify, subjectKeyFor } from './recipients';

export type LifecycleReason = EndReason | 'objection-filed' | 'objection-confirmed';

export interface LifecycleListEntry {
  id: string;
  list: { code: string; type: ListType };
  subject: RecordSubject;
  state: RecordState;
  endReason: EndReason | null;
  disputed: boolean;
  validFrom: string;
  validTo: string;
}

export interface LifecycleMeasure {
  taskId: string;
  code: string;
  yourRole: DepartmentRole;
  implementingDepartment: string;
  target: { role: MeasureTarget; id: string; name: string };
  state: RecordState;
  endReason: EndReason | null;
  disputed: boolean;
}

/** A change to an issued decision, in the same shape family as decision.issued: the department finds the tasks to stop (or flag) by id. */
export interface LifecycleRecord {
  schemaVersion: typeof LIFECYCLE_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: LifecycleKind;
  department: string;
  decisionId: string;
  reason: LifecycleReason;
  occurredAt: string;
  listEntries: LifecycleListEntry[];
  measures: LifecycleMeasure[];
  otherMeasures: OtherMeasures;
}

export type LifecycleRecordInput = FeedRecordEnvelope<LifecycleRecord>;

export interface LifecycleChange {
  kind: LifecycleKind;
  reason: LifecycleReason;
  /** The event or scheduler run that caused the change; part of the record id, so a change is announced once. */
  causeKey: string;
  entries: EntryState[];
  tasks: TaskState[];
}

/** What a stored decision says about who receives its changes and who acts on whom. */
export interface StoredDecisionParties {
  /** The departments it was addressed to when issued. */
  addressees: readonly string[];
  causeEventSource: string;
  /** Every task of the decision, whatever its state: who acts on whom (fields that never change). */
  tasks: readonly PartyTask[];
}

/** What a lifecycle record needs of each task of its decision. */
export type PartyTask = Pick<TaskState, 'implementingDepartment' | 'cooperatingDepartments' | 'targetId' | 'targetRole' | 'targetIdType'>;

/**
 * Feed records announcing a lifecycle change, one per decision and addressee (the departments
 * the decision was addressed to): its own affected tasks in full, the others' as counts per measure code.
 */
export function lifecycleRecords(change: LifecycleChange, decisions: ReadonlyMap<string, StoredDecisionParties>, at: Date): LifecycleRecordInput[] {
  return perDecision(change, decisions).flatMap(({ decisionId, stored, entries, tasks, changed }) => {
    const parties: DecisionParties = { identifying: identifyingDepartments(stored.causeEventSource, entries.map((e) => e.identifyingDepartment)), tasks: stored.tasks };
    const subjectTask = stored.tasks.find((t) => t.targetRole === 'subject');
    const subject = entries[0] ? { idType: entries[0].subjectIdType, id: entries[0].subjectId } : subjectTask && { idType: subjectTask.targetIdType, id: subjectTask.targetId };
    return stored.addressees.map((department): LifecycleRecordInput => {
      const recordId = deterministicUuid('lifecycle', change.kind, change.causeKey, decisionId, department, ...changed);
      return {
        recordId,
        department,
        kind: change.kind,
        decisionId,
        subjectId: subjectKeyFor(department, subject, decisionId, parties),
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
            subject: mayIdentify(department, { idType: e.subjectIdType, id: e.subjectId }, parties)
              ? { kind: e.subjectKind, idType: e.subjectIdType, id: e.subjectId, name: e.subjectName }
              : { kind: e.subjectKind, idType: e.subjectIdType },
            state: e.state,
            endReason: e.endReason,
            disputed: e.disputed,
            validFrom: e.validFrom,
            validTo: e.validTo,
          })),
          measures: tasks.flatMap((t) => {
            const yourRole = departmentRole(t, department);
            if (!yourRole) return [];
            return [
              {
                taskId: t.id,
                code: t.measureCode,
                yourRole,
                implementingDepartment: t.implementingDepartment,
                target: { role: t.targetRole, id: t.targetId, name: t.targetName },
                state: t.state,
                endReason: t.endReason,
                disputed: t.disputed,
              },
            ];
          }),
          otherMeasures: summariseOthers(tasks.filter((t) => !departmentRole(t, department))),
        },
      };
    });
  });
}

/**
 * One lifecycle change of one decision, stored once (lifecycle_change) rather than as a record
 * per addressee: the change's entries and tasks of that decision in the state the change left
 * them, and who receives it. Its records are rendered from it when read or relayed, so a
 * record shows the decision as it was at the change, however it changes later.
 */
export interface LifecycleChangeFact {
  id: string;
  decisionId: string;
  kind: LifecycleKind;
  reason: LifecycleReason;
  causeKey: string;
  occurredAt: string;
  entries: EntryState[];
  tasks: TaskState[];
  parties: StoredDecisionParties;
}

/** A lifecycle record's feed index entry: its addressing, and the change it is rendered from. */
export type LifecycleEntry = Omit<LifecycleRecordInput, 'payload'> & { change: LifecycleChangeFact };

/** The same records as lifecycleRecords, as index entries over one stored change per decision. */
export function lifecycleEntries(change: LifecycleChange, decisions: ReadonlyMap<string, StoredDecisionParties>, at: Date): LifecycleEntry[] {
  return perDecision(change, decisions).flatMap(({ decisionId, stored, entries, tasks, changed }) => {
    const fact: LifecycleChangeFact = {
      id: deterministicUuid('lifecycle-change', change.kind, change.causeKey, decisionId, ...changed),
      decisionId,
      kind: change.kind,
      reason: change.reason,
      causeKey: change.causeKey,
      occurredAt: at.toISOString(),
      entries,
      tasks,
      parties: {
        addressees: stored.addressees,
        causeEventSource: stored.causeEventSource,
        tasks: stored.tasks.map((t) => ({ implementingDepartment: t.implementingDepartment, cooperatingDepartments: t.cooperatingDepartments, targetId: t.targetId, targetRole: t.targetRole, targetIdType: t.targetIdType })),
      },
    };
    return lifecycleRecordsOf(fact).map(({ payload: _payload, ...envelope }) => ({ ...envelope, change: fact }));
  });
}

/** A change split by the stored decisions it touches, in decision order; decisions not stored are skipped. */
function perDecision(change: LifecycleChange, decisions: ReadonlyMap<string, StoredDecisionParties>) {
  const decisionIds = [...new Set([...change.entries.map((e) => e.decisionId), ...change.tasks.map((t) => t.decisionId)])].sort();
  return decisionIds.flatMap((decisionId) => {
    const stored = decisions.get(decisionId);
    if (!stored) return [];
    const entries = change.entries.filter((e) => e.decisionId === decisionId);
    const tasks = change.tasks.filter((t) => t.decisionId === decisionId);
    // What changed is part of the ids: a later tick of the same day that ends more of the decision is a change of its own.
    const changed = [...entries.map((e) => e.id), ...tasks.map((t) => t.id)].sort();
    return [{ decisionId, stored, entries, tasks, changed }];
  });
}

/** Every record of a stored change (one per addressee of its decision). */
export function lifecycleRecordsOf(fact: LifecycleChangeFact): LifecycleRecordInput[] {
  return lifecycleRecords({ kind: fact.kind, reason: fact.reason, causeKey: fact.causeKey, entries: fact.entries, tasks: fact.tasks }, new Map([[fact.decisionId, fact.parties]]), new Date(fact.occurredAt));
}
