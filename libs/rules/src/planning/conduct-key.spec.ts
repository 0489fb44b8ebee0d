import { PlannedDecision } from './decision-plan';
import { conductKeyOf, conductKeyText, splitRepeatedConduct } from './conduct-key';

const subject = (id: string) => ({ kind: 'enterprise', idType: 'USCC', id }) as PlannedDecision['listEntries'][number]['subject'];

function decision(id: string, memorandumId: string, subjectId: string, documentNumber: string, withEntry = true): PlannedDecision {
  const task = { id: `${id}-t`, targetRole: 'subject', target: subject(subjectId), documentNumber } as PlannedDecision['measureTasks'][number];
  const entry = { id: `${id}-e`, subject: subject(subjectId), documentNumber, listCode: 'judgment-debtor' } as PlannedDecision['listEntries'][number];
  return { id, memorandumId, causeEventId: id, causeEventSource: '/departments/court', listEntries: withEntry ? [entry] : [], measureTasks: [task] } as PlannedDecision;
}

describe('conduct keys: one finding per memorandum, subject and document', () => {
  it('keys a listing by its entry and a penalty without a list by its measure on the subject', () => {
    expect(conductKeyOf(decision('a', 'judgment-debtors', '91510802MA6B3N4TXM', '（2026）川0802执1234号'))).toEqual({
      memorandumId: 'judgment-debtors',
      subjectId: '91510802MA6B3N4TXM',
      documentNumber: '（2026）川0802执1234号',
    });
    expect(conductKeyOf(decision('b', 'major-tax-violators', '91510802MA6B3N4TXM', '利税罚〔2026〕7号', false))).toEqual({
      memorandumId: 'major-tax-violators',
      subjectId: '91510802MA6B3N4TXM',
      documentNumber: '利税罚〔2026〕7号',
    });
    expect(conductKeyOf({ ...decision('c', 'm', 's', 'd'), listEntries: [], measureTasks: [] })).toBeUndefined();
  });

  it('tells keys apart by each of their parts', () => {
    const base = { memorandumId: 'm', subjectId: 's', documentNumber: 'd' };
    const texts = new Set([base, { ...base, memorandumId: 'm2' }, { ...base, subjectId: 's2' }, { ...base, documentNumber: 'd2' }].map(conductKeyText));
    expect(texts.size).toBe(4);
    // Parts are quoted, so a separator inside one cannot make two keys the same.
    expect(conductKeyText({ memorandumId: 'a","b', subjectId: 'c', documentNumber: 'd' })).not.toBe(conductKeyText({ memorandumId: 'a', subjectId: 'b","c', documentNumber: 'd' }));
  });

  it('keeps the first decision of each conduct in a run and names the one a repeat repeats', () => {
    const first = decision('first', 'judgment-debtors', 'S1', 'DOC-1');
    const other = decision('other', 'judgment-debtors', 'S2', 'DOC-1');
    const repeat = decision('repeat', 'judgment-debtors', 'S1', 'DOC-1');
    const otherMemorandum = decision('tax', 'major-tax-violators', 'S1', 'DOC-1');
    const { first: kept, repeated } = splitRepeatedConduct([first, other, repeat, otherMemorandum]);
    expect(kept.map((d) => d.id)).toEqual(['first', 'other', 'tax']);
    expect(repeated).toEqual([{ decision: repeat, original: first }]);
  });
});
