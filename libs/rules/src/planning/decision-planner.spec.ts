import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { buildCreditFacts } from '../evaluation/credit-facts';
import { decideCreditEvent } from './credit-event-evaluation';
import { planDecisions } from './decision-planner';
import { JsonRulesEngineEvaluator } from '../evaluation/json-rules-engine.evaluator';
import { loadRuleSet } from '../loader/rule-set-loader';

const root = join(__dirname, '../../../..');
const ruleSet = loadRuleSet(join(root, 'rules'));
const evaluator = new JsonRulesEngineEvaluator(ruleSet);
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/judgment-debtor-listed.json'), 'utf8'));
const listing = (): CreditEvent => parseCreditEvent(structuredClone(fixture));

describe('planDecisions', () => {
  it('gives the list entry the default term from the decision date, never longer than the maximum', async () => {
    const [decision] = await decideCreditEvent(listing(), ruleSet, evaluator);
    // 730 days in force, the first and the last included (validTo is inclusive).
    expect(decision.listEntries[0]).toMatchObject({ validFrom: '2026-11-20', validTo: '2028-11-18', listCode: 'judgment-debtor', listType: 'black' });

    const long = structuredClone(fixture);
    long.data.validTo = '2099-01-01';
    const [capped] = await decideCreditEvent(parseCreditEvent(long), ruleSet, evaluator);
    const max = ruleSet.list('judgment-debtor')!.maxTermDays;
    expect(Date.parse(capped.listEntries[0].validTo) - Date.parse('2026-11-20')).toBe((max - 1) * 86_400_000);
  });

  it('is deterministic: the same event yields the same ids (redelivery is a key conflict)', async () => {
    const a = await decideCreditEvent(listing(), ruleSet, evaluator);
    const b = await decideCreditEvent(listing(), ruleSet, evaluator);
    expect(a.map((d) => [d.id, d.measureTasks.map((t) => t.id)])).toEqual(b.map((d) => [d.id, d.measureTasks.map((t) => t.id)]));
  });

  it('targets related persons only with the measures whose targets name their role', async () => {
    const [decision] = await decideCreditEvent(listing(), ruleSet, evaluator);
    const forPerson = decision.measureTasks.filter((t) => t.target.id === '510802199003071232');
    expect(forPerson.length).toBeGreaterThan(0);
    for (const task of forPerson) {
      const measure = ruleSet.memorandum('judgment-debtors')!.measures.find((m) => m.code === task.measureCode)!;
      expect(measure.targets).toContain('legal-representative');
      expect(task.target.kind).toBe('individual');
    }
  });

  it('never fires a serious measure when the facts say the conduct is not serious (defence in depth)', async () => {
    const event = listing();
    const facts = { ...buildCreditFacts(event, ruleSet), severity: 'general' as const };
    const matches = await evaluator.evaluate({ ...facts, severity: 'serious' });
    const plans = planDecisions(event, facts, matches, { ruleSetRevision: ruleSet.revision, today: '2026-11-20' });
    expect(plans.flatMap((p) => p.measureTasks).filter((t) => ruleSet.memorandum(t.memorandumId)!.measures.find((m) => m.code === t.measureCode)!.severityRequired === 'serious')).toEqual([]);
  });

  it('explains each task: memorandum and version, rule, revision, the facts read and the legal basis', async () => {
    const [decision] = await decideCreditEvent(listing(), ruleSet, evaluator);
    const task = decision.measureTasks[0];
    expect(task.legalBasis.length).toBeGreaterThan(0);
    expect(task.explanation).toMatchObject({
      memorandum: { id: 'judgment-debtors', version: expect.any(String) },
      rule: { name: expect.any(String) },
      ruleSetRevision: ruleSet.revision,
      causeEvent: { id: fixture.id, source: '/departments/court' },
      facts: expect.objectContaining({ eventType: 'credit.judgment-debtor.listed.v1', severity: 'serious' }),
    });
  });

  it('addresses the decision to the identifying department and every signatory', async () => {
    const [decision] = await decideCreditEvent(listing(), ruleSet, evaluator);
    expect(decision.addressees).toEqual(expect.arrayContaining(['court', 'finance', 'transport']));
  });
});
