import { BilingualText, SubjectRef } from '@app/domain';
import { RecordedLegalBasis } from '../loader/instrument-catalogue';
import { Limitation } from './limitation';
import { ListType, MeasureCategory, MeasureTarget } from '../loader/memorandum';

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
  /** Last day in force, inclusive (有效期至): there are no lifetime entries, and none outlives its limitation. */
  validTo: string;
  /** When the conduct's information stops being usable; null for incentives. */
  limitation: Limitation | null;
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
  /** The document number of the event's decision (a penalty's, for measures without a list entry). */
  documentNumber: string;
  validFrom: string;
  /** Last day in force, inclusive. */
  validTo: string;
  limitation: Limitation | null;
  feedbackDueWorkingDays: number | null;
  /** Set by the engine when it stores the task: working days counted on its calendar. */
  feedbackDueOn?: string | null;
  /** Set with feedbackDueOn: the date counts past the calendar's coverage or over days awaiting a holiday notice. */
  feedbackDueProvisional?: boolean;
  explanation: Explanation;
}

/** A memorandum that matched an event but may not act on it, told to the identifying department. */
export interface PlannedRefusal {
  code: 'EVENT.CONDUCT_PAST_LIMIT';
  memorandumId: string;
  /** Who is told: the memorandum's identifying department and the department that published the event. */
  departments: string[];
  reason: string;
  limitation: Limitation;
}

/** Everything one memorandum decides about one event. */
export interface PlannedDecision {
  id: string;
  causeEventId: string;
  causeEventSource: string;
  memorandumId: string;
  memorandumVersion: string;
  ruleSetRevision: string;
  /** The version of the rule-set release it was decided under; null when the rule set came from the rules/ files. */
  ruleSetRelease: number | null;
  listEntries: PlannedListEntry[];
  measureTasks: PlannedMeasureTask[];
  /** Departments that receive the decision: those that identify it and those that implement or cooperate in one of its measures (addresseesOf). */
  addressees: string[];
}

/** What the rules decide about one event: decisions, and the memoranda that refused to act. */
export interface EventPlan {
  decisions: PlannedDecision[];
  refusals: PlannedRefusal[];
}
