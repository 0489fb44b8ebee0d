import type { PlannedDecision } from '@app/rules';
import { deterministicUuid } from '@app/rules';
import type { Memorandum } from '@app/rules';
import type { FeedRecordInput } from '@app/persistence';

export const DECISION_RECORD_KIND = 'decision.issued';

/**
 * The record a department receives about a decision, the same on the HTTP feed and on
 * its Kafka topic: the whole decision (every signatory sees the listing and all measures,
 * as the memoranda distribute them), with `forYou` marking what this department must apply.
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
        payload: {
          schemaVersion: 1,
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
            disputed: false,
          })),
          measures: decision.measureTasks.map((task) => ({
            taskId: task.id,
            code: task.measureCode,
            category: task.category,
            text: task.text,
            implementingDepartment: task.implementingDepartment,
            cooperatingDepartments: task.cooperatingDepartments,
            forYou: task.implementingDepartment === department || task.cooperatingDepartments.includes(department),
            target: { role: task.targetRole, ...task.target },
            legalBasis: task.legalBasis,
            validFrom: task.validFrom,
            validTo: task.validTo,
            // Memorandum and revision are the record's own; the full condition trace stays in the database.
            explanation: { rule: { name: task.explanation.rule.name }, facts: task.explanation.facts },
          })),
        },
      };
    }),
  );
}
