import { BilingualText, SubjectRef } from '@app/domain';
import { deterministicUuid, MeasureCategory, MeasureTarget, RecordedLegalBasis } from '@app/rules';
import type { IssuableDecision, MemorandumHeading, RecordSubject } from '../decision-issued.record';
import type { LifecycleChangeFact } from '../lifecycle.record';
import { departmentRole } from '../measure-summary';
import { DecisionParties, identifyingDepartments, mayIdentify } from '../recipients';

/**
 * The version-4 renderers, frozen: decision.issued and lifecycle records as they were rendered
 * from stored decisions and changes before version 5 (measures by reference, others as counts).
 * Used only by the migration that writes those records' bytes into feed_record.payload, so a
 * record that was readable before the upgrade reads the same after it, and by the record-size
 * benchmark as its baseline. Not to be changed: test/fixtures/records-v4.json holds what they gave.
 */

/** A stored task as version 4 read it: text, legal basis and facts from its measure_task row. */
export interface IssuableTaskV4 {
  id: string;
  measureCode: string;
  category: MeasureCategory;
  text: BilingualText;
  implementingDepartment: string;
  cooperatingDepartments: string[];
  targetRole: MeasureTarget;
  target: SubjectRef;
  legalBasis: RecordedLegalBasis[];
  validFrom: string;
  validTo: string;
  explanation: { rule: { name: string }; facts: Record<string, unknown> };
}

export type IssuableDecisionV4 = Omit<IssuableDecision, 'measureTasks' | 'facts'> & { measureTasks: readonly IssuableTaskV4[] };

interface OtherMeasuresV4 {
  code: string;
  category: MeasureCategory;
  implementingDepartment: string;
  targetRoles: MeasureTarget[];
  targets: number;
}

function summariseOthersV4(tasks: readonly { measureCode: string; category: MeasureCategory; implementingDepartment: string; targetRole: MeasureTarget }[]): OtherMeasuresV4[] {
  const byCode = new Map<string, OtherMeasuresV4>();
  for (const task of tasks) {
    let line = byCode.get(task.measureCode);
    if (!line) byCode.set(task.measureCode, (line = { code: task.measureCode, category: task.category, implementingDepartment: task.implementingDepartment, targetRoles: [], targets: 0 }));
    if (!line.targetRoles.includes(task.targetRole)) line.targetRoles.push(task.targetRole);
    line.targets++;
  }
  return [...byCode.values()];
}

/** A version-4 decision.issued payload, as JSON text (what the feed served and the relay sent). */
export function decisionIssuedPayloadV4(decision: IssuableDecisionV4, memorandum: MemorandumHeading | undefined, issuedAt: Date, department: string): string {
  const parties: DecisionParties = {
    identifying: identifyingDepartments(decision.causeEventSource, decision.listEntries.map((e) => e.identifyingDepartment)),
    tasks: decision.measureTasks.map((t) => ({ implementingDepartment: t.implementingDepartment, cooperatingDepartments: t.cooperatingDepartments, targetId: t.target.id })),
  };
  const person = (p: SubjectRef): RecordSubject => (mayIdentify(department, p, parties) ? { kind: p.kind, idType: p.idType, id: p.id, name: p.name } : { kind: p.kind, idType: p.idType });
  return JSON.stringify({
    schemaVersion: 4,
    recordId: deterministicUuid('feed-record', decision.id, department),
    kind: 'decision.issued',
    department,
    decisionId: decision.id,
    issuedAt: issuedAt.toISOString(),
    memorandum: { id: decision.memorandumId, version: decision.memorandumVersion, kind: memorandum?.kind, documentNumber: memorandum?.documentNumber, title: memorandum?.title },
    ruleSetRevision: decision.ruleSetRevision,
    causeEvent: { id: decision.causeEventId, source: decision.causeEventSource },
    listEntries: decision.listEntries.map((entry) => ({
      id: entry.id,
      list: { code: entry.listCode, type: entry.listType },
      subject: person(entry.subject),
      reason: entry.reason,
      documentNumber: entry.documentNumber,
      identifyingDepartment: entry.identifyingDepartment,
      validFrom: entry.validFrom,
      validTo: entry.validTo,
      conductEndedOn: entry.limitation?.conductEndedOn ?? null,
      lastUsableOn: entry.limitation?.lastUsableOn ?? null,
      disputed: false,
    })),
    measures: decision.measureTasks.flatMap((task) => {
      const yourRole = departmentRole(task, department);
      if (!yourRole) return [];
      return [
        {
          taskId: task.id,
          code: task.measureCode,
          category: task.category,
          text: task.text,
          yourRole,
          implementingDepartment: task.implementingDepartment,
          cooperatingDepartments: task.cooperatingDepartments,
          target: { role: task.targetRole, ...task.target },
          legalBasis: task.legalBasis,
          validFrom: task.validFrom,
          validTo: task.validTo,
          explanation: { rule: { name: task.explanation.rule.name }, facts: task.explanation.facts },
        },
      ];
    }),
    otherMeasures: summariseOthersV4(decision.measureTasks.filter((task) => !departmentRole(task, department))),
  });
}

/** The version-4 lifecycle payloads of a stored change, by receiving department, as JSON text. */
export function lifecyclePayloadsV4(fact: LifecycleChangeFact): Map<string, string> {
  const { entries, tasks, parties: stored } = fact;
  const parties: DecisionParties = { identifying: identifyingDepartments(stored.causeEventSource, entries.map((e) => e.identifyingDepartment)), tasks: stored.tasks };
  const changed = [...entries.map((e) => e.id), ...tasks.map((t) => t.id)].sort();
  const payloads = new Map<string, string>();
  for (const department of stored.addressees) {
    payloads.set(
      department,
      JSON.stringify({
        schemaVersion: 4,
        recordId: deterministicUuid('lifecycle', fact.kind, fact.causeKey, fact.decisionId, department, ...changed),
        kind: fact.kind,
        department,
        decisionId: fact.decisionId,
        reason: fact.reason,
        occurredAt: new Date(fact.occurredAt).toISOString(),
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
          return [{ taskId: t.id, code: t.measureCode, yourRole, implementingDepartment: t.implementingDepartment, target: { role: t.targetRole, id: t.targetId, name: t.targetName }, state: t.state, endReason: t.endReason, disputed: t.disputed }];
        }),
        otherMeasures: summariseOthersV4(tasks.filter((t) => !departmentRole(t, department))),
      }),
    );
  }
  return payloads;
}

