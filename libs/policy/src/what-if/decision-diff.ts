import { SubjectRef } from '@app/domain';
import { DecisionFootprint, ListEntryFootprint, MeasureFootprint, measureKey } from './decision-footprint';

/** gained: the draft decides where the engine did not; lost: the reverse; changed: both decide, differently. */
export type DecisionChange = 'gained' | 'lost' | 'changed';

/** How one memorandum's decision about one event differs under the draft. */
export interface DecisionDifference {
  memorandumId: string;
  change: DecisionChange;
  subject: SubjectRef;
  /** Measures the draft adds, drops, or keeps with another department or validity. */
  measuresGained: MeasureFootprint[];
  measuresLost: MeasureFootprint[];
  measuresChanged: Array<{ before: MeasureFootprint; after: MeasureFootprint }>;
  /** Whether the list entries differ (list, type or validity). */
  listEntriesChanged: boolean;
}

/**
 * The differences of one event: its decisions as made (`before`) against the draft's
 * (`after`), matched by memorandum (an event gets at most one decision a memorandum).
 * Equal decisions give nothing.
 */
export function diffDecisions(before: readonly DecisionFootprint[], after: readonly DecisionFootprint[]): DecisionDifference[] {
  const old = new Map(before.map((d) => [d.memorandumId, d]));
  const next = new Map(after.map((d) => [d.memorandumId, d]));
  const differences: DecisionDifference[] = [];
  for (const memorandumId of [...new Set([...old.keys(), ...next.keys()])].sort()) {
    const was = old.get(memorandumId);
    const is = next.get(memorandumId);
    if (was && !is) differences.push({ memorandumId, change: 'lost', subject: was.subject, measuresGained: [], measuresLost: was.measures, measuresChanged: [], listEntriesChanged: was.listEntries.length > 0 });
    else if (!was && is) differences.push({ memorandumId, change: 'gained', subject: is.subject, measuresGained: is.measures, measuresLost: [], measuresChanged: [], listEntriesChanged: is.listEntries.length > 0 });
    else if (was && is) {
      const difference = changedDecision(was, is);
      if (difference) differences.push(difference);
    }
  }
  return differences;
}

function changedDecision(was: DecisionFootprint, is: DecisionFootprint): DecisionDifference | undefined {
  const oldMeasures = new Map(was.measures.map((m) => [measureKey(m), m]));
  const newMeasures = new Map(is.measures.map((m) => [measureKey(m), m]));
  const measuresGained = is.measures.filter((m) => !oldMeasures.has(measureKey(m)));
  const measuresLost = was.measures.filter((m) => !newMeasures.has(measureKey(m)));
  const measuresChanged = is.measures.flatMap((after) => {
    const before = oldMeasures.get(measureKey(after));
    return before && !sameMeasure(before, after) ? [{ before, after }] : [];
  });
  const listEntriesChanged = !sameListEntries(was.listEntries, is.listEntries);
  if (measuresGained.length + measuresLost.length + measuresChanged.length === 0 && !listEntriesChanged) return undefined;
  return { memorandumId: is.memorandumId, change: 'changed', subject: is.subject, measuresGained, measuresLost, measuresChanged, listEntriesChanged };
}

function sameMeasure(a: MeasureFootprint, b: MeasureFootprint): boolean {
  return a.implementingDepartment === b.implementingDepartment && a.validFrom === b.validFrom && a.validTo === b.validTo;
}

function sameListEntries(a: readonly ListEntryFootprint[], b: readonly ListEntryFootprint[]): boolean {
  const key = (e: ListEntryFootprint) => [e.listCode, e.listType, e.subjectId, e.validFrom, e.validTo].join('\u0000');
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}
