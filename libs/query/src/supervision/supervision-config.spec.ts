import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSupervisionPlans, loadSupervisionPlans, SUPERVISION_CONFIG_SCHEMA, SupervisionReferences } from './supervision-config';
import { SupervisionError } from './supervision.errors';

const root = join(__dirname, '../../../..');
const registry = JSON.parse(readFileSync(join(root, 'config/departments.json'), 'utf8')) as { departments: { code: string; kind?: string }[] };
const marketModel = JSON.parse(readFileSync(join(root, 'rules/classes/market-credit-class.json'), 'utf8')) as { id: string; classes: { code: string }[] };
const references: SupervisionReferences = { departments: new Map(registry.departments.map((d) => [d.code, d])), models: [marketModel] };

const plan = (overrides: Record<string, unknown> = {}) => ({
  department: 'market-regulation',
  model: 'market-credit-class',
  frequency: 'quarter',
  classes: { A: { inspectionRatio: 0.03 }, B: { inspectionRatio: 0.05 }, C: { inspectionRatio: 0.2 }, D: { inspectionRatio: 1 } },
  ...overrides,
});
const problemsOf = (content: unknown): string[] => {
  try {
    checkSupervisionPlans(content, references, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(SupervisionError);
    expect((error as SupervisionError).code).toBe('SUPERVISION.INVALID_CONFIG');
    return (error as SupervisionError).context.problems as string[];
  }
  throw new Error('accepted');
};

describe('supervision plans (SUPERVISION_FILE)', () => {
  it('accepts the shipped file: market regulation samples every quarter, higher-risk classes at higher ratios', () => {
    const [market] = loadSupervisionPlans(join(root, 'config/supervision.json'), references);
    expect(market).toMatchObject({ department: 'market-regulation', model: 'market-credit-class', frequency: 'quarter' });
    expect([...market.classes.keys()]).toEqual(['A', 'B', 'C', 'D']);
    const ratios = [...market.classes.values()].map((c) => c.inspectionRatio);
    expect(ratios).toEqual([...ratios].sort((a, b) => a - b));
    expect(market.classes.get('D')).toEqual({ inspectionRatio: 1, frequency: 'quarter' });
  });

  it('keeps config/supervision.schema.json equal to the schema the loader uses', () => {
    expect(JSON.parse(readFileSync(join(root, 'config/supervision.schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(SUPERVISION_CONFIG_SCHEMA)));
  });

  it('names an unknown department, an association, an unknown model and a second plan', () => {
    expect(problemsOf({ plans: [plan({ department: 'ministry-of-magic' })] })).toEqual(['$.plans[0].department: unknown department "ministry-of-magic" (not in the departments registry)']);
    expect(problemsOf({ plans: [plan({ department: 'food-association' })] })[0]).toContain('is an industry association');
    expect(problemsOf({ plans: [plan({ model: 'tax-grades' })] })[0]).toContain('$.plans[0].model: unknown credit class model "tax-grades"');
    expect(problemsOf({ plans: [plan(), plan()] })).toEqual(['$.plans[1]: a second plan of market-regulation for market-credit-class']);
  });

  it('names an unknown class code and every class of the model left without a ratio', () => {
    const problems = problemsOf({ plans: [plan({ classes: { A: { inspectionRatio: 0.03 }, B: { inspectionRatio: 0.05 }, E: { inspectionRatio: 0.5 } } })] });
    expect(problems).toEqual([
      '$.plans[0].classes.E: market-credit-class has no class "E" (its classes: A, B, C, D)',
      '$.plans[0].classes: class "C" of market-credit-class has no inspection ratio (every class needs one, 0 included)',
      '$.plans[0].classes: class "D" of market-credit-class has no inspection ratio (every class needs one, 0 included)',
    ]);
  });

  it('refuses ratios outside 0..1 or finer than millionths, an unknown frequency and unknown properties (the schema)', () => {
    expect(problemsOf({ plans: [plan({ classes: { ...plan().classes, D: { inspectionRatio: 1.5 } } })] })).toEqual(['$.plans[0].classes.D.inspectionRatio: must be <= 1']);
    expect(problemsOf({ plans: [plan({ classes: { ...plan().classes, A: { inspectionRatio: 0.0000001 } } })] })).toEqual(['$.plans[0].classes.A.inspectionRatio: at most six decimals (1e-7)']);
    expect(problemsOf({ plans: [plan({ frequency: 'fortnight' })] })[0]).toContain('$.plans[0].frequency: must be equal to one of the allowed values');
    expect(problemsOf({ plans: [plan({ ratio: 1 })] })).toEqual(['$.plans[0]: unknown property "ratio"']);
    expect(problemsOf({})).toEqual(["$: must have required property 'plans'"]);
  });

  it("gives a class the plan's frequency, or its own longer one, never a shorter one", () => {
    const [mixed] = checkSupervisionPlans({ plans: [plan({ classes: { ...plan().classes, A: { inspectionRatio: 0.03, frequency: 'year' } } })] }, references, 'test.json');
    expect(mixed.classes.get('A')).toEqual({ inspectionRatio: 0.03, frequency: 'year' });
    expect(mixed.classes.get('B')).toEqual({ inspectionRatio: 0.05, frequency: 'quarter' });
    expect(problemsOf({ plans: [plan({ classes: { ...plan().classes, D: { inspectionRatio: 1, frequency: 'month' } } })] })).toEqual([
      '$.plans[0].classes.D.frequency: month is more often than the plan draws (quarter); give the plan that frequency instead',
    ]);
  });

  it('names the file it could not read', () => {
    expect(() => loadSupervisionPlans('/nonexistent/supervision.json', references)).toThrow(/SUPERVISION_FILE=\/nonexistent\/supervision.json: cannot read/);
  });
});
