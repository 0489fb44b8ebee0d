import { BilingualText, SubjectRef } from '@app/domain';
import { RecordedLegalBasis } from './instrument-catalogue';
import { ListType, MeasureCategory, MeasureTarget } from './memorandum';

export const DECISION_SCHEMA_VERSION = 1;

/** Why a decision was made: enough to answer a subject's objection or an auditor's question. */
export interface Explanation {
  schemaVersion: number;
  memorandum: { id: string; version: string; documentNumber: string; title: BilingualText };
  rule: { name: string; description: string };
  ruleSetRevision: string;
  causeEvent: { id: string; source: string; type: string; time: string };
  facts: Record<string, unknown>;
  conditions: unknown;
}

export interface PlannedListEntry {
  id: string;
  memorandumId: string;
  memorandumVersion: string;
  listCode: string;
  listType: ListType;
  subject: SubjectRef;
  reason: string | null;
  documentNumber: string;
  identifyingDepartment: string;
  /** First day in force. */
  validFrom: string;
  /** First day no longer in force (exclusive): there are no lifetime entries. */
  validTo: string;
  explanation: Explanation;
}

export interface PlannedMeasureTask {
  id: string;
  listEntryId: string | null;
  memorandumId: string;
  measureCode: string;
  category: MeasureCategory;
  text: BilingualText;
  implementingDepartment: string;
  cooperatingDepartments: string[];
  /** The citations in force on the decision day, naming the instrument version relied on. */
  legalBasis: RecordedLegalBasis[];
  targetRole: MeasureTarget;
  target: SubjectRef;
  validFrom: string;
  validTo: string;
  feedbackDueWorkingDays: number | null;
  /** Set by the engine when it stores the task: working days counted on its calendar. */
  feedbackDueOn?: string | null;
  explanation: Explanation;
}

/** Everything one memorandum decides about one event. */
export interface PlannedDecision {
  id: string;
  causeEventId: string;
  causeEventSource: string;
  memorandumId: string;
  memorandumVersion: string;
  ruleSetRevision: string;
  listEntries: PlannedListEntry[];
  measureTasks: PlannedMeasureTask[];
  /** Departments that receive the decision: the identifying department and every signatory. */
  addressees: string[];
}
