import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InstrumentCatalogueFile, MemorandumFile } from '@app/rules';
import { checkRules } from './rules-check';

const root = resolve(__dirname, '../../..');
const rulesDir = join(root, 'rules');
const departmentsFile = join(root, 'config/departments.json');

/** What `npm run rules:check` would print, captured. */
async function check(drafts: string[], today = '2026-12-01'): Promise<{ exitCode: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const exitCode = await checkRules({ rulesDir, departmentsFile, drafts, today }, { log: (line) => out.push(line), error: (line) => err.push(line) });
  return { exitCode, out, err };
}

function draft<Content>(name: string, edit: (content: Content) => void): string {
  const content = JSON.parse(readFileSync(join(rulesDir, name), 'utf8')) as Content;
  edit(content);
  const file = join(mkdtempSync(join(tmpdir(), 'draft-')), name);
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

describe('rules:check', () => {
  it('refuses a draft citing an uncatalogued instrument, printing file, JSON path and reason', async () => {
    const file = draft<MemorandumFile>('judgment-debtors.json', (m) => (m.measures[0].legalBasis[1].instrument = 'lizhou-unpublished-notice'));
    const { exitCode, err } = await check([file]);
    expect(exitCode).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^judgment-debtors\.json:\$\.measures\[0\]\.legalBasis\[1\]\.instrument  RULES\.UNKNOWN_INSTRUMENT  measure JD-01 cites "lizhou-unpublished-notice", which is not in the published catalogue/),
      '✗ RULES.ILLEGAL_MEASURE: rule files refused (1 error)',
    ]);
  });

  it('accepts a draft catalogue announcing a repeal within 90 days, printing the warning', async () => {
    const file = draft<InstrumentCatalogueFile>('instruments.json', (c) => (c.instruments.find((i) => i.id === 'civil-servant-law')!.repealedOn = '2027-01-15'));
    const { exitCode, out, err } = await check([file]);
    expect(exitCode).toBe(0);
    expect(out[0]).toMatch(/^✓ 10 memoranda, \d+ rules, \d+ measures valid against \d+ catalogued instruments/);
    expect(err).toEqual([
      'judgment-debtors.json:$.measures[8].legalBasis[0].instrument  RULES.CITATION_WARNING  measure JD-09 cites "civil-servant-law" (《中华人民共和国公务员法》), repealed on 2027-01-15 (in 45 days): measure JD-09 stops firing that day',
      '⚠ 1 warning (accepted)',
    ]);
  });

  it('refuses a misspelled department in a condition with one line: file:path, code, the value quoted and the department meant', async () => {
    const file = draft<MemorandumFile>('wage-arrears.json', (m) => ((m.rules[0].conditions as { all: { value: unknown }[] }).all[1].value = 'hr-social-securty'));
    const { exitCode, err } = await check([file]);
    expect(exitCode).toBe(1);
    expect(err).toEqual([
      'wage-arrears.json:$.rules[0].conditions.all[1].value  RULES.UNKNOWN_DEPARTMENT  sourceDepartment "hr-social-securty" is no department of the registry (config/departments.json); did you mean "hr-social-security"?',
      '✗ RULES.INVALID_FILE: rule files refused (1 error)',
    ]);
  });
});

describe('rules:check on credit class models', () => {
  it('checks rules/classes and runs its cases', async () => {
    const { exitCode, out } = await check([]);
    expect(exitCode).toBe(0);
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^✓ 1 credit class model, \d+ rules valid \(market-credit-class \d+\.\d+\.\d+ sha256:[0-9a-f]{16}\)$/), expect.stringMatching(/^✓ credit class cases: \d+ passed, 0 failed$/)]));
  });

  it('prints a mistyped fact of a class model as one line, and refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    cpSync(rulesDir, dir, { recursive: true });
    const file = join(dir, 'classes/market-credit-class.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"fact": "commitments.broken"', '"fact": "commitment.broken"'));
    const err: string[] = [];
    const exitCode = await checkRules({ rulesDir: dir, departmentsFile, today: '2026-12-01' }, { log: () => undefined, error: (line) => err.push(line) });
    expect(exitCode).toBe(1);
    expect(err).toEqual([
      'classes/market-credit-class.json:$.rules[2].conditions.all[0].fact  RULES.UNKNOWN_FACT  unknown fact "commitment.broken"; did you mean "commitments.broken"?',
      '✗ RULES.INVALID_FILE: credit class models refused (1 error)',
    ]);
  });
});
