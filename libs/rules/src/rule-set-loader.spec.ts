import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildRuleSet, loadRuleSet, toJsonPath } from './rule-set-loader';
import { RuleSetError } from './rule-set.errors';

const rulesDir = resolve(__dirname, '../../../rules');
const schema = JSON.parse(readFileSync(join(rulesDir, 'memorandum.schema.json'), 'utf8')) as object;

const valid = {
  $schema: './memorandum.schema.json',
  id: 'sample',
  title: { zh: '样例', en: 'Sample' },
  documentNumber: 'X〔2020〕1号',
  kind: 'sanction',
  version: '1',
  validity: { from: '2020-01-01' },
  list: { code: 'sample-list', type: 'black', name: { zh: '样例名单', en: 'Sample list' }, identifyingDepartment: 'court', defaultTermDays: 365, maxTermDays: 730 },
  repair: { allowed: false },
  measures: [
    {
      code: 'S-01',
      text: { zh: '限制政府采购', en: 'Restrict procurement' },
      category: 'restrict',
      implementingDepartment: 'finance',
      legalBasis: [{ instrument: '中华人民共和国政府采购法', article: '第二十二条' }],
      targets: ['subject'],
      severityRequired: 'serious',
    },
  ],
  rules: [{ name: 'listed', description: 'listed', conditions: { all: [{ fact: 'severity', operator: 'equal', value: 'serious' }] }, measures: ['S-01'] }],
};

function refusal(files: { file: string; content: string }[]): RuleSetError {
  try {
    buildRuleSet(files, schema);
  } catch (error) {
    if (error instanceof RuleSetError) return error;
    throw error;
  }
  throw new Error('expected the rule set to be refused');
}

describe('rule set loading', () => {
  it('builds a rule set with a content-hash revision that changes with the content', () => {
    const a = buildRuleSet([{ file: 'sample.json', content: JSON.stringify(valid) }], schema);
    const b = buildRuleSet([{ file: 'sample.json', content: JSON.stringify({ ...valid, version: '2' }) }], schema);
    expect(a.memoranda).toHaveLength(1);
    expect(a.revision).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(a.revision).not.toEqual(b.revision);
  });

  it('reports a missing legal basis with file, JSON path and reason', () => {
    const broken = structuredClone(valid) as Record<string, any>;
    delete broken.measures[0].legalBasis;
    const error = refusal([{ file: '/rules/sample.json', content: JSON.stringify(broken) }]);
    expect(error.problems).toEqual([{ file: 'sample.json', path: '$.measures[0]', message: expect.stringMatching(/legalBasis/) }]);
  });

  it('reports invalid JSON with the parser position', () => {
    const error = refusal([{ file: 'sample.json', content: '{ "id": ' }]);
    expect(error.code).toBe('RULES.INVALID_FILE');
    expect(error.problems[0]).toMatchObject({ file: 'sample.json', path: '$', message: expect.stringMatching(/not valid JSON/) });
  });

  it('reports an unknown fact in a condition at its path', () => {
    const broken = structuredClone(valid) as Record<string, any>;
    broken.rules[0].conditions.all.push({ fact: 'shoeSize', operator: 'equal', value: 42 });
    const error = refusal([{ file: 'sample.json', content: JSON.stringify(broken) }]);
    expect(error.problems.map((p) => p.path)).toContain('$.rules[0].conditions.all[1].fact');
  });

  it('refuses a file whose id is not its file name', () => {
    const error = refusal([{ file: 'other.json', content: JSON.stringify(valid) }]);
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.id' })]);
  });

  it('refuses two memoranda targeting one list', () => {
    const twin = { ...valid, id: 'twin', measures: [{ ...valid.measures[0], code: 'T-01' }], rules: [{ ...valid.rules[0], measures: ['T-01'] }] };
    const error = refusal([
      { file: 'sample.json', content: JSON.stringify(valid) },
      { file: 'twin.json', content: JSON.stringify(twin) },
    ]);
    expect(error.code).toBe('RULES.INVALID_FILE');
    expect(error.problems[0]).toMatchObject({ file: 'twin.json', path: '$.list.code' });
  });

  it('loads a directory and ignores case files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, 'memorandum.schema.json'), JSON.stringify(schema));
    writeFileSync(join(dir, 'sample.json'), JSON.stringify(valid));
    writeFileSync(join(dir, 'sample.cases.json'), '{"memorandum":"sample","cases":[]}');
    expect(loadRuleSet(dir).memoranda.map((m) => m.id)).toEqual(['sample']);
  });

  it('writes JSON paths the way editors show them', () => {
    expect(toJsonPath('')).toBe('$');
    expect(toJsonPath('/measures/2/legalBasis')).toBe('$.measures[2].legalBasis');
    expect(toJsonPath('/a~1b')).toBe('$["a/b"]');
  });
});
