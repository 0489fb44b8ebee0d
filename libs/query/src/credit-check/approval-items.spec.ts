import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRuleSet, MeasureCategory } from '@app/rules';
import { ApprovalItem, checkOutcome, isRequired, loadApprovalItems, OUTCOME_OF_CATEGORY, OUTCOME_PRECEDENCE, parseApprovalItems, validateApprovalItems } from './approval-items';
import { CreditCheckError } from './credit-check.errors';

const root = resolve(__dirname, '../../../..');
const ruleSet = loadRuleSet(join(root, 'rules'));
const departments = new Set((JSON.parse(readFileSync(join(root, 'config/departments.json'), 'utf8')) as { departments: { code: string }[] }).departments.map((d) => d.code));
const shipped = join(root, 'config/approval-items.json');

function refusal(run: () => unknown): CreditCheckError {
  try {
    run();
  } catch (error) {
    return error as CreditCheckError;
  }
  throw new Error('expected a refusal');
}

const item = (overrides: Partial<ApprovalItem> = {}): ApprovalItem => ({
  code: 'government-procurement',
  name: { zh: '政府采购', en: 'Government procurement' },
  departments: ['finance'],
  measures: ['JD-01'],
  requireUserId: 'natural-persons',
  requirePurpose: 'natural-persons',
  ...overrides,
});

describe('approval items', () => {
  it('ships a file whose every measure and department exists in the rules and the registry', () => {
    const catalogue = loadApprovalItems(shipped, ruleSet.memoranda, departments);
    expect(catalogue.codes()).toEqual(
      expect.arrayContaining([
        'government-procurement',
        'land-supply',
        'fiscal-subsidy',
        'administrative-licensing',
        'bond-issuance',
        'honours',
        'civil-service-hiring',
        'market-access',
        'tendering',
        'commitment-based-approval',
        'tax-services',
        'high-consumption',
      ]),
    );
  });

  it('puts the procurement ban in the procurement check and not in an unrelated licence check', () => {
    const catalogue = loadApprovalItems(shipped, ruleSet.memoranda, departments);
    expect(catalogue.get('government-procurement')!.measures).toEqual(expect.arrayContaining(['JD-01', 'TAX-04', 'SID-02', 'WA-02']));
    expect(catalogue.get('administrative-licensing')!.measures).not.toContain('JD-01');
    expect(catalogue.get('high-consumption')!.measures).toEqual(expect.arrayContaining(['JD-02', 'JD-03', 'JD-04']));
  });

  it('leaves only publicity and commendation measures unmapped', () => {
    const catalogue = loadApprovalItems(shipped, ruleSet.memoranda, departments);
    const categories = new Map(ruleSet.memoranda.flatMap((m) => m.measures.map((measure) => [measure.code, measure.category] as const)));
    expect(new Set(catalogue.unmapped(ruleSet.memoranda).map((code) => categories.get(code)))).toEqual(new Set(['publicity', 'commendation']));
  });

  it('refuses a measure code that is not in the rule set, naming it', () => {
    const error = refusal(() => validateApprovalItems([item({ measures: ['JD-01', 'JD-99'] })], ruleSet.memoranda, departments, 'approval-items.json'));
    expect(error).toBeInstanceOf(CreditCheckError);
    expect(error.code).toBe('CHECK.INVALID_APPROVAL_ITEMS');
    expect(error.message).toContain('"JD-99"');
    expect(error.message).toContain('$.items[0].measures[1]');
  });

  it('refuses an unknown department', () => {
    const error = refusal(() => validateApprovalItems([item({ departments: ['treasury'] })], ruleSet.memoranda, departments, 'approval-items.json'));
    expect(error.message).toContain('"treasury"');
  });

  it('requires the user id and the purpose for natural persons unless an item extends them to every subject', () => {
    const [plain, strict] = parseApprovalItems({ items: [{ ...item(), requireUserId: undefined, requirePurpose: undefined }, item({ code: 'land-supply', requirePurpose: 'every-subject' })] }, 'f.json');
    expect(plain).toMatchObject({ requireUserId: 'natural-persons', requirePurpose: 'natural-persons' });
    expect(strict).toMatchObject({ requireUserId: 'natural-persons', requirePurpose: 'every-subject' });
    expect([isRequired(plain.requirePurpose, true), isRequired(plain.requirePurpose, false), isRequired(strict.requirePurpose, false)]).toEqual([true, false, true]);
    const error = refusal(() => parseApprovalItems({ items: [item({ requireUserId: 'nobody' as never })] }, 'f.json'));
    expect(error.message).toContain('$.items[0].requireUserId: must be one of natural-persons, every-subject');
  });

  it('refuses a malformed file with every problem and its path', () => {
    const error = refusal(() => parseApprovalItems({ items: [item(), item(), { code: 'X', name: { zh: '' }, departments: [], measures: 'JD-01' }] }, 'f.json'));
    expect(error.message).toContain('$.items[1].code: "government-procurement" is listed twice');
    expect(error.message).toContain('$.items[2].code');
    expect(error.message).toContain('$.items[2].name');
    expect(error.message).toContain('$.items[2].departments');
    expect(error.message).toContain('$.items[2].measures');
    expect(refusal(() => parseApprovalItems({}, 'f.json')).message).toContain('$.items');
  });

  it('refuses a file that is not JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'items-')), 'approval-items.json');
    writeFileSync(file, '{ "items": [');
    expect(refusal(() => loadApprovalItems(file, ruleSet.memoranda, departments)).code).toBe('CHECK.INVALID_APPROVAL_ITEMS');
  });
});

describe('check outcome', () => {
  it('is clear when no measure applies', () => {
    expect(checkOutcome([])).toBe('clear');
  });

  it.each([
    [['restrict', 'deny', 'green-channel'], 'deny'],
    [['key-supervision', 'restrict'], 'restrict'],
    [['grade-downgrade'], 'restrict'],
    [['green-channel', 'key-supervision'], 'key-supervision'],
    [['priority', 'accept-missing-materials', 'green-channel'], 'green-channel'],
    [['simplified-procedure', 'priority'], 'priority'],
    [['accept-missing-materials', 'simplified-procedure'], 'accept-missing-materials'],
    [['fewer-inspections', 'publicity'], 'fewer-inspections'],
    [['publicity', 'commendation'], 'clear'],
    [['some-future-category'], 'clear'],
  ])('%j → %s (sanctions before incentives, strongest first)', (categories, expected) => {
    expect(checkOutcome(categories)).toBe(expected);
  });

  it('knows every measure category of the rules', () => {
    const used = new Set(ruleSet.memoranda.flatMap((m) => m.measures.map((measure) => measure.category)));
    for (const category of used) expect(Object.keys(OUTCOME_OF_CATEGORY)).toContain(category);
    for (const outcome of Object.values(OUTCOME_OF_CATEGORY)) if (outcome) expect(OUTCOME_PRECEDENCE).toContain(outcome);
    expect(OUTCOME_OF_CATEGORY['deny' as MeasureCategory]).toBe('deny');
  });
});
