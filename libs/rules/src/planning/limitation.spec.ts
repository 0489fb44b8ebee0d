import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { addMonths, addYears } from '../dates/calendar-days';
import { buildCreditFacts } from '../evaluation/credit-facts';
import { planEvent } from './decision-planner';
import { JsonRulesEngineEvaluator } from '../evaluation/json-rules-engine.evaluator';
import { DEFAULT_PENALTY_PUBLICITY, earliestPenaltyRepairOn, isTimeBarred, limitationOf } from './limitation';
import { loadRuleSet } from '../loader/rule-set-loader';

const root = join(__dirname, '../../../..');
const ruleSet = loadRuleSet(join(root, 'rules'));
const evaluator = new JsonRulesEngineEvaluator(ruleSet);
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/judgment-debtor-listed.json'), 'utf8'));

/** The court's listing of 2026-11-20, with the conduct ended on `conductEndedOn`. */
function listing(conductEndedOn?: string): CreditEvent {
  const event = structuredClone(fixture);
  if (conductEndedOn) event.data.conductEndedOn = conductEndedOn;
  return parseCreditEvent(event);
}

async function plan(event: CreditEvent, today: string) {
  const facts = buildCreditFacts(event, ruleSet);
  return planEvent(event, facts, await evaluator.evaluate(facts), { ruleSetRevision: ruleSet.revision, today });
}

describe('Civil Code period arithmetic', () => {
  it('adds months and years to the corresponding day, or the month end when there is none', () => {
    expect(addMonths('2026-01-15', 3)).toBe('2026-04-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2021-12-01', 5)).toBe('2026-12-01');
  });
});

describe('the five-year limit', () => {
  const judgmentDebtors = ruleSet.memorandum('judgment-debtors')!;

  it('counts from the day the conduct ended, or from the decision date when the event cannot say', () => {
    expect(limitationOf(judgmentDebtors, listing('2021-11-30'))).toEqual({ conductEndedOn: '2021-11-30', conductEndStated: true, years: 5, lastUsableOn: '2026-11-30' });
    expect(limitationOf(judgmentDebtors, listing())).toMatchObject({ conductEndedOn: '2026-11-20', conductEndStated: false, lastUsableOn: '2031-11-20' });
  });

  it('is never longer than the legal maximum, and does not apply to incentives', () => {
    expect(limitationOf({ ...judgmentDebtors, limitation: { years: 9 } }, listing('2021-11-30'))!.years).toBe(5);
    expect(limitationOf({ ...judgmentDebtors, limitation: { years: 3 } }, listing('2021-11-30'))!.lastUsableOn).toBe('2024-11-30');
    expect(limitationOf(ruleSet.memorandum('a-grade-taxpayers')!, listing('2000-01-01'))).toBeUndefined();
  });

  it('the day before, the day of and the day after the limit (China dates)', async () => {
    const event = listing('2021-11-30');
    const limitation = limitationOf(judgmentDebtors, event)!;
    expect([isTimeBarred(limitation, '2026-11-29'), isTimeBarred(limitation, '2026-11-30'), isTimeBarred(limitation, '2026-12-01')]).toEqual([false, false, true]);

    // Decided within the limit, the entry and every measure end on the last usable day, not two years on.
    const within = await plan(event, '2026-11-30');
    expect(within.refusals).toEqual([]);
    const [decision] = within.decisions;
    expect(decision.listEntries[0]).toMatchObject({ validFrom: '2026-11-20', validTo: '2026-11-30', limitation: { lastUsableOn: '2026-11-30' } });
    expect(decision.measureTasks.every((t) => t.validTo <= '2026-11-30')).toBe(true);

    // Decided the day after: no decision, a refusal naming the memorandum and the last usable day.
    const after = await plan(event, '2026-12-01');
    expect(after.decisions).toEqual([]);
    expect(after.refusals).toEqual([
      expect.objectContaining({ code: 'EVENT.CONDUCT_PAST_LIMIT', memorandumId: 'judgment-debtors', departments: ['court'], limitation: expect.objectContaining({ lastUsableOn: '2026-11-30' }) }),
    ]);
    expect(after.refusals[0].reason).toContain('2026-11-30');
  });
});

describe('minimum publicity of penalties before repair', () => {
  it('general three months, serious a year, minor at once, by default', () => {
    expect(earliestPenaltyRepairOn(DEFAULT_PENALTY_PUBLICITY, 'general', '2026-01-31')).toBe('2026-04-30');
    expect(earliestPenaltyRepairOn(DEFAULT_PENALTY_PUBLICITY, 'serious', '2026-03-01')).toBe('2027-03-01');
    expect(earliestPenaltyRepairOn(DEFAULT_PENALTY_PUBLICITY, 'minor', '2026-03-01')).toBe('2026-03-01');
  });
});
