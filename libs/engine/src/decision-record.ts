import { causeKeyOf } from '@app/domain';
import type { PlannedDecision } from '@app/rules';
import { deterministicUuid } from '@app/rules';
import type { Memorandum } from '@app/rules';
import type { FeedRecordInput } from '@app/persistence';

export const DECISION_RECORD_KIND = 'decision.issued';

/** Shape version of the record (decision-record.schema.ts describes it): raised when a field changes meaning or form. */
export const DECISION_RECORD_SCHEMA_VERSION = 3;

/**
 * The record a department receives about a decision, the same on the HTTP feed and on
 * its Kafka topic: the listing, the measures this department implements or cooperates in
 * (in full: text, target, legal basis, validity, explanation) and a one-line summary of
 * every other signatory's measures. Data minimisation (a department receives the personal
 * identifiers its own measures need, not everyone's) and size: the whole decision sent to
 * each of ~9 addressees made a 15 KB record per department, 135 KB per decision; a line per
 * other task still made a third of a 4.3 KB record, so they are summarised per measure.
 */
export function toFeedRecords(decisions: readonly PlannedDecision[], memoranda: ReadonlyMap<string, Memorandum>, issuedAt: Date): FeedRecordInput[] {
  return decisions.flatMap((decision) =>
    decision.addressees.map((department) => {
      const memorandum = memoranda.get(decision.memorandumId);
      const recordId = deterministicUuid('feed-record', decision.id, department);
      return {
        recordId,
        department,
        kind: DECISION_RECORD_KIND,
        decisionId: decision.id,
        subjectId: decision.listEntries[0]?.subject.id ?? decision.measureTasks[0]?.target.id ?? '',
        causeKey: causeKeyOf(decision.causeEventSource, decision.causeEventId),
        payload: {
          schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
          recordId,
          kind: DECISION_RECORD_KIND,
          department,
          decisionId: decision.id,
          issuedAt: issuedAt.toISOString(),
          memorandum: {
            id: decision.memorandumId,
            version: decision.memorandumVersion,
            kind: memorandum?.kind,
            documentNumber: memorandum?.documentNumber,
            title: memorandum?.title,
          },
          ruleSetRevision: decision.ruleSetRevision,
          causeEvent: { id: decision.causeEventId, source: decision.causeEventSource },
          listEntries: decision.listEntries.map((entry) => ({
            id: entry.id,
            list: { code: entry.listCode, type: entry.listType },
            subject: entry.subject,
            reason: entry.reason,
            documentNumber: entry.documentNumber,
            identifyingDepartment: entry.identifyingDepartment,
            validFrom: entry.validFrom,
            validTo: entry.validTo,
            conductEndedOn: entry.limitation?.conductEndedOn ?? null,
            lastUsableOn: entry.limitation?.lastUsableOn ?? null,
            disputed: false,
          })),
          measures: decision.measureTasks.filter((task) => departmentRole(task, department)).map((task) => ({
            taskId: task.id,
            code: task.measureCode,
            category: task.category,
            text: task.text,
            yourRole: departmentRole(task, department),
            implementingDepartment: task.implementingDepartment,
            cooperatingDepartments: task.cooperatingDepartments,
            target: { role: task.targetRole, ...task.target },
            legalBasis: task.legalBasis,
            validFrom: task.validFrom,
            validTo: task.validTo,
            // Memorandum and revision are the record's own; the full condition trace stays in the database.
            explanation: { rule: { name: task.explanation.rule.name }, facts: task.explanation.facts },
          })),
          otherMeasures: summariseOthers(decision.measureTasks.filter((task) => !departmentRole(task, department))),
        },
      };
    }),
  );
}

/** How the receiving department takes part in a measure task, if it does (decision and lifecycle records alike). */
export function departmentRole(task: { implementingDepartment: string; cooperatingDepartments: readonly string[] }, department: string): 'implementing' | 'cooperating' | undefined {
  if (task.implementingDepartment === department) return 'implementing';
  return task.cooperatingDepartments.includes(department) ? 'cooperating' : undefined;
}

/** Other signatories' measures, one line per measure code: who applies it, to whom (roles) and to how many targets. */
function summariseOthers(tasks: readonly PlannedDecision['measureTasks'][number][]) {
  const byCode = new Map<string, { code: string; category: string; implementingDepartment: string; targetRoles: string[]; targets: number }>();
  for (const task of tasks) {
    let line = byCode.get(task.measureCode);
    if (!line) byCode.set(task.measureCode, (line = { code: task.measureCode, category: task.category, implementingDepartment: task.implementingDepartment, targetRoles: [], targets: 0 }));
    if (!line.targetRoles.includes(task.targetRole)) line.targetRoles.push(task.targetRole);
    line.targets++;
  }
  return [...byCode.values()];
}
