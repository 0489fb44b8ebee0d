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

/** The parts of a stored `decision.record` a footprint is read from (measure terms by reference or inline alike). */
export interface StoredDecisionParts {
  memorandumId: string;
  listEntries: ReadonlyArray<{ listCode: string; listType: string; subject: SubjectRef; validFrom: string; validTo: string }> | null;
  measureTasks: ReadonlyArray<{ measureCode: string; implementingDepartment: string; target: SubjectRef; validFrom: string; validTo: string }> | null;
}

export function footprintOfPlanned(decision: PlannedDecision): DecisionFootprint {
  return footprintOfStored({ memorandumId: decision.memorandumId, listEntries: decision.listEntries, measureTasks: decision.measureTasks });
}

export function footprintOfStored(decision: StoredDecisionParts): DecisionFootprint {
  const listEntries = (decision.listEntries ?? []).map((e) => ({ listCode: e.listCode, listType: e.listType, subjectId: e.subject.id, validFrom: e.validFrom, validTo: e.validTo }));
  const measures = (decision.measureTasks ?? []).map((t) => ({ measureCode: t.measureCode, implementingDepartment: t.implementingDepartment, targetIdType: t.target.idType, targetId: t.target.id, validFrom: t.validFrom, validTo: t.validTo }));
  const subject = decision.listEntries?.[0]?.subject ?? decision.measureTasks?.[0]?.target ?? { kind: 'enterprise', idType: 'USCC', id: '', name: '' };
  return { memorandumId: decision.memorandumId, subject, listEntries, measures };
}

/** A measure's identity within a decision: the same measure against the same target. */
export function measureKey(measure: MeasureFootprint): string {
  return `${measure.measureCode}\u0000${measure.targetId}`;
}
