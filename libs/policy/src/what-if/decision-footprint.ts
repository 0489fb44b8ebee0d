import { SubjectRef } from '@app/domain';
import { PlannedDecision } from '@app/rules';

/** What a what-if compares of one measure task: who implements it, against whom, for how long. */
export interface MeasureFootprint {
  measureCode: string;
  implementingDepartment: string;
  targetIdType: SubjectRef['idType'];
  targetId: string;
  validFrom: string;
  validTo: string;
}

/** What a what-if compares of one list entry. */
export interface ListEntryFootprint {
  listCode: string;
  listType: string;
  subjectId: string;
  validFrom: string;
  validTo: string;
}

/**
 * One memorandum's decision about one event, reduced to what a simulation compares: its list
 * entries and measure tasks (the texts and legal bases follow from the measure codes).
 * Built alike from a decision as stored (`decision.record`) and from a freshly planned one.
 */
export interface DecisionFootprint {
  memorandumId: string;
  subject: SubjectRef;
  listEntries: ListEntryFootprint[];
  measures: MeasureFootprint[];
}

/** A decision as stored, read from its list_entry and measure_task rows (their validity never changes after the decision). */
export interface StoredDecisionParts {
  memorandumId: string;
  listEntries: ListEntryFootprint[];
  measures: MeasureFootprint[];
}

/** A decision's footprint; `subject` is the event's subject (the decision is about it, whoever a measure targets). */
export function footprintOfPlanned(decision: PlannedDecision, subject: SubjectRef): DecisionFootprint {
  return {
    memorandumId: decision.memorandumId,
    subject,
    listEntries: decision.listEntries.map((e) => ({ listCode: e.listCode, listType: e.listType, subjectId: e.subject.id, validFrom: e.validFrom, validTo: e.validTo })),
    measures: decision.measureTasks.map((t) => ({ measureCode: t.measureCode, implementingDepartment: t.implementingDepartment, targetIdType: t.target.idType, targetId: t.target.id, validFrom: t.validFrom, validTo: t.validTo })),
  };
}

export function footprintOfStored(decision: StoredDecisionParts, subject: SubjectRef): DecisionFootprint {
  return { ...decision, subject };
}

/** A measure's identity within a decision: the same measure against the same target. */
export function measureKey(measure: MeasureFootprint): string {
  return `${measure.measureCode}\u0000${measure.targetId}`;
}
