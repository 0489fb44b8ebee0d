import { join, resolve } from 'node:path';
import { checkCoordinationCriteria, loadCoordinationCriteria } from './coordination-criteria';
import { CoordinationFacts } from './coordination-facts';

const root = resolve(__dirname, '../../../..');
const departments = new Set(['court', 'tax', 'market-regulation', 'emergency-management', 'credit-office']);
const facts = (overrides: Partial<CoordinationFacts> = {}): CoordinationFacts => ({
  eventType: 'credit.penalty.imposed.v1',
  sourceDepartment: 'environment',
  subjectKind: 'enterprise',
  severity: 'general',
  fineAmountYuan: 0,
  reason: null,
  relatedSubjects: 0,
  listTypes: [],
  memoranda: [],
  blacklistingsIn12Months: 0,
  ...overrides,
});
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as { code: string; message: string }).code;
  }
};

describe('coordination criteria (COORDINATION_FILE)', () => {
  const shipped = loadCoordinationCriteria(join(root, 'config/coordination.json'), departments);
  const matched = async (f: CoordinationFacts) => (await shipped.matching(f)).map((c) => c.id);

  it('ships the four criteria of the plan: a large serious fine, repeated blacklisting, many responsible persons, a key industry', async () => {
    expect(shipped.criteria.map((c) => c.id)).toEqual(['serious-large-fine', 'repeated-blacklisting', 'many-related-subjects', 'key-industry-serious']);
    expect(await matched(facts({ severity: 'serious', fineAmountYuan: 1_000_000 }))).toEqual(['serious-large-fine']);
    expect(await matched(facts({ severity: 'serious', fineAmountYuan: 999_999 }))).toEqual([]);
    expect(await matched(facts({ listTypes: ['black'], blacklistingsIn12Months: 2 }))).toEqual(['repeated-blacklisting']);
    expect(await matched(facts({ listTypes: ['black'], blacklistingsIn12Months: 1, relatedSubjects: 3 }))).toEqual(['many-related-subjects']);
    expect(await matched(facts({ listTypes: ['key-attention'], blacklistingsIn12Months: 2, relatedSubjects: 5 }))).toEqual([]);
    expect(await matched(facts({ severity: 'serious', reason: 'food-safety-violation', fineAmountYuan: 2_000_000 }))).toEqual(['serious-large-fine', 'key-industry-serious']);
    expect(shipped.criteria.find((c) => c.id === 'key-industry-serious')!.invite).toEqual(['market-regulation', 'emergency-management']);
  });

  it('refuses, naming each problem: an unknown fact or operator, a criterion twice, a due date before the meeting, an unknown department', () => {
    const criterion = { id: 'a', description: { zh: '甲', en: 'a' }, conditions: { all: [{ fact: 'severity', operator: 'equal', value: 'serious' }] }, agenda: ['议题'], meetingWithinWorkingDays: 5, dueWithinWorkingDays: 10 };
    const check = (criteria: unknown[]) => () => checkCoordinationCriteria({ criteria }, departments, 'coordination.json');
    expect(codeOf(check([criterion]))).toBe('accepted');
    expect(codeOf(check([{ ...criterion, conditions: { all: [{ fact: 'turnover', operator: 'equal', value: 1 }] } }]))).toBe('COORDINATION.INVALID_CRITERIA');
    expect(codeOf(check([{ ...criterion, conditions: { all: [{ fact: 'severity', operator: 'eqaul', value: 'serious' }] } }]))).toBe('COORDINATION.INVALID_CRITERIA');
    expect(() => check([criterion, criterion])()).toThrow(/"a" twice/);
    expect(() => check([{ ...criterion, dueWithinWorkingDays: 3 }])()).toThrow(/before the meeting/);
    expect(() => check([{ ...criterion, invite: ['nobody'] }])()).toThrow(/unknown department "nobody"/);
  });
});
