import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRuleCaseFiles } from '../rule-cases';
import { MemorandumFile } from '../loader/memorandum';
import { buildRuleSet, readRuleSources, RuleSources } from '../loader/rule-set-loader';
import { RuleProblem } from '../loader/rule-set.errors';
import { checkRuleSources } from './rule-check';
import { CaseEvents, coverageWarnings } from './rule-coverage';

const root = resolve(__dirname, '../../../..');
const rulesDir = join(root, 'rules');
const shipped = readRuleSources(rulesDir);
const departments = new Set((JSON.parse(readFileSync(join(root, 'config/departments.json'), 'utf8')) as { departments: { code: string }[] }).departments.map((d) => d.code));
const shippedCases: CaseEvents[] = loadRuleCaseFiles(rulesDir).map((c) => ({ memorandum: c.memorandum, events: c.cases.map((rc) => rc.event) }));
const TODAY = '2026-12-01';

function memorandum(name: string): MemorandumFile {
  return JSON.parse(shipped.memoranda.find((f) => f.file.endsWith(`/${name}`))!.content) as MemorandumFile;
}

/** The shipped sources with one memorandum edited (or added, when no shipped file has its id). */
function withMemorandum(edited: MemorandumFile): RuleSources {
  const file = join(rulesDir, `${edited.id}.json`);
  return { ...shipped, memoranda: [...shipped.memoranda.filter((f) => f.file !== file), { file, content: JSON.stringify(edited, null, 2) }] };
}

describe('coverage warnings', () => {
  /** A policy officer's new memorandum on wage-arrears penalties: no cases, and it decides on what wage-arrears.json already decides on. */
  function wageArrearsPenalties(): MemorandumFile {
    const m = memorandum('wage-arrears.json');
    return {
      ...m,
      id: 'wage-arrears-penalties',
      list: { ...m.list, code: 'wage-arrears-penalties', escalation: undefined },
      measures: m.measures.map((measure) => ({ ...measure, code: measure.code.replace('WA-', 'WP-') })),
      rules: [
        {
          name: 'serious-wage-arrears-penalty',
          description: 'A serious wage-arrears penalty from HR & social security.',
          conditions: {
            all: [
              { fact: 'severity', operator: 'equal', value: 'serious' },
              { fact: 'eventType', operator: 'equal', value: 'credit.penalty.imposed.v1' },
              { fact: 'sourceDepartment', operator: 'equal', value: 'hr-social-security' },
              { fact: 'reason', operator: 'in', value: ['wage-arrears', 'social-insurance-arrears'] },
            ],
          },
          measures: ['WP-01'],
        },
      ],
    };
  }

  async function warningsOf(edited: MemorandumFile, cases: CaseEvents[] = shippedCases): Promise<RuleProblem[]> {
    const ruleSet = buildRuleSet(withMemorandum(edited), { knownDepartments: departments, today: TODAY });
    return [...ruleSet.warnings, ...(await coverageWarnings(ruleSet, cases, { changed: new Set([`${edited.id}.json`]) }))];
  }

  it('a new memorandum without cases firing on the events of an existing one: two warnings, no error', async () => {
    expect(await warningsOf(wageArrearsPenalties())).toEqual([
      expect.objectContaining({ severity: 'warning', file: 'wage-arrears-penalties.json', path: '$.rules', code: 'RULES.NO_CASES', message: expect.stringMatching(/^memorandum "wage-arrears-penalties" has no rule cases: add wage-arrears-penalties\.cases\.json/) }),
      {
        severity: 'warning',
        file: 'wage-arrears-penalties.json',
        path: '$.rules[0].conditions',
        code: 'RULES.OVERLAP',
        value: 'wage-arrears-listed',
        message:
          'rule "serious-wage-arrears-penalty" fires on the same events as rule "wage-arrears-listed" of wage-arrears.json ' +
          '(e.g. severity "serious", sourceDepartment "hr-social-security", eventType "credit.penalty.imposed.v1", reason "wage-arrears"), ' +
          'and no case in wage-arrears-penalties.cases.json shows such an event: add one showing what the subject gets, or narrow the conditions',
      },
    ]);
  });

  it('a rule case whose event both memoranda decide on covers the overlap', async () => {
    const wageArrearsPenalty = loadRuleCaseFiles(rulesDir)
      .find((c) => c.memorandum === 'wage-arrears')!
      .cases.find((c) => /serious HR & social-security penalty for wage arrears/.test(c.note))!.event;
    expect(await warningsOf(wageArrearsPenalties(), [...shippedCases, { memorandum: 'wage-arrears-penalties', events: [wageArrearsPenalty] }])).toEqual([]);
  });

  it('memoranda testing different lists do not overlap', async () => {
    const m = wageArrearsPenalties();
    (m.rules[0].conditions as { all: { value: unknown }[] }).all[3].value = ['social-insurance-arrears'];
    expect((await warningsOf(m)).map((w) => w.code)).toEqual(['RULES.NO_CASES']);
  });

  it('finds nothing to warn of in the shipped rules and their cases', async () => {
    const ruleSet = buildRuleSet(shipped, { knownDepartments: departments, today: TODAY });
    expect(await coverageWarnings(ruleSet, shippedCases)).toEqual([]);
  });
});

describe('checkRuleSources (what rules:check and the console show)', () => {
  it('gives a refusal as values: the refusal code and its focused errors, no rule set, no throw', async () => {
    const m = memorandum('honesty-models.json');
    (m.rules[0].conditions as { any: { all: { operator: string }[] }[] }).any[1].all[2].operator = 'notEquals';
    const check = await checkRuleSources(withMemorandum(m), shippedCases, { knownDepartments: departments, today: TODAY });
    expect(check.ruleSet).toBeUndefined();
    expect(check.refusal).toBe('RULES.INVALID_FILE');
    expect(check.errors.map((p) => [p.file, p.path, p.code, p.value, p.suggestion])).toEqual([['honesty-models.json', '$.rules[0].conditions.any[1].all[2].operator', 'RULES.UNKNOWN_OPERATOR', 'notEquals', 'notEqual']]);
  });

  it('gives an accepted set with its coverage warnings', async () => {
    const m = memorandum('honesty-models.json');
    const check = await checkRuleSources(withMemorandum({ ...m, version: `${m.version}-draft` }), [], { knownDepartments: departments, today: TODAY, changed: new Set(['honesty-models.json']) });
    expect(check.ruleSet?.memoranda).toHaveLength(10);
    expect(check.errors).toEqual([]);
    expect(check.warnings.map((w) => w.code)).toEqual(Array(10).fill('RULES.NO_CASES'));
  });
});
