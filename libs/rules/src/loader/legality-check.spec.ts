import { checkLegality, severityGuardOf } from './legality-check';
import { MemorandumFile } from './memorandum';

function memorandum(overrides: Partial<MemorandumFile> = {}): MemorandumFile {
  return {
    id: 'test-memo',
    title: { zh: '测试', en: 'Test' },
    documentNumber: 'TEST-1',
    kind: 'sanction',
    version: '1',
    validity: { from: '2020-01-01' },
    list: { code: 'test-list', type: 'black', name: { zh: '测试名单', en: 'Test list' }, identifyingDepartment: 'court', defaultTermDays: 365, maxTermDays: 730 },
    repair: { allowed: true },
    measures: [
      {
        code: 'T-01',
        text: { zh: '限制', en: 'Restrict' },
        category: 'restrict',
        implementingDepartment: 'finance',
        legalBasis: [{ instrument: 'Law', article: 'Art. 1' }],
        targets: ['subject'],
        severityRequired: 'serious',
      },
    ],
    rules: [
      {
        name: 'serious-only',
        description: 'gated on severity',
        conditions: { all: [{ fact: 'severity', operator: 'equal', value: 'serious' }] },
        measures: ['T-01'],
      },
    ],
    ...overrides,
  };
}

describe('checkLegality', () => {
  it('accepts a serious measure behind a top-level serious guard', () => {
    expect(checkLegality(memorandum(), new Set(['court', 'finance']))).toEqual([]);
  });

  it('refuses a measure without legal basis, naming its path', () => {
    const m = memorandum();
    m.measures[0].legalBasis = [];
    expect(checkLegality(m)).toEqual([expect.objectContaining({ path: '$.measures[0].legalBasis' })]);
  });

  it('refuses a legal basis without an article', () => {
    const m = memorandum();
    m.measures[0].legalBasis = [{ instrument: 'Law', article: ' ' }];
    expect(checkLegality(m).map((p) => p.path)).toEqual(['$.measures[0].legalBasis']);
  });

  it('refuses a measure without implementing department, and unknown departments', () => {
    const m = memorandum();
    m.measures[0].implementingDepartment = '';
    expect(checkLegality(m).map((p) => p.path)).toContain('$.measures[0].implementingDepartment');
    const n = memorandum();
    n.measures[0].implementingDepartment = 'ministry-of-magic';
    expect(checkLegality(n, new Set(['court', 'finance']))[0].message).toMatch(/unknown department "ministry-of-magic"/);
  });

  it('refuses a serious measure reachable by a general-severity event', () => {
    const m = memorandum();
    m.rules[0].conditions = { all: [{ fact: 'severity', operator: 'in', value: ['general', 'serious'] }] };
    const problems = checkLegality(m);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '$.rules[0].measures[0]' });
    expect(problems[0].message).toMatch(/requires serious dishonesty/);
  });

  it('does not count a severity guard hidden inside "any" (it does not gate every path)', () => {
    const m = memorandum();
    m.rules[0].conditions = {
      any: [
        { fact: 'severity', operator: 'equal', value: 'serious' },
        { fact: 'eventType', operator: 'equal', value: 'credit.penalty.imposed.v1' },
      ],
    };
    expect(checkLegality(m)).toHaveLength(1);
  });

  it('lets incentive measures fire without a severity guard', () => {
    const m = memorandum();
    m.measures[0].severityRequired = 'any';
    m.rules[0].conditions = { all: [{ fact: 'grade', operator: 'equal', value: 'A' }] };
    expect(checkLegality(m)).toEqual([]);
  });

  it('refuses rules referring to unknown measures and duplicate measure codes', () => {
    const m = memorandum();
    m.rules[0].measures = ['T-99'];
    m.measures.push({ ...m.measures[0] });
    const paths = checkLegality(m).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.rules[0].measures[0]', '$.measures[1].code']));
  });
});

describe('severityGuardOf', () => {
  it('intersects several guards', () => {
    const guard = severityGuardOf({
      all: [
        { fact: 'severity', operator: 'in', value: ['general', 'serious'] },
        { fact: 'severity', operator: 'notEqual', value: 'general' },
      ],
    });
    expect([...guard]).toEqual(['serious']);
  });
});
