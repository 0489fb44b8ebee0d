import { join } from 'node:path';
import { EVENT_TYPES, parseCreditEvent } from '@app/domain';
import { CompiledRuleEvaluator } from '../../evaluation/compiled/compiled-rule.evaluator';
import { buildCreditFacts, CreditFacts } from '../../evaluation/credit-facts';
import { JsonRulesEngineEvaluator } from '../../evaluation/json-rules-engine.evaluator';
import { Memorandum } from '../../loader/memorandum';
import { RuleSet } from '../../loader/rule-set';
import { buildRuleSet, loadRuleSet, readRuleSources } from '../../loader/rule-set-loader';
import { loadRuleCaseFiles } from '../../rule-cases';
import { CreditEventGenerator, scaleMemoranda, toRuleFile, vocabularyFromRules } from '../credit-event.generator';
import { translateToZen, ZenLayout, ZenTranslationError } from './zen-decision-model';
import { matchedRuleKeys, ZenRuleEvaluator } from './zen-rule.evaluator';

/*
 * Differential test: GoRules Zen, given our rule set translated into decision tables (both
 * layouts), matches exactly the rules our evaluators match, event by event. json-rules-engine (the
 * reference) is compared on the rule cases and a sample (it takes ~50 ms an event at 200 rules
 * under Jest); the compiled
 * evaluator, itself kept equal to the reference by compiled-rule.evaluator.spec.ts, on every
 * event.
 */

const rulesDir = join(__dirname, '../../../../../rules');
const shipped = loadRuleSet(rulesDir);
const sources = readRuleSources(rulesDir);

interface Mismatch {
  label: string;
  layout: ZenLayout;
  facts: CreditFacts;
  expected: string[];
  zen: string[];
}

interface Comparison {
  events: number;
  /** Matches of the expected side, so the corpus is seen to exercise the rules. */
  matches: number;
  matchedRules: Set<string>;
  mismatches: Mismatch[];
}

const LAYOUTS: ZenLayout[] = ['one-table', 'switch-on-event-type'];

/** Zen (both layouts) against the compiled evaluator on every facts object, and against json-rules-engine on the first `referenceSample`. */
async function compare(ruleSet: RuleSet, corpus: { label: string; facts: CreditFacts }[], referenceSample: number): Promise<Comparison> {
  const zens = LAYOUTS.map((layout) => new ZenRuleEvaluator(ruleSet, layout));
  const compiled = new CompiledRuleEvaluator(ruleSet);
  const reference = new JsonRulesEngineEvaluator(ruleSet);
  const result: Comparison = { events: 0, matches: 0, matchedRules: new Set(), mismatches: [] };
  try {
    for (const [i, { label, facts }] of corpus.entries()) {
      const ours = matchedRuleKeys(compiled.evaluateSync(facts));
      const sides = [ours];
      if (i < referenceSample) sides.push(matchedRuleKeys(await reference.evaluate(facts)));
      for (const [z, layout] of LAYOUTS.entries()) {
        const zen = matchedRuleKeys(await zens[z].evaluate(facts));
        for (const expected of sides) if (JSON.stringify(zen) !== JSON.stringify(expected)) result.mismatches.push({ label, layout, facts, expected, zen });
      }
      result.events++;
      result.matches += ours.length;
      ours.forEach((key) => result.matchedRules.add(key));
    }
  } finally {
    zens.forEach((zen) => zen.dispose());
  }
  return result;
}

function generated(ruleSet: RuleSet, seed: number, count: number): { label: string; facts: CreditFacts }[] {
  const generator = new CreditEventGenerator({ seed, vocabulary: vocabularyFromRules(ruleSet.memoranda) });
  // Unparsed: parsing leaves a generated event's facts as they are (compiled-rule.evaluator.spec.ts), and costs most of the time here.
  return generator.take(count).map((event, i) => ({ label: `seed ${seed} event ${i} (${event.id})`, facts: buildCreditFacts(event, ruleSet) }));
}

const shippedRules = shipped.memoranda.reduce((n, m) => n + m.rules.length, 0);

describe('ZenRuleEvaluator (GoRules Zen on the translated rule set)', () => {
  it('matches the same rules as json-rules-engine and the compiled evaluator on every rule case', async () => {
    const corpus = loadRuleCaseFiles(rulesDir).flatMap((file) =>
      file.cases.map((c) => ({ label: `${file.file}: ${c.note}`, facts: buildCreditFacts(parseCreditEvent(c.event), shipped) })),
    );
    const result = await compare(shipped, corpus, corpus.length);
    expect(result.mismatches).toEqual([]);
    expect(result.events).toBeGreaterThanOrEqual(32);
    // Every memorandum's cases make at least one of its rules match.
    expect(new Set([...result.matchedRules].map((key) => key.split('/')[0]))).toEqual(new Set(shipped.memoranda.map((m) => m.id)));
  });

  it(`matches the same rules on 2,000 generated events at the shipped ${shippedRules} rules`, async () => {
    const result = await compare(shipped, generated(shipped, 20261201, 2000), 200);
    expect(result.mismatches.slice(0, 3)).toEqual([]);
    expect(result.events).toBe(2000);
    expect(result.matchedRules.size).toBeGreaterThanOrEqual(shippedRules * 0.8);
  });

  it('matches the same rules on 2,000 generated events at a rule set scaled to 200 rules (any, not, numbers, arrays)', async () => {
    const ruleSet = buildRuleSet({ ...sources, memoranda: scaleMemoranda(shipped.memoranda, 200, 12).map(toRuleFile) });
    const translation = translateToZen(ruleSet.memoranda, 'one-table');
    // The scaled set has what the shipped one lacks: negations, numeric and array tests.
    const cells = translation.model.nodes.flatMap((n) => ((n.content as { rules?: Record<string, string>[] })?.rules ?? []).flatMap((row) => Object.values(row)));
    for (const test of ['not (', 'fineAmountYuan != null and fineAmountYuan >', 'contains(relatedRoles,']) expect(cells.some((cell) => cell.includes(test))).toBe(true);
    expect(translation.rules).toHaveLength(200);

    const result = await compare(ruleSet, generated(ruleSet, 4242, 2000), 30);
    expect(result.mismatches.slice(0, 3)).toEqual([]);
    expect(result.matches).toBeGreaterThan(300);
  });

  it('matches the same rules for every operator, plain and negated, on present and absent facts (empty and nested groups too)', async () => {
    const tests: Array<[string, string, unknown]> = [
      ['listType', 'equal', 'black'],
      ['listType', 'notEqual', 'black'],
      ['listType', 'in', ['black', 'red']],
      ['listType', 'notIn', ['black']],
      ['grade', 'in', ['A', 'B']],
      ['relatedRoles', 'contains', 'legal-representative'],
      ['relatedRoles', 'doesNotContain', 'actual-controller'],
      // Decided per branch by the switch-on-event-type layout, including a type no event has.
      ['eventType', 'equal', EVENT_TYPES.penaltyImposed],
      ['eventType', 'notEqual', EVENT_TYPES.penaltyImposed],
      ['eventType', 'in', [EVENT_TYPES.listEntryAdded, EVENT_TYPES.ratingAssigned, 'credit.unknown.v1']],
      ['eventType', 'notIn', [EVENT_TYPES.listEntryAdded, 'credit.unknown.v1']],
      ...['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'].flatMap((operator): Array<[string, string, unknown]> => [
        ['fineAmountYuan', operator, 10000],
        ['fineAmountYuan', operator, 49999.5],
        ['termDays', operator, 365],
      ]),
    ];
    const serious = { fact: 'severity', operator: 'equal', value: 'serious' };
    const conditions: unknown[] = tests.flatMap(([fact, operator, value]) => {
      const test = { fact, operator, value };
      return [{ all: [test] }, { not: test }, { all: [serious, { not: test }] }, { any: [{ not: { all: [test, serious] } }, { fact: 'grade', operator: 'equal', value: 'A' }] }];
    });
    // Two tests of one fact share a cell.
    const fine = (operator: string, value: number) => ({ fact: 'fineAmountYuan', operator, value });
    conditions.push({ all: [fine('greaterThan', 1000), { not: fine('greaterThanInclusive', 50000) }] }, { any: [{ not: { any: [fine('lessThan', 1000), fine('greaterThan', 50000)] } }] });
    conditions.push({ all: [] }, { any: [] }, { all: [{ any: [] }, { not: { all: [] } }] });
    const base = shipped.memoranda[0];
    const rules = conditions.map((c, i) => ({ ...base.rules[0], name: `t${String(i).padStart(3, '0')}`, conditions: c as Memorandum['rules'][number]['conditions'] }));
    // Not a loadable memorandum (rules without measures), so built as a RuleSet directly.
    const ruleSet = new RuleSet('zen-operators', [{ ...base, rules }], shipped.instruments);
    const result = await compare(ruleSet, generated(shipped, 99, 300), 80);
    expect(result.mismatches.slice(0, 3)).toEqual([]);
    expect(result.matchedRules.size).toBeGreaterThan(rules.length * 0.9);
  });

  it('refuses, naming the rule, what it cannot translate exactly', () => {
    const withConditions = (conditions: unknown): Memorandum[] => {
      const memorandum = structuredClone(shipped.memoranda[0]) as Memorandum;
      memorandum.rules = [{ ...memorandum.rules[0], conditions: conditions as Memorandum['rules'][number]['conditions'] }];
      return [memorandum];
    };
    const refusals: Array<[unknown, RegExp]> = [
      [{ all: [{ fact: 'subject', operator: 'equal', value: 'x' }] }, /subject is not a fact of CreditFacts/],
      [{ all: [{ fact: 'reason', operator: 'in', value: 'tax-evasion-and-more' }] }, /substring search/],
      [{ all: [{ fact: 'reason', operator: 'equal', value: 'x', path: '$.a' }] }, /path or params/],
      [{ all: [{ fact: 'fineAmountYuan', operator: 'greaterThan', value: { fact: 'termDays' } }] }, /another fact/],
      [{ all: [{ fact: 'fineAmountYuan', operator: 'greaterThan', value: 1e21 }] }, /no plain decimal form/],
      [{ all: [{ fact: 'relatedRoles', operator: 'equal', value: 'legal-representative' }] }, /operator equal on a string\[\] fact/],
      [{ all: [{ condition: 'shared' }] }, /shared condition references/],
    ];
    for (const [conditions, reason] of refusals) {
      let error: unknown;
      try {
        translateToZen(withConditions(conditions));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ZenTranslationError);
      expect((error as ZenTranslationError).message).toContain(`${shipped.memoranda[0].id}/${shipped.memoranda[0].rules[0].name}`);
      expect((error as ZenTranslationError).message).toMatch(reason);
    }
  });
});
