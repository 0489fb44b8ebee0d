import { DecisionChange, DecisionDifference } from './decision-diff';
import { MaskedSubject, maskSubject } from './subject-masking';

export interface ChangeCounts {
  gained: number;
  lost: number;
  changed: number;
}

/** An event that shows a difference, with its subject masked. */
export interface WhatIfExample {
  source: string;
  eventId: string;
  change: DecisionChange;
  subject: MaskedSubject;
}

/** What a run found so far: decisions gained, lost and changed, per memorandum, implementing department and measure code. */
export interface WhatIfSummary {
  decisionsBefore: number;
  decisionsAfter: number;
  eventsWithDifferences: number;
  decisions: ChangeCounts;
  byMemorandum: Array<{ memorandumId: string; examples: WhatIfExample[] } & ChangeCounts>;
  /** A decision counts for each department implementing one of its measures that the change touches. */
  byDepartment: Array<{ department: string } & ChangeCounts>;
  /** Measure tasks gained, lost or changed (another department or validity), by measure code. */
  byMeasure: Array<{ measureCode: string; memorandumId: string } & ChangeCounts>;
}

/** Examples kept per memorandum: enough to open a few drill-downs, never a list of subjects. */
export const EXAMPLES_PER_MEMORANDUM = 5;

const zero = (): ChangeCounts => ({ gained: 0, lost: 0, changed: 0 });

/** Adds up the differences of a run event by event. */
export class WhatIfTally {
  private decisionsBefore = 0;
  private decisionsAfter = 0;
  private eventsWithDifferences = 0;
  private readonly decisions = zero();
  private readonly memoranda = new Map<string, ChangeCounts & { examples: WhatIfExample[] }>();
  private readonly departments = new Map<string, ChangeCounts>();
  private readonly measures = new Map<string, ChangeCounts & { memorandumId: string }>();

  add(event: { source: string; eventId: string }, decided: { before: number; after: number }, differences: readonly DecisionDifference[]): void {
    this.decisionsBefore += decided.before;
    this.decisionsAfter += decided.after;
    if (differences.length === 0) return;
    this.eventsWithDifferences++;
    for (const d of differences) {
      this.decisions[d.change]++;
      const memorandum = getOr(this.memoranda, d.memorandumId, () => ({ ...zero(), examples: [] }));
      memorandum[d.change]++;
      if (memorandum.examples.length < EXAMPLES_PER_MEMORANDUM) memorandum.examples.push({ source: event.source, eventId: event.eventId, change: d.change, subject: maskSubject(d.subject) });
      const touched = new Set([...d.measuresGained, ...d.measuresLost, ...d.measuresChanged.flatMap((c) => [c.before, c.after])].map((m) => m.implementingDepartment));
      for (const department of touched) getOr(this.departments, department, zero)[d.change]++;
      for (const m of d.measuresGained) getOr(this.measures, m.measureCode, () => ({ ...zero(), memorandumId: d.memorandumId })).gained++;
      for (const m of d.measuresLost) getOr(this.measures, m.measureCode, () => ({ ...zero(), memorandumId: d.memorandumId })).lost++;
      for (const { after } of d.measuresChanged) getOr(this.measures, after.measureCode, () => ({ ...zero(), memorandumId: d.memorandumId })).changed++;
    }
  }

  summary(): WhatIfSummary {
    return {
      decisionsBefore: this.decisionsBefore,
      decisionsAfter: this.decisionsAfter,
      eventsWithDifferences: this.eventsWithDifferences,
      decisions: { ...this.decisions },
      byMemorandum: sorted(this.memoranda).map(([memorandumId, c]) => ({ memorandumId, gained: c.gained, lost: c.lost, changed: c.changed, examples: [...c.examples] })),
      byDepartment: sorted(this.departments).map(([department, c]) => ({ department, ...c })),
      byMeasure: sorted(this.measures).map(([measureCode, c]) => ({ measureCode, memorandumId: c.memorandumId, gained: c.gained, lost: c.lost, changed: c.changed })),
    };
  }
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

function sorted<V>(map: ReadonlyMap<string, V>): Array<[string, V]> {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}
