import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMemorandumFile, MemorandumFile } from '@app/rules';

const ROOT = resolve(__dirname, '../..');
const RULES_DIR = join(ROOT, 'rules');

/** `npm run rules:check` as policy staff run it: the built CLI (`npm test` builds dist/ first) on a rules directory of their own. */
function rulesCheck(rulesDir: string, drafts: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/node-app.js'), join(ROOT, 'dist/apps/rules-cli/src/main.js'), 'check', ...drafts], {
    cwd: ROOT,
    env: { ...process.env, RULES_DIR: rulesDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function copyOfRules(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'rules-check-')), 'rules');
  cpSync(join(ROOT, 'rules'), dir, { recursive: true });
  return dir;
}

function edit(dir: string, name: string, change: (m: MemorandumFile) => void): void {
  const file = join(dir, name);
  const memorandum = JSON.parse(readFileSync(file, 'utf8')) as MemorandumFile;
  change(memorandum);
  writeFileSync(file, JSON.stringify(memorandum, null, 2));
}

describe('npm run rules:check (the built CLI)', () => {
  it('refuses an operator typo with exit code 1 and one line: file:path, code, the operator quoted and the one meant', () => {
    const dir = copyOfRules();
    edit(dir, 'judgment-debtors.json', (m) => ((m.rules[1].conditions as { all: { operator: string }[] }).all[0].operator = 'eqaul'));
    const { status, stdout, stderr } = rulesCheck(dir);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      'judgment-debtors.json:$.rules[1].conditions.all[0].operator  RULES.UNKNOWN_OPERATOR  unknown operator "eqaul"; did you mean "equal"?',
      '✗ RULES.INVALID_FILE: rule files refused (1 error)',
    ]);
    expect(status).toBe(1);
  });

  it('accepts a new memorandum without cases that overlaps an existing one with exit code 0, printing both warnings', () => {
    const dir = copyOfRules();
    const wageArrears = JSON.parse(readFileSync(join(dir, 'wage-arrears.json'), 'utf8')) as MemorandumFile;
    const draft: MemorandumFile = {
      ...wageArrears,
      id: 'wage-arrears-penalties',
      list: { ...wageArrears.list, code: 'wage-arrears-penalties', escalation: undefined },
      measures: wageArrears.measures.map((measure) => ({ ...measure, code: measure.code.replace('WA-', 'WP-') })),
      rules: [{ ...wageArrears.rules[0], name: 'serious-wage-arrears-penalty', measures: ['WP-01'] }],
    };
    writeFileSync(join(dir, 'wage-arrears-penalties.json'), JSON.stringify(draft, null, 2));
    const { status, stdout, stderr } = rulesCheck(dir);
    // The memoranda of rules/ and the draft beside them.
    const memoranda = readdirSync(RULES_DIR).filter(isMemorandumFile).length + 1;
    expect(stdout).toMatch(new RegExp(`^✓ ${memoranda} memoranda, .*\\n✓ rule cases: \\d+ passed, 0 failed\\n✓ 1 credit class model, \\d+ rules valid .*\\n✓ credit class cases: \\d+ passed, 0 failed\\n$`));
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^wage-arrears-penalties\.json:\$\.rules  RULES\.NO_CASES  memorandum "wage-arrears-penalties" has no rule cases/),
      expect.stringMatching(
        /^wage-arrears-penalties\.json:\$\.rules\[0\]\.conditions  RULES\.OVERLAP  rule "serious-wage-arrears-penalty" fires on the same events as rule "wage-arrears-listed" of wage-arrears\.json \(e\.g\. severity "serious", sourceDepartment "hr-social-security", eventType "credit\.list-entry\.added\.v1", listCode "wage-arrears"\)/,
      ),
      '⚠ 2 warnings (accepted)',
    ]);
    expect(status).toBe(0);
  });
});
