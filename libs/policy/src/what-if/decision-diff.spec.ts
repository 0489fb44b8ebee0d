import { SubjectRef } from '@app/domain';
import { diffDecisions } from './decision-diff';
import { DecisionFootprint, MeasureFootprint } from './decision-footprint';
import { WhatIfTally } from './what-if-tally';

const SUBJECT: SubjectRef = { kind: 'individual', idType: 'RESIDENT_ID', id: '510802199003071232', name: '张三' };
const measure = (measureCode: string, implementingDepartment = 'finance', validTo = '2029-12-31'): MeasureFootprint => ({
  measureCode,
  implementingDepartment,
  targetIdType: 'RESIDENT_ID',
  targetId: SUBJECT.id,
  validFrom: '2026-12-01',
  validTo,
});
const decision = (memorandumId: string, measures: MeasureFootprint[], validTo = '2029-12-31'): DecisionFootprint => ({
  memorandumId,
  subject: SUBJECT,
  listEntries: [{ listCode: 'JD', listType: 'black', subjectId: SUBJECT.id, validFrom: '2026-12-01', validTo }],
  measures,
});

describe('diffDecisions', () => {
  it('finds nothing when the draft decides the same', () => {
    const same = [decision('judgment-debtors', [measure('JD-01'), measure('JD-02', 'housing')])];
    expect(diffDecisions(same, structuredClone(same))).toEqual([]);
  });

  it('calls a decision only the draft makes gained, one only the engine made lost', () => {
    const differences = diffDecisions([decision('wage-arrears', [measure('WA-01')])], [decision('judgment-debtors', [measure('JD-01')])]);
    expect(differences.map((d) => [d.memorandumId, d.change, d.measuresGained.map((m) => m.measureCode), d.measuresLost.map((m) => m.measureCode)])).toEqual([
      ['judgment-debtors', 'gained', ['JD-01'], []],
      ['wage-arrears', 'lost', [], ['WA-01']],
    ]);
  });

  it('calls a decision with a measure removed, added or moved to another department changed, naming the measures', () => {
    const before = [decision('judgment-debtors', [measure('JD-01'), measure('JD-02'), measure('JD-03')])];
    const after = [decision('judgment-debtors', [measure('JD-01'), measure('JD-03', 'housing'), measure('JD-04')])];
    const [d] = diffDecisions(before, after);
    expect(d.change).toBe('changed');
    expect(d.measuresLost.map((m) => m.measureCode)).toEqual(['JD-02']);
    expect(d.measuresGained.map((m) => m.measureCode)).toEqual(['JD-04']);
    expect(d.measuresChanged.map((c) => [c.before.implementingDepartment, c.after.implementingDepartment])).toEqual([['finance', 'housing']]);
    expect(d.listEntriesChanged).toBe(false);
  });

  it('calls a decision whose list entry lasts longer changed, with no measure named', () => {
    const [d] = diffDecisions([decision('judgment-debtors', [])], [decision('judgment-debtors', [], '2030-12-31')]);
    expect(d).toMatchObject({ change: 'changed', listEntriesChanged: true, measuresGained: [], measuresLost: [], measuresChanged: [] });
  });
});

describe('WhatIfTally', () => {
  it('counts per memorandum, department and measure, with masked examples', () => {
    const tally = new WhatIfTally();
    const before = [decision('judgment-debtors', [measure('JD-01'), measure('JD-02', 'housing')])];
    tally.add({ source: '/departments/court', eventId: 'e1' }, { before: 1, after: 1 }, diffDecisions(before, [decision('judgment-debtors', [measure('JD-01')])]));
    tally.add({ source: '/departments/court', eventId: 'e2' }, { before: 1, after: 0 }, diffDecisions(before, []));
    tally.add({ source: '/departments/court', eventId: 'e3' }, { before: 1, after: 1 }, []);
    const summary = tally.summary();
    expect(summary).toMatchObject({ decisionsBefore: 3, decisionsAfter: 2, eventsWithDifferences: 2, decisions: { gained: 0, lost: 1, changed: 1 } });
    expect(summary.byMemorandum).toEqual([
      {
        memorandumId: 'judgment-debtors',
        gained: 0,
        lost: 1,
        changed: 1,
        examples: [
          { source: '/departments/court', eventId: 'e1', change: 'changed', subject: { kind: 'individual', idType: 'RESIDENT_ID', id: '510802********1232', name: '张*' } },
          { source: '/departments/court', eventId: 'e2', change: 'lost', subject: { kind: 'individual', idType: 'RESIDENT_ID', id: '510802********1232', name: '张*' } },
        ],
      },
    ]);
    expect(summary.byDepartment).toEqual([
      { department: 'finance', gained: 0, lost: 1, changed: 0 },
      { department: 'housing', gained: 0, lost: 1, changed: 1 },
    ]);
    expect(summary.byMeasure).toEqual([
      { measureCode: 'JD-01', memorandumId: 'judgment-debtors', gained: 0, lost: 1, changed: 0 },
      { measureCode: 'JD-02', memorandumId: 'judgment-debtors', gained: 0, lost: 2, changed: 0 },
    ]);
  });
});
