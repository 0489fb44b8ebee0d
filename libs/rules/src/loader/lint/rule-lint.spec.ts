import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine } from 'json-rules-engine';
import { MemorandumFile } from '../memorandum';
import { buildRuleSet, readRuleSources, RuleSources } from '../rule-set-loader';
import { RuleProblem, RuleSetError } from '../rule-set.errors';
import { CONDITION_FACTS, CONDITION_OPERATORS } from './condition-findings';
import { didYouMean } from './did-you-mean';

const root = resolve(__dirname, '../../../../..');
const rulesDir = join(root, 'rules');
const shipped = readRuleSources(rulesDir);
const departments = new Set((JSON.parse(readFileSync(join(root, 'config/departments.json'), 'utf8')) as { departments: { code: string }[] }).departments.map((d) => d.code));
const TODAY = '2026-12-01';

function memorandum(name: string): MemorandumFile {
  return JSON.parse(shipped.memoranda.find((f) => f.file.endsWith(`/${name}`))!.content) as MemorandumFile;
}

/** The shipped sources with one memorandum edited (or added, when no shipped file has its id). */
function withMemorandum(edited: MemorandumFile): RuleSources {
  const file = join(rulesDir, `${edited.id}.json`);
  return { ...shipped, memoranda: [...shipped.memoranda.filter((f) => f.file !== file), { file, content: JSON.stringify(edited, null, 2) }] };
}

function problemsOf(sources: RuleSources): RuleProblem[] {
  try {
    buildRuleSet(sources, { knownDepartments: departments, today: TODAY });
  } catch (error) {
    if (error instanceof RuleSetError) return error.problems;
    throw error;
  }
  return [];
}

/** A shipped memorandum with one edit to its first rule's top-level `all`. */
function judgmentDebtorsWith(edit: (all: Record<string, unknown>[]) => void): RuleSources {
  const m = memorandum('judgment-debtors.json');
  edit((m.rules[0].conditions as { all: Record<string, unknown>[] }).all);
  return withMemorandum(m);
}

describe('focused rule problems: one message a mistake', () => {
  it('an operator typo: the operator quoted, with the operator meant', () => {
    expect(problemsOf(judgmentDebtorsWith((all) => (all[0].operator = 'equl')))).toEqual([
      {
        severity: 'error',
        file: 'judgment-debtors.json',
        path: '$.rules[0].conditions.all[0].operator',
        code: 'RULES.UNKNOWN_OPERATOR',
        value: 'equl',
        suggestion: 'equal',
        message: 'unknown operator "equl"; did you mean "equal"?',
      },
    ]);
  });

  it('an operator nothing resembles: the operators there are', () => {
    expect(problemsOf(judgmentDebtorsWith((all) => (all[0].operator = 'matches'))).map((p) => p.message)).toEqual([
      'unknown operator "matches": use one of equal, notEqual, in, notIn, contains, doesNotContain, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive',
    ]);
  });

  it('a wrong fact name: the fact quoted, with the fact events provide that was meant', () => {
    expect(problemsOf(judgmentDebtorsWith((all) => (all[3].fact = 'sourceDepartement')))).toEqual([
      expect.objectContaining({ path: '$.rules[0].conditions.all[3].fact', code: 'RULES.UNKNOWN_FACT', value: 'sourceDepartement', suggestion: 'sourceDepartment', message: 'unknown fact "sourceDepartement"; did you mean "sourceDepartment"?' }),
    ]);
  });

  it('a misspelled department in a condition: refused against the department registry', () => {
    expect(problemsOf(judgmentDebtorsWith((all) => (all[3].value = 'cort')))).toEqual([
      {
        severity: 'error',
        file: 'judgment-debtors.json',
        path: '$.rules[0].conditions.all[3].value',
        code: 'RULES.UNKNOWN_DEPARTMENT',
        value: 'cort',
        suggestion: 'court',
        message: 'sourceDepartment "cort" is no department of the registry (config/departments.json); did you mean "court"?',
      },
    ]);
  });

  it('a misspelled list code in a condition: refused against the lists the memoranda define', () => {
    expect(problemsOf(judgmentDebtorsWith((all) => (all[2].value = 'judgement-debtor')))).toEqual([
      expect.objectContaining({
        path: '$.rules[0].conditions.all[2].value',
        code: 'RULES.UNKNOWN_LIST',
        value: 'judgement-debtor',
        suggestion: 'judgment-debtor',
        message: 'listCode "judgement-debtor" is no list a memorandum defines; did you mean "judgment-debtor"?',
      }),
    ]);
  });

  it('a misspelled event type inside an "in" list: the item located and quoted', () => {
    expect(problemsOf(judgmentDebtorsWith((all) => ((all[1].value as string[])[1] = 'credit.list-entry.add.v1')))).toEqual([
      expect.objectContaining({ path: '$.rules[0].conditions.all[1].value[1]', code: 'RULES.UNKNOWN_EVENT_TYPE', value: 'credit.list-entry.add.v1', suggestion: 'credit.list-entry.added.v1' }),
    ]);
  });

  it('an unknown property in a condition, and "in" given one value: one message each', () => {
    const problems = problemsOf(
      judgmentDebtorsWith((all) => {
        all[0].vaule = all[0].value;
        delete all[0].value;
        all[4].value = 'enterprise';
      }),
    );
    expect(problems.map((p) => [p.path, p.code, p.suggestion])).toEqual([
      ['$.rules[0].conditions.all[0].vaule', 'RULES.UNKNOWN_PROPERTY', 'value'],
      ['$.rules[0].conditions.all[0]', 'RULES.MISSING_PROPERTY', undefined],
      ['$.rules[0].conditions.all[4].value', 'RULES.INVALID_VALUE', undefined],
    ]);
  });

  it('a schema mistake outside conditions: one message, the value quoted', () => {
    const m = memorandum('judgment-debtors.json');
    (m.measures[2] as { category: string }).category = 'restirct';
    expect(problemsOf(withMemorandum(m))).toEqual([
      expect.objectContaining({ path: '$.measures[2].category', code: 'RULES.INVALID_VALUE', value: 'restirct', suggestion: 'restrict', message: expect.stringMatching(/^"restirct" is not one of "restrict", .*; did you mean "restrict"\?$/) }),
    ]);
  });

  it('two schema mistakes in one measure, and a misspelled rule property: one message each', () => {
    const m = memorandum('judgment-debtors.json');
    delete (m.measures[1] as Partial<MemorandumFile['measures'][number]>).legalBasis;
    (m.measures[1] as { category: string }).category = 'deni';
    (m.rules[0] as unknown as Record<string, unknown>).descripton = m.rules[0].description;
    expect(problemsOf(withMemorandum(m)).map((p) => [p.path, p.code, p.value, p.suggestion])).toEqual([
      ['$.measures[1]', 'RULES.MISSING_PROPERTY', undefined, undefined],
      ['$.measures[1].category', 'RULES.INVALID_VALUE', 'deni', 'deny'],
      ['$.rules[0].descripton', 'RULES.UNKNOWN_PROPERTY', 'descripton', 'description'],
    ]);
  });

  it('a misspelled measure code in a rule: the measure meant', () => {
    const m = memorandum('judgment-debtors.json');
    m.rules[0].measures[0] = 'JD01';
    expect(problemsOf(withMemorandum(m))).toEqual([expect.objectContaining({ path: '$.rules[0].measures[0]', code: 'RULES.UNKNOWN_MEASURE', value: 'JD01', suggestion: 'JD-01' })]);
  });

  it('leaves the shipped rules without a problem', () => {
    expect(problemsOf(shipped)).toEqual([]);
  });
});

describe('didYouMean', () => {
  it('suggests a close name, ignoring case, and nothing for a far one', () => {
    expect(didYouMean('Court', ['court', 'tax'])).toBe('court');
    expect(didYouMean('greaterThen', ['greaterThan', 'lessThan'])).toBe('greaterThan');
    expect(didYouMean('zzz', ['court', 'tax'])).toBeUndefined();
  });
});

describe('the names conditions are checked against', () => {
  const condition = (JSON.parse(readFileSync(join(rulesDir, 'memorandum.schema.json'), 'utf8')) as { $defs: { condition: { oneOf: { properties?: Record<string, { enum: string[] }> }[] } } }).$defs.condition.oneOf[1].properties!;

  it('are the schema’s facts and operators, and json-rules-engine knows every operator', () => {
    expect([...CONDITION_FACTS].sort()).toEqual([...condition.fact.enum].sort());
    expect([...CONDITION_OPERATORS].sort()).toEqual([...condition.operator.enum].sort());
    const operators = (new Engine() as unknown as { operators: { get(name: string): unknown } }).operators;
    for (const name of CONDITION_OPERATORS) expect(operators.get(name)).toBeTruthy();
  });
});
