import { Rule } from 'json-rules-engine';
import { Memorandum, RuleDefinition } from '../../loader/memorandum';
import { RuleSet } from '../../loader/rule-set';
import { byMemorandumAndRule, factsRead, JsonRulesEngineEvaluator } from '../json-rules-engine.evaluator';
import { RuleEvaluator, RuleMatch } from '../rule-match';
import { Branch, CandidateIndex, constraintsOf, dnf, isExactlyIndexed, satisfiable } from './candidate-index';
import { compileNode, compileTest, Facts, Json, Node, prioritizedOrder } from './compile';
import { conditionTreeOf, engineInternals } from './jre-internals';
import { traceNode } from './trace';

/**
 * A drop-in replacement for {@link JsonRulesEngineEvaluator}: same rule format, same
 * matches in the same order, same `matchedFacts`, same condition trace — at a small
 * fraction of the cost (see bench/src/rule-evaluation.bench.ts).
 *
 * How:
 * - Every rule is parsed once by json-rules-engine itself (`new Rule`), so construction
 *   accepts and refuses exactly what the reference does, and what is compiled here is
 *   json-rules-engine's own `Condition` tree (as its constructor left it). What that tree and
 *   the engine's operators look like is taken in one file, jre-internals.ts.
 * - Candidate rules come from an index: each rule is split into branches (the disjunctive
 *   normal form of its `equal` / `notEqual` / `in` / `notIn` tests on string values,
 *   through nested `all` / `any`; `eventType`, `sourceDepartment`, `listCode`… alike), and
 *   each (fact, value) has a bit mask of the branches it admits. Per event the masks of the
 *   event's values are ANDed; the surviving bits are the candidates. A rule with no such
 *   test is a candidate for every event (candidate-index.ts).
 * - A candidate whose conditions are all such tests is a match (the index decided it
 *   exactly); any other candidate is first checked by a short-circuiting boolean closure
 *   compiled from its tree (same truth value as json-rules-engine, which has no side effects
 *   for these conditions; compile.ts).
 * - For a match, the trace is built by an exact evaluator that follows json-rules-engine's
 *   order (priority sets; every condition of a set evaluated) and reproduces
 *   `Condition.toJSON(false)` key for key; `matchedFacts` is the reference's own
 *   `factsRead` of that trace. Only matched rules pay for a trace (trace.ts).
 * - Bits are numbered in the reference's final sort order (byMemorandumAndRule), so matches
 *   come out sorted. Nothing is carried over from one event to the next.
 *
 * Where json-rules-engine could throw (an `in` whose value is neither a list nor a string,
 * an unknown or decorated operator, a condition reference, a JSONPath, a fact-valued
 * right-hand side), the rule is "strict": never pre-filtered nor short-circuited but
 * evaluated in json-rules-engine's exact order for every event, so it fails exactly when
 * the reference fails. Facts that are not plain data (functions i.e. dynamic facts, `Fact`
 * objects, objects, symbols) are handed to the reference evaluator by {@link evaluate};
 * {@link evaluateSync} refuses them.
 *
 * Known limit: two rules with the same `<memorandum id>/<rule name>` key (the schema does
 * not forbid duplicate rule names) are returned in priority-then-file order, whereas
 * json-rules-engine returns them in promise-completion order.
 */
export class CompiledRuleEvaluator implements RuleEvaluator {
  readonly ruleSetRevision: string;
  /** Shape of the compiled set: strict rules are evaluated in full for every event; unconstrained ones are candidates for every event. */
  readonly stats: { rules: number; strictRules: number; exactlyIndexedRules: number; indexedFacts: string[]; unconstrainedRules: number };

  private readonly rules: CompiledRule[];
  private readonly candidates: CandidateIndex;
  private reference?: JsonRulesEngineEvaluator;

  constructor(private readonly ruleSet: RuleSet) {
    this.ruleSetRevision = ruleSet.revision;
    const context = engineInternals();
    // Same parse, same keys, same "last rule with a key wins" as the reference evaluator.
    const entriesByKey = new Map<string, { memorandum: Memorandum; rule: RuleDefinition }>();
    const parsed: { key: string; jreRule: Rule; insertion: number }[] = [];
    for (const memorandum of ruleSet.memoranda) {
      for (const rule of memorandum.rules) {
        const key = `${memorandum.id}/${rule.name}`;
        entriesByKey.set(key, { memorandum, rule });
        const jreRule = new Rule({
          name: key,
          priority: rule.priority ?? 1,
          conditions: structuredClone(rule.conditions),
          event: { type: 'memorandum-rule-matched', params: { key } },
        });
        parsed.push({ key, jreRule, insertion: parsed.length });
      }
    }

    // The reference sorts its results with byMemorandumAndRule (stable) after collecting them
    // priority set by priority set; number the rules in that order once, here.
    const prioritized = prioritizedOrder(parsed.map((p) => ({ priority: p.jreRule.priority, item: p })));
    const rank = new Map(prioritized.map((p, i) => [p, i]));
    const ordered = parsed
      .map((p) => ({ ...p, entry: entriesByKey.get(p.key)! }))
      .sort(
        (a, b) =>
          byMemorandumAndRule(a.entry as RuleMatch, b.entry as RuleMatch) || rank.get(parsed[a.insertion])! - rank.get(parsed[b.insertion])!,
      );

    const branches: Branch[] = [];
    this.rules = ordered.map(({ key, jreRule, entry }, index) => {
      const root = compileNode(conditionTreeOf(jreRule), context, true);
      const strict = root.mayThrow;
      // A strict rule is a candidate for every event; a rule that can never hold has no branch at all.
      const exactBranches = strict ? undefined : dnf(root);
      const ruleBranches = strict ? [new Map()] : (exactBranches ?? [constraintsOf(root)].filter(satisfiable));
      for (const constraints of ruleBranches) branches.push({ rule: index, constraints });
      return {
        key,
        memorandum: entry.memorandum,
        rule: entry.rule,
        strict,
        root,
        test: strict ? undefined : compileTest(root),
        indexIsExact: exactBranches !== undefined && isExactlyIndexed(root),
        branches: ruleBranches.length,
      };
    });

    this.candidates = new CandidateIndex(branches);
    this.stats = {
      rules: this.rules.length,
      strictRules: this.rules.filter((r) => r.strict).length,
      exactlyIndexedRules: this.rules.filter((r) => r.indexIsExact).length,
      indexedFacts: this.candidates.indexedFacts,
      unconstrainedRules: new Set(branches.filter((b) => b.constraints.size === 0).map((b) => b.rule)).size,
    };
  }

  /** The {@link RuleEvaluator} contract; identical results to the reference evaluator. */
  async evaluate(facts: object): Promise<RuleMatch[]> {
    const matches = this.run(facts);
    if (matches) return matches;
    // Dynamic facts, Fact objects, object-valued facts: json-rules-engine's own almanac handles those.
    this.reference ??= new JsonRulesEngineEvaluator(this.ruleSet);
    return this.reference.evaluate(facts);
  }

  /**
   * Synchronous evaluation for plain-data facts (strings, numbers, booleans, null,
   * undefined, and arrays of those — everything {@link buildCreditFacts} produces).
   * Throws where the reference evaluator's promise would reject.
   */
  evaluateSync(facts: object): RuleMatch[] {
    const matches = this.run(facts);
    if (!matches) {
      throw new TypeError('CompiledRuleEvaluator.evaluateSync takes plain-data facts only (no functions, Fact objects, objects or symbols); use evaluate()');
    }
    return matches;
  }

  private run(input: object): RuleMatch[] | undefined {
    // Exactly the facts json-rules-engine would see: the reference passes `{ ...facts }` to
    // Engine.run, which makes one constant fact per enumerable key.
    const facts: Facts = { ...input };
    for (const key in facts) {
      if (key === '' || !isPlainData(facts[key], 0)) return undefined;
    }

    const candidates = this.candidates;
    const words = candidates.candidateWords(facts);
    const acc = candidates.acc;
    const active = candidates.active;
    const rules = this.rules;
    const branchRule = candidates.branchRule;
    const matches: RuleMatch[] = [];
    let last = -1;
    for (let i = 0; i < words; i++) {
      const word = active[i];
      let bits = acc[word];
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const index = branchRule[(word << 5) | (31 - Math.clz32(low))];
        if (index === last) continue; // another branch of a rule already evaluated
        last = index;
        const rule = rules[index];
        if (rule.strict || rule.indexIsExact) {
          // Strict: evaluated in full, in json-rules-engine's order (throws where it would reject).
          // Exactly indexed: a candidate is a match, so go straight to the trace (which re-checks it).
          const traced = traceNode(rule.root, facts);
          if (traced.r) matches.push(toMatch(rule, traced.j));
        } else if (rule.test!(facts)) {
          matches.push(toMatch(rule, traceNode(rule.root, facts).j));
        }
      }
    }
    return matches;
  }
}

function toMatch(rule: CompiledRule, conditionTrace: Json): RuleMatch {
  return { memorandum: rule.memorandum, rule: rule.rule, matchedFacts: factsRead(conditionTrace), conditionTrace };
}

interface CompiledRule {
  key: string;
  memorandum: Memorandum;
  rule: RuleDefinition;
  strict: boolean;
  root: Node;
  test?: (facts: Facts) => boolean;
  /** Every condition is an equality test the index decides exactly: a candidate is a match. */
  indexIsExact: boolean;
  branches: number;
}

/** Plain data: primitives (not symbols) and arrays of plain data — nothing that can run code when compared. */
function isPlainData(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth > 8 || !Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
      for (let i = 0; i < value.length; i++) if (!isPlainData(value[i], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
