import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CreditEvent, EVENT_TYPES, parseCreditEvent } from '@app/domain';
import { Fact } from 'json-rules-engine';
import { CompiledRuleEvaluator } from './compiled-rule.evaluator';
import { buildCreditFacts, CreditFacts } from '../credit-facts';
import { JsonRulesEngineEvaluator } from '../json-rules-engine.evaluator';
import { Memorandum, RuleDefinition } from '../../loader/memorandum';
import { RuleMatch } from '../rule-match';
import { RuleSet } from '../../loader/rule-set';
import { buildRuleSet, loadRuleSet, readRuleSources } from '../../loader/rule-set-loader';
import { CreditEventGenerator, CreditEventVocabulary, DEFAULT_DEPARTMENTS, Prng, scaleMemoranda, toRuleFile, vocabularyFromRules } from '../../testing';

/*
 * Differential tests: CompiledRuleEvaluator must return exactly what the reference
 * JsonRulesEngineEvaluator returns — same rules, same order, same matchedFacts, same
 * condition trace (compared deep-strict AND as JSON text, so key order counts too).
 *
 * json-rules-engine is ~6x slower under Jest than under plain Node (jest-circus keeps an
 * AsyncLocalStorage, which turns on promise hooks), so event counts and rule counts are
 * sized to keep this file within ~10 s; the benchmark (npm run bench) repeats the check
 * on 100,000 events at 500 rules.
 */

const rulesDir = join(__dirname, '../../../../../rules');
const shipped = loadRuleSet(rulesDir);
const shippedSources = readRuleSources(rulesDir);

interface Projected {
  memorandum: string;
  rule: string;
  matchedFacts: Record<string, unknown>;
  conditionTrace: unknown;
}

const project = (matches: RuleMatch[]): Projected[] =>
  matches.map((m) => ({ memorandum: m.memorandum.id, rule: m.rule.name, matchedFacts: m.matchedFacts, conditionTrace: m.conditionTrace }));

type Outcome = { ok: Projected[] } | { error: string };

async function outcomeOf(run: () => Promise<RuleMatch[]>): Promise<Outcome> {
  try {
    return { ok: project(await run()) };
  } catch (error) {
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

interface Mismatch {
  label: string;
  facts: object;
  reference: Outcome;
  compiled: Outcome;
}

interface Differences {
  /** How many facts objects gave different outcomes. */
  count: number;
  /** The first few of them, in full. */
  mismatches: Mismatch[];
  /** Matches and rejections of the reference, to show the corpus exercises the rules. */
  matches: number;
  errors: number;
}

/** Evaluate every facts object with both evaluators and collect the differences. */
async function differences(ruleSet: RuleSet, factsList: readonly object[], label: string, keep = 3): Promise<Differences> {
  const reference = new JsonRulesEngineEvaluator(ruleSet);
  const compiled = new CompiledRuleEvaluator(ruleSet);
  const mismatches: Mismatch[] = [];
  let count = 0;
  let matches = 0;
  let errors = 0;
  for (const [i, facts] of factsList.entries()) {
    const expected = await outcomeOf(() => reference.evaluate(facts));
    const actual = await outcomeOf(() => compiled.evaluate(facts));
    if ('ok' in expected) matches += expected.ok.length;
    else errors++;
    if (!isDeepStrictEqual(expected, actual) || JSON.stringify(expected) !== JSON.stringify(actual)) {
      count++;
      if (mismatches.length < keep) mismatches.push({ label: `${label} #${i}`, facts, reference: expected, compiled: actual });
    }
  }
  return { count, mismatches, matches, errors };
}

const factsOf = (events: readonly CreditEvent[], ruleSet: RuleSet): CreditFacts[] => events.map((e) => buildCreditFacts(e, ruleSet));

function ruleSetOf(memoranda: Memorandum[], revision: string): RuleSet {
  return new RuleSet(revision, memoranda, shipped.instruments);
}

// ---------------------------------------------------------------------------------------
// Rule mutations: the shipped rules, bent every way the schema allows (and a few it does not).

const FACTS = ['eventType', 'sourceDepartment', 'subjectKind', 'listCode', 'listType', 'severity', 'penaltyType', 'reason', 'ratingScheme', 'grade', 'honourCode', 'commitmentType', 'sanction', 'industry', 'relatedRoles', 'fineAmountYuan', 'termDays'];
const OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const NUMBERS = [0, 1, 365, 730, 1000, 1095, 10000, 10001, 50000, 100000, 2460000, -1, 0.5];

function valuesFor(fact: string, vocabulary: CreditEventVocabulary): readonly unknown[] {
  switch (fact) {
    case 'eventType':
      return Object.values(EVENT_TYPES);
    case 'sourceDepartment':
      return vocabulary.departments.map((d) => d.code);
    case 'subjectKind':
      return ['enterprise', 'individual', 'social-organisation', 'public-institution'];
    case 'listCode':
      return vocabulary.listCodes;
    case 'listType':
      return ['black', 'red', 'key-attention'];
    case 'severity':
      return ['minor', 'general', 'serious', 'none'];
    case 'penaltyType':
      return vocabulary.penaltyTypes;
    case 'reason':
      return vocabulary.reasons;
    case 'ratingScheme':
      return vocabulary.ratingSchemes;
    case 'grade':
      return ['A', 'B', 'C', 'D', 'M'];
    case 'honourCode':
      return vocabulary.honourCodes;
    case 'commitmentType':
      return vocabulary.commitmentTypes;
    case 'sanction':
      return ['warning', 'circulated-criticism', 'public-condemnation'];
    case 'industry':
      return vocabulary.industries;
    case 'relatedRoles':
      return ['legal-representative', 'responsible-manager', 'actual-controller'];
    default:
      return NUMBERS;
  }
}

function randomValue(p: Prng, fact: string, operator: string, vocabulary: CreditEventVocabulary): unknown {
  const pool = valuesFor(fact, vocabulary);
  const one = () => (p.chance(0.05) ? p.pick(['', 'unknown', null, true, 10000, '10000']) : p.pick(pool));
  switch (operator) {
    case 'in':
    case 'notIn':
      // A string value makes `in` a substring search: json-rules-engine calls value.indexOf(fact).
      if (p.chance(0.1)) return p.pick(['credit.penalty.imposed.v1', 'serious', 'legal-representative,actual-controller', 'tax', 'A']);
      return Array.from({ length: p.between(0, 4) }, one);
    case 'lessThan':
    case 'lessThanInclusive':
    case 'greaterThan':
    case 'greaterThanInclusive':
      return p.chance(0.15) ? p.pick(['10000', '365', 'abc', null, true, 'A']) : p.pick(NUMBERS);
    default:
      return one();
  }
}

function randomCondition(p: Prng, vocabulary: CreditEventVocabulary, depth: number): Record<string, unknown> {
  if (depth < 3 && p.chance(0.25)) {
    const kind = p.pick(['all', 'any', 'not']);
    if (kind === 'not') return { not: randomCondition(p, vocabulary, depth + 1) };
    return { [kind]: Array.from({ length: p.between(0, 3) }, () => randomCondition(p, vocabulary, depth + 1)) };
  }
  const fact = p.chance(0.3) ? p.pick(['relatedRoles', 'fineAmountYuan', 'termDays']) : p.pick(FACTS);
  const operator =
    fact === 'relatedRoles' && p.chance(0.6)
      ? p.pick(['contains', 'doesNotContain'])
      : (fact === 'fineAmountYuan' || fact === 'termDays') && p.chance(0.7)
        ? p.pick(OPERATORS.slice(6))
        : p.pick(OPERATORS);
  return { fact, operator, value: randomValue(p, fact, operator, vocabulary) };
}

/** One mutation of a condition tree (returns a new tree). */
function mutate(node: Record<string, unknown>, p: Prng, vocabulary: CreditEventVocabulary, depth = 0): Record<string, unknown> {
  for (const kind of ['all', 'any'] as const) {
    if (kind in node) {
      const children = [...(node[kind] as Record<string, unknown>[])];
      const roll = p.next();
      if (roll < 0.45 && children.length > 0) {
        const i = p.int(children.length);
        children[i] = mutate(children[i], p, vocabulary, depth + 1);
      } else if (roll < 0.6) {
        children.splice(p.int(children.length + 1), 0, randomCondition(p, vocabulary, depth + 1));
      } else if (roll < 0.7 && children.length > 0) {
        children.splice(p.int(children.length), 1);
      } else if (roll < 0.8) {
        return { [kind === 'all' ? 'any' : 'all']: children };
      } else if (roll < 0.85) {
        return { [kind]: [] };
      } else if (roll < 0.92) {
        return { not: { [kind]: children } };
      } else if (children.length > 0) {
        const i = p.int(children.length);
        children[i] = { any: [children[i], randomCondition(p, vocabulary, depth + 1)] };
      }
      return { [kind]: children };
    }
  }
  if ('not' in node) return p.chance(0.5) ? (node.not as Record<string, unknown>) : { not: mutate(node.not as Record<string, unknown>, p, vocabulary, depth + 1) };
  const { fact, operator } = node as { fact: string; operator: string };
  const roll = p.next();
  if (roll < 0.3) {
    const newOperator = p.pick(OPERATORS);
    return { fact, operator: newOperator, value: p.chance(0.5) ? node.value : randomValue(p, fact, newOperator, vocabulary) };
  }
  if (roll < 0.6) return { fact, operator, value: randomValue(p, fact, operator, vocabulary) };
  if (roll < 0.75) {
    const newFact = p.pick(FACTS);
    return { fact: newFact, operator, value: p.chance(0.5) ? node.value : randomValue(p, newFact, operator, vocabulary) };
  }
  if (roll < 0.85) return { not: node };
  return { any: [node, randomCondition(p, vocabulary, depth + 1)] };
}

/** Memoranda whose rules are mutations of the shipped ones (distinct rule names, so keys stay unique). */
function mutatedMemoranda(seed: number, ruleCount: number): Memorandum[] {
  const p = new Prng(seed);
  const vocabulary = vocabularyFromRules(shipped.memoranda);
  const bases = shipped.memoranda.flatMap((memorandum) => memorandum.rules.map((rule) => ({ memorandum, rule })));
  const byMemorandum = new Map<string, RuleDefinition[]>();
  for (let i = 0; i < ruleCount; i++) {
    const { memorandum, rule } = p.pick(bases);
    let conditions = structuredClone(rule.conditions) as unknown as Record<string, unknown>;
    for (let k = p.between(1, 3); k > 0; k--) conditions = mutate(conditions, p, vocabulary);
    const rules = byMemorandum.get(memorandum.id) ?? [];
    rules.push({ ...rule, name: `${rule.name}-m${i}`, priority: p.chance(0.2) ? p.between(1, 3) : rule.priority, conditions: conditions as unknown as RuleDefinition['conditions'] });
    byMemorandum.set(memorandum.id, rules);
  }
  return shipped.memoranda.filter((m) => byMemorandum.has(m.id)).map((m) => ({ ...m, rules: byMemorandum.get(m.id)! }));
}

/** Facts with odd values in odd places: numeric strings, nulls, NaN, arrays where strings are expected... */
function perturb(facts: CreditFacts, p: Prng): Record<string, unknown> {
  const out: Record<string, unknown> = { ...facts };
  const odd = [undefined, null, '', '10000', '12abc', 'abc', 0, -0, NaN, Infinity, 10000, true, [], ['5'], ['legal-representative'], 'serious', 'credit.penalty.imposed.v1'];
  for (let k = p.between(1, 3); k > 0; k--) {
    const fact = p.pick(FACTS);
    if (p.chance(0.15)) delete out[fact];
    else out[fact] = p.pick(odd);
  }
  return out;
}

/** '' when there is no difference, else the count and the first differences in full (for the failure message). */
function describeMismatches(result: Differences): string {
  return result.count === 0 ? '' : `${result.count} differences; the first:\n${JSON.stringify(result.mismatches, null, 1).slice(0, 6000)}`;
}

// ---------------------------------------------------------------------------------------

describe('credit event generator', () => {
  it('is deterministic from its seed and produces events parseCreditEvent accepts, with the same facts once parsed', () => {
    const vocabulary = vocabularyFromRules(shipped.memoranda);
    const a = new CreditEventGenerator({ seed: 7, vocabulary }).take(150);
    const b = new CreditEventGenerator({ seed: 7, vocabulary }).take(150);
    expect(b).toEqual(a);
    expect(new CreditEventGenerator({ seed: 8, vocabulary }).take(5)).not.toEqual(a.slice(0, 5));
    for (const event of a) {
      const parsed = parseCreditEvent(structuredClone(event));
      expect(buildCreditFacts(parsed, shipped)).toEqual(buildCreditFacts(event, shipped));
    }
  });

  it('covers all event types, severities, grades, unknown codes, stray publishers and missing optional fields', () => {
    const vocabulary = vocabularyFromRules(shipped.memoranda);
    const events = new CreditEventGenerator({ seed: 11, vocabulary }).take(3000);
    const facts = factsOf(events, shipped);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.values(EVENT_TYPES)));
    expect(new Set(facts.map((f) => f.severity))).toEqual(new Set(['minor', 'general', 'serious', 'none']));
    expect([...new Set(facts.map((f) => f.grade))]).toEqual(expect.arrayContaining(['A', 'B', 'C', 'D']));
    expect(facts.some((f) => f.listCode && !shipped.list(f.listCode))).toBe(true);
    expect(facts.some((f) => f.eventType === EVENT_TYPES.penaltyImposed && f.fineAmountYuan === undefined)).toBe(true);
    expect(facts.some((f) => f.relatedRoles.length === 0)).toBe(true);
    expect(facts.some((f) => f.relatedRoles.length > 1)).toBe(true);
    expect(facts.some((f) => f.termDays !== undefined)).toBe(true);
    expect(facts.some((f) => f.eventType === EVENT_TYPES.penaltyImposed && f.sourceDepartment === 'weather-bureau')).toBe(true);
    expect(facts.some((f) => f.eventType === EVENT_TYPES.penaltyImposed && f.sourceDepartment === 'commerce')).toBe(true);
  });

  it('publishes as the department registry says (its built-in copy of config/departments.json has not drifted)', () => {
    const registry = JSON.parse(readFileSync(join(rulesDir, '../config/departments.json'), 'utf8')) as {
      departments: { code: string; publishes: { eventTypes: string[]; lists: string[] }; association?: { industry: string; sanctions: string[]; membership: { members?: string[] } } }[];
    };
    expect(DEFAULT_DEPARTMENTS).toEqual(
      registry.departments.map((d) => ({
        code: d.code,
        eventTypes: d.publishes.eventTypes,
        lists: d.publishes.lists,
        ...(d.association ? { association: { industry: d.association.industry, sanctions: d.association.sanctions, ...(d.association.membership.members ? { members: d.association.membership.members } : {}) } } : {}),
      })),
    );
  });

  it('scales the shipped memoranda into rule sets the loader accepts', () => {
    const memoranda = scaleMemoranda(shipped.memoranda, 150, 3);
    const ruleSet = buildRuleSet({ ...shippedSources, memoranda: memoranda.map(toRuleFile) });
    expect(ruleSet.memoranda.reduce((n, m) => n + m.rules.length, 0)).toBe(150);
    expect(new Set(ruleSet.memoranda.map((m) => m.list.code)).size).toBe(ruleSet.memoranda.length);
  });
});

describe('CompiledRuleEvaluator ≡ JsonRulesEngineEvaluator', () => {
  const SEED = 20261127;

  it('on the shipped rules: 1,500 generated events', async () => {
    const events = new CreditEventGenerator({ seed: SEED, vocabulary: vocabularyFromRules(shipped.memoranda) }).take(1500);
    const result = await differences(shipped, factsOf(events, shipped), 'shipped');
    expect(describeMismatches(result)).toBe('');
    expect(result.matches).toBeGreaterThan(150); // the corpus does exercise the rules
  });

  it('on mutated rules (operators, values, facts, nested any/all/not, empty groups, priorities): 3,500 events over 7 rule sets', async () => {
    let matches = 0;
    let strict = 0;
    for (let batch = 0; batch < 7; batch++) {
      const memoranda = mutatedMemoranda(SEED + batch, 5);
      const ruleSet = ruleSetOf(memoranda, `mutated-${batch}`);
      const events = new CreditEventGenerator({ seed: SEED * 31 + batch, vocabulary: vocabularyFromRules(memoranda) }).take(500);
      const result = await differences(ruleSet, factsOf(events, ruleSet), `mutated batch ${batch}`);
      expect(describeMismatches(result)).toBe('');
      matches += result.matches;
      strict += new CompiledRuleEvaluator(ruleSet).stats.strictRules;
    }
    expect(matches).toBeGreaterThan(300);
    expect(strict).toBeLessThan(10); // nearly all rules take the compiled fast path
  });

  it('on the scaled, loader-valid rule set the benchmark uses (60 rules)', async () => {
    const memoranda = scaleMemoranda(shipped.memoranda, 60, 5);
    const ruleSet = buildRuleSet({ ...shippedSources, memoranda: memoranda.map(toRuleFile) });
    const events = new CreditEventGenerator({ seed: SEED + 99, vocabulary: vocabularyFromRules(ruleSet.memoranda) }).take(100);
    const result = await differences(ruleSet, factsOf(events, ruleSet), 'scaled');
    expect(describeMismatches(result)).toBe('');
    expect(result.matches).toBeGreaterThan(10);
  });

  it('on facts with odd values (numeric strings, null, NaN, arrays, missing keys)', async () => {
    const p = new Prng(SEED + 5);
    const memoranda = [...shipped.memoranda, ...mutatedMemoranda(SEED + 77, 6)].map((m, i) => ({ ...m, id: `${m.id}-${i}` }));
    const ruleSet = ruleSetOf(memoranda, 'odd');
    const events = new CreditEventGenerator({ seed: SEED + 6, vocabulary: vocabularyFromRules(memoranda) }).take(250);
    const result = await differences(ruleSet, factsOf(events, ruleSet).map((f) => perturb(f, p)), 'odd facts');
    expect(describeMismatches(result)).toBe('');
  });
});

describe('operator semantics, exhaustively: every operator × rule value × fact value', () => {
  const FACT_VALUES: unknown[] = [undefined, null, '', 'a', 'abc', 'serious', '10000', '10000.5', '12abc', ' 7 ', 'Infinity', 'NaN', 0, -0, 1, 7, 10000, 10000.5, -3, NaN, Infinity, -Infinity, true, false, [], ['a'], ['a', 'b'], ['5'], [5], [null], ['serious', 'general'], [[1]]];
  const RULE_VALUES: unknown[] = [null, '', 'a', 'abc', 'serious', '10000', '12abc', 0, 7, 10000, -3, true, false, [], ['a'], ['a', 'b', '10000'], [5, 7, 'a'], [null], ['serious', 'general', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], [NaN, -0, 1, 7, 'a', '', null, false, 10000, '12abc']];

  for (const operator of OPERATORS) {
    it(operator, async () => {
      const base = shipped.memoranda[0];
      // `in` / `notIn` with a value that is neither a list nor a string always rejects: covered below.
      const values = RULE_VALUES.filter((v) => !['in', 'notIn'].includes(operator) || Array.isArray(v) || typeof v === 'string');
      const rules = values.map((value, i) => ({ name: `v${i}`, description: '', measures: [], conditions: { all: [{ fact: 'reason', operator, value }] } }) as unknown as RuleDefinition);
      // The same conditions nested under not/any, so the index and the boolean closures are both exercised.
      rules.push({ name: 'nested', description: '', measures: [], conditions: { any: values.slice(0, 6).map((value) => ({ not: { fact: 'reason', operator, value } })) } } as unknown as RuleDefinition);
      const ruleSet = ruleSetOf([{ ...base, rules }], operator);
      const result = await differences(ruleSet, FACT_VALUES.flatMap((reason) => [{ reason }, { reason, severity: 'serious' }, { severity: reason }]), operator);
      expect(describeMismatches(result)).toBe('');
    });
  }
});

describe('json-rules-engine features beyond the schema', () => {
  const base = shipped.memorandum('major-tax-violators')!;
  const withRules = (rules: { name: string; conditions: unknown; priority?: number }[]): RuleSet =>
    ruleSetOf([{ ...base, rules: rules.map((r) => ({ description: r.name, measures: [], ...r }) as RuleDefinition) }], 'exotic');
  const events = new CreditEventGenerator({ seed: 4242, vocabulary: vocabularyFromRules(shipped.memoranda) }).take(250);
  const facts = factsOf(events, shipped);

  it('condition priorities (later sets skipped, left unevaluated in the trace), names, params, paths, fact-valued right-hand sides, decorated operators', async () => {
    const ruleSet = withRules([
      {
        name: 'priorities',
        conditions: {
          any: [
            { fact: 'severity', operator: 'equal', value: 'serious', priority: 5, name: 'serious first' },
            { all: [{ fact: 'eventType', operator: 'equal', value: EVENT_TYPES.penaltyImposed }, { fact: 'fineAmountYuan', operator: 'greaterThan', value: 1000, priority: 2 }], priority: 3 },
            { fact: 'listCode', operator: 'in', value: ['judgment-debtor'], params: { note: 'x' } },
          ],
        },
      },
      {
        name: 'all-with-priorities',
        conditions: {
          all: [
            { fact: 'subjectKind', operator: 'notEqual', value: 'individual', priority: 10 },
            { fact: 'severity', operator: 'in', value: ['general', 'serious'], priority: 4 },
            { fact: 'reason', operator: 'notIn', value: ['late-filing'] },
          ],
          name: 'root',
        },
      },
      { name: 'path', conditions: { all: [{ fact: 'relatedRoles', path: '$[0]', operator: 'equal', value: 'legal-representative' }] } },
      { name: 'fact-valued', conditions: { any: [{ fact: 'listCode', operator: 'equal', value: { fact: 'reason' } }, { fact: 'grade', operator: 'notEqual', value: { fact: 'honourCode' } }] } },
      { name: 'decorated', conditions: { all: [{ fact: 'relatedRoles', operator: 'someFact:equal', value: 'actual-controller' }] } },
      { name: 'not-decorated', conditions: { all: [{ fact: 'severity', operator: 'not:in', value: ['minor', 'none'] }] } },
      { name: 'string-in', conditions: { all: [{ fact: 'eventType', operator: 'in', value: 'credit.penalty.imposed.v1,credit.list-entry.added.v1' }] } },
      { name: 'empty-any', conditions: { any: [] } },
      { name: 'root-not', conditions: { not: { fact: 'severity', operator: 'equal', value: 'none' } } },
      { name: 'rule-priority', priority: 7, conditions: { all: [{ fact: 'grade', operator: 'in', value: ['A', 'B'] }] } },
      {
        // 3 × 3 × 3 alternatives: more branches than the index keeps, so it falls back to one merged branch.
        name: 'many-branches',
        conditions: {
          all: [
            { any: [EVENT_TYPES.penaltyImposed, EVENT_TYPES.listEntryAdded, EVENT_TYPES.ratingAssigned].map((value) => ({ fact: 'eventType', operator: 'equal', value })) },
            { any: ['serious', 'general', 'none'].map((value) => ({ fact: 'severity', operator: 'equal', value })) },
            { any: [{ fact: 'subjectKind', operator: 'equal', value: 'enterprise' }, { fact: 'listCode', operator: 'notIn', value: ['judgment-debtor'] }, { fact: 'grade', operator: 'equal', value: 'A' }] },
          ],
        },
      },
    ]);
    const result = await differences(ruleSet, facts, 'exotic');
    expect(describeMismatches(result)).toBe('');
    expect(result.matches).toBeGreaterThan(250);
  });

  it('rejects exactly when json-rules-engine rejects (and not when the failing condition is never reached)', async () => {
    const cases: unknown[] = [
      { all: [{ fact: 'fineAmountYuan', operator: 'in', value: 5 }] }, // value.indexOf is not a function
      { all: [{ fact: 'severity', operator: 'equal', value: 'serious' }, { fact: 'grade', operator: 'startsWith', value: 'A' }] }, // unknown operator
      { any: [{ fact: 'severity', operator: 'equal', value: 'none' }, { condition: 'shared-guard' }] }, // no such condition
      { condition: 'shared-guard' },
      // Skipped priority set: json-rules-engine never evaluates the bad condition when the first set decides.
      { any: [{ fact: 'eventType', operator: 'equal', value: EVENT_TYPES.penaltyImposed, priority: 9 }, { fact: 'grade', operator: 'in', value: null }] },
      { all: [{ fact: 'eventType', operator: 'equal', value: EVENT_TYPES.penaltyImposed, priority: 9 }, { fact: 'grade', operator: 'in', value: 3 }] },
    ];
    for (const [i, conditions] of cases.entries()) {
      const result = await differences(withRules([{ name: `bad-${i}`, conditions }, { name: 'fine', conditions: { all: [{ fact: 'severity', operator: 'equal', value: 'serious' }] } }]), facts.slice(0, 60), `bad ${i}`);
      expect(describeMismatches(result)).toBe('');
    }
    const sometimes = await differences(withRules([{ name: 'bad', conditions: cases[4] }]), facts, 'skip');
    expect(sometimes.errors).toBeGreaterThan(0);
    expect(sometimes.errors).toBeLessThan(facts.length);
  });

  it('refuses at construction what json-rules-engine refuses', () => {
    for (const conditions of [{ every: [] }, { all: {} }, { not: [] }, { all: [{ fact: 'severity', operator: 'equal' }] }]) {
      const ruleSet = withRules([{ name: 'broken', conditions }]);
      const expected = (() => {
        try {
          new JsonRulesEngineEvaluator(ruleSet);
          return 'built';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(expected).not.toBe('built');
      expect(() => new CompiledRuleEvaluator(ruleSet)).toThrow(expected);
    }
  });

  it('hands facts that are not plain data (dynamic facts, Fact objects, objects) to json-rules-engine itself', async () => {
    const ruleSet = withRules([
      { name: 'dynamic', conditions: { all: [{ fact: 'severity', operator: 'equal', value: 'serious' }, { fact: 'details', path: '$.amount', operator: 'greaterThan', value: 10 }] } },
    ]);
    const compiled = new CompiledRuleEvaluator(ruleSet);
    const reference = new JsonRulesEngineEvaluator(ruleSet);
    const odd = [
      { ...facts[0], severity: () => 'serious', details: { amount: 11 } },
      { ...facts[0], severity: new Fact('severity', 'serious'), details: { amount: 50 } },
      { ...facts[0], severity: 'serious', details: { amount: 5 } },
    ];
    for (const f of odd) {
      expect(project(await compiled.evaluate(f))).toEqual(project(await reference.evaluate(f)));
      expect(() => compiled.evaluateSync(f)).toThrow(TypeError);
    }
  });

  it('gives every match a fresh trace (mutating one result does not leak into the next)', () => {
    const compiled = new CompiledRuleEvaluator(shipped);
    const f = facts.find((x) => compiled.evaluateSync(x).length > 0)!;
    const [first] = compiled.evaluateSync(f);
    (first.conditionTrace as { all?: { value?: unknown }[] }).all?.forEach((c) => (c.value = 'tampered'));
    first.matchedFacts.severity = 'tampered';
    const [again] = compiled.evaluateSync(f);
    expect(JSON.stringify(again)).not.toContain('tampered');
  });
});
