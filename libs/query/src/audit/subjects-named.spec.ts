import { subjectsNamedIn } from './subjects-named';

const ENTERPRISE = '91510802MA62XK0U3U';
const LEGAL_REP = '510802199003071232';
const PERSON = '11010519491231002X';

describe('subjectsNamedIn', () => {
  it('finds the listed subject and every measure target of a decision record, once each, sorted', () => {
    const record = {
      cursor: '7',
      causeEvent: { id: '510802199003071232-looks-like-an-id', source: '/departments/court' },
      memorandum: { id: 'judgment-debtors', kind: 'sanction' },
      listEntries: [{ id: 'e0b7c5d2-0000-4000-8000-000000000001', subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '某某公司' } }],
      measures: [
        { taskId: 't1', target: { role: 'subject', idType: 'USCC', id: ENTERPRISE, name: '某某公司' }, legalBasis: [{ instrument: { id: 'civil-procedure-law' } }] },
        { taskId: 't2', target: { role: 'legal-representative', idType: 'RESIDENT_ID', id: LEGAL_REP, name: '张三' } },
      ],
    };
    expect(subjectsNamedIn({ records: [record] })).toEqual([LEGAL_REP, ENTERPRISE].sort());
  });

  it('finds lifecycle targets without an idType, a refusal\'s subjectId, a check\'s subject and via, an audit page\'s subjects', () => {
    expect(subjectsNamedIn({ measures: [{ target: { role: 'legal-representative', id: LEGAL_REP, name: '张三' } }] })).toEqual([LEGAL_REP]);
    expect(subjectsNamedIn({ kind: 'repair.refused', subjectId: PERSON, code: 'REPAIR.TOO_EARLY' })).toEqual([PERSON]);
    expect(subjectsNamedIn({ subject: { id: LEGAL_REP, idType: 'RESIDENT_ID' }, measures: [{ target: { role: 'legal-representative', via: { list: 'judgment-debtor', id: ENTERPRISE } } }] })).toEqual(
      [LEGAL_REP, ENTERPRISE].sort(),
    );
    expect(subjectsNamedIn({ queries: [{ subjectId: null, subjects: [PERSON, ENTERPRISE] }, { subjectId: LEGAL_REP, subjects: null }] })).toEqual([LEGAL_REP, PERSON, ENTERPRISE].sort());
  });

  it('names nobody in an answer without subjects (ids of records, memoranda, events and instruments are not subjects)', () => {
    expect(subjectsNamedIn({ department: 'finance', records: [], nextCursor: '0' })).toEqual([]);
    expect(subjectsNamedIn({ id: LEGAL_REP, memorandum: { id: 'x' }, causeEvent: { id: PERSON }, subject: { name: 'no id' }, target: null })).toEqual([]);
  });
});
