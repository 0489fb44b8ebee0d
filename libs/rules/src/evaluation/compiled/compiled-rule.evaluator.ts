import { Almanac, Engine, Rule } from 'json-rules-engine';
import { byMemorandumAndRule, factsRead, JsonRulesEngineEvaluator } from '../json-rules-engine.evaluator';
import { Memorandum, RuleDefinition } from '../../loader/memorandum';
import { RuleEvaluator, RuleMatch } from '../rule-match';
import { RuleSet } from '../../loader/rule-set';

/**
 * A drop-in replacement for {@link JsonRulesEngineEvaluator}: same rule format, same
 * matches in the same order, same `matchedFacts`, same condition trace — at a small
 * fraction of the cost (see bench/src/rule-evaluation.bench.ts).
 *
 * How:
 * - Every rule is parsed once by json-rules-engine itself (`new Rule`), so construction
 *   accepts and refuses exactly what the reference does, and what is compiled here is
 *   json-rules-engine's own `Condition` tree (as its constructor left it).
 * - Candidate rules come from an index: each rule is split into branches (the disjunctive
 *   normal form of its `equal` / `notEqual` / `in` / `notIn` tests on string values,
 *   through nested `all` / `any`; `eventType`, `sourceDepartment`, `listCode`… alike), and
 *   each (fact, value) has a bit mask of the branches it admits. Per event the masks of the
 *   event's values are ANDed; the surviving bits are the candidates. A rule with no such
 *   test is a candidate for every event.
 * - A candidate whose conditions are all such tests is a match (the index decided it
 *   exactly); any other candidate is first checked by a short-circuiting boolean closure
 *   compiled from its tree (same truth value as json-rules-engine, which has no side effects
 *   for these conditions).
 * - For a match, the trace is built by an exact evaluator that follows json-rules-engine's
 *   order (priority sets; every condition of a set evaluated) and reproduces
 *   `Condition.toJSON(false)` key for key; `matchedFacts` is the reference's own
 *   `factsRead` of that trace. Only matched rules pay for a trace.
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
  /** Bit i of the candidate masks stands for branch i, a branch of rule branchRule[i]; a rule's branches have consecutive bits. */
  private readonly branchRule: Int32Array;
  private readonly words: number;
  private readonly indexes: FactIndex[];
  /** The first two indexes combined (one mask per pair of values), when small enough. */
  private readonly lead: FactIndex | undefined;
  private readonly acc: Uint32Array;
  private readonly active: Int32Array;
  private reference?: JsonRulesEngineEvaluator;

  constructor(private readonly ruleSet: RuleSet) {
    this.ruleSetRevision = ruleSet.revision;
    const operators = (new Engine([], { allowUndefinedFacts: true }) as unknown as { operators: OperatorMap }).operators;
    const pathResolver = (new Almanac({}) as unknown as { pathResolver: (value: object, path: unknown) => unknown }).pathResolver;
    const context: CompileContext = { operators, pathResolver };

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

    const branches: { rule: number; constraints: Constraints }[] = [];
    this.rules = ordered.map(({ key, jreRule, entry }, index) => {
      const root = compileNode(jreRule.conditions as unknown as Cond, context, true);
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

    this.branchRule = Int32Array.from(branches, (b) => b.rule);
    this.words = Math.max(1, Math.ceil(branches.length / 32));
    this.acc = new Uint32Array(this.words);
    this.active = new Int32Array(this.words);
    this.indexes = buildIndexes(branches, this.words);
    this.lead = this.indexes.length >= 2 ? combine(this.indexes[0], this.indexes[1], this.words) : undefined;
    this.stats = {
      rules: this.rules.length,
      strictRules: this.rules.filter((r) => r.strict).length,
      exactlyIndexedRules: this.rules.filter((r) => r.indexIsExact).length,
      indexedFacts: this.indexes.map((i) => i.fact),
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

    const words = this.candidateWords(facts);
    const acc = this.acc;
    const active = this.active;
    const rules = this.rules;
    const branchRule = this.branchRule;
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

  /**
   * AND the masks of every indexed fact's value into `acc`; returns how many words of it are
   * non-zero (their indexes in `active`). Only the first fact's non-zero words are ever
   * touched, so the cost follows the candidates, not the size of the rule set.
   */
  private candidateWords(facts: Facts): number {
    const indexes = this.indexes;
    const acc = this.acc;
    const active = this.active;
    if (indexes.length === 0) {
      // Nothing to index on: every branch is a candidate.
      const count = this.branchRule.length;
      for (let w = 0; w < this.words; w++) {
        acc[w] = count - w * 32 >= 32 ? 0xffffffff : (1 << (count - w * 32)) - 1;
        active[w] = w;
      }
      return count === 0 ? 0 : this.words;
    }
    const words = this.words;
    const lead = this.lead;
    const first = lead ?? indexes[0];
    const firstMask = lead ? maskOf(indexes[0], facts) * (indexes[1].otherMask + 1) + maskOf(indexes[1], facts) : maskOf(first, facts);
    const firstBits = first.bits;
    const firstBase = firstMask * words;
    const wordList = first.wordList;
    const end = first.wordStart[firstMask + 1];
    let live = 0;
    for (let j = first.wordStart[firstMask]; j < end; j++) {
      const w = wordList[j];
      acc[w] = firstBits[firstBase + w];
      active[live++] = w;
    }
    for (let k = lead ? 2 : 1; k < indexes.length && live > 0; k++) {
      const index = indexes[k];
      const bits = index.bits;
      const base = maskOf(index, facts) * words;
      let kept = 0;
      for (let i = 0; i < live; i++) {
        const w = active[i];
        const v = acc[w] & bits[base + w];
        if (v !== 0) {
          acc[w] = v;
          active[kept++] = w;
        }
      }
      live = kept;
    }
    return live;
  }
}

/** The mask (its number in the index) for the fact's value in these facts. */
function maskOf(index: FactIndex, facts: Facts): number {
  const value = facts[index.fact];
  if (typeof value === 'string') {
    const mask = index.maskByValue.get(value);
    if (mask !== undefined) return mask;
  }
  return index.otherMask;
}

function toMatch(rule: CompiledRule, conditionTrace: Json): RuleMatch {
  return { memorandum: rule.memorandum, rule: rule.rule, matchedFacts: factsRead(conditionTrace), conditionTrace };
}

// ---------------------------------------------------------------------------------------
// Compilation

type Facts = Record<string, unknown>;
type Json = Record<string, unknown>;
/** A json-rules-engine Condition instance (its own properties, as its constructor left them). */
type Cond = Record<string, any> & { toJSON(stringify: false): Json };
type BooleanOperator = 'all' | 'any' | 'not';

interface OperatorMap {
  get(name: unknown): Operator | null;
}

interface CompileContext {
  operators: OperatorMap;
  pathResolver: (value: object, path: unknown) => unknown;
}

interface Node {
  cond: Cond;
  /** How json-rules-engine evaluates the node (condition references are tried first, except at the root). */
  kind: 'ref' | 'fact' | BooleanOperator;
  /** all/any: the sub-conditions in order; not: the single sub-condition. */
  children: Node[];
  /** all/any with two or more sub-conditions: their indexes grouped as json-rules-engine's prioritizeConditions does. */
  sets: number[][];
  /** One priority set: every sub-condition is evaluated, in order. */
  singleSet: boolean;
  /** The fact's name when it is read as a plain own property (no path); else use readFact. */
  factName: string | undefined;
  readFact: (facts: Facts) => unknown;
  readValue: (facts: Facts) => unknown;
  valueIsLiteral: boolean;
  /** The literal right-hand side (the condition's value). */
  value: unknown;
  operators: OperatorMap;
  /** The default operator, resolved once; undefined when it must be looked up per evaluation (decorated, unknown). */
  operator: Operator | undefined;
  /** Could evaluating this subtree throw (and so reject the reference's run)? */
  mayThrow: boolean;
  // What Condition.toJSON(false) prints besides the results, read once from the Condition
  // (undefined when toJSON would leave the key out).
  jPriority: unknown;
  jName: unknown;
  jOperator: unknown;
  jValue: unknown;
  jValueIsPrimitive: boolean;
  jFact: unknown;
  jParams: unknown;
  jPath: unknown;
}

type Operator = { evaluate(factValue: unknown, jsonValue: unknown): boolean };

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

const hasOwn = (object: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** Condition.booleanOperator: own `any`, then `all`, then `not`. */
function booleanOperatorOf(cond: Cond): BooleanOperator | undefined {
  if (hasOwn(cond, 'any')) return 'any';
  if (hasOwn(cond, 'all')) return 'all';
  if (hasOwn(cond, 'not')) return 'not';
  return undefined;
}

const BASE_OPERATORS = new Set([
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
]);
const NUMERIC_OPERATORS = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

function isFactReference(value: unknown): value is { fact: unknown; params?: unknown; path?: unknown } {
  return value != null && typeof value === 'object' && hasOwn(value, 'fact');
}

function compileNode(cond: Cond, context: CompileContext, root: boolean): Node {
  const booleanOperator = booleanOperatorOf(cond);
  // Rule.evaluate dispatches the root on truthy any/all/not, else dereferences it;
  // nested conditions are dereferenced first when they carry a `condition` property.
  let kind: Node['kind'];
  if (root) kind = cond.any ? 'any' : cond.all ? 'all' : cond.not ? 'not' : 'ref';
  else kind = hasOwn(cond, 'condition') ? 'ref' : (booleanOperator ?? 'fact');

  const node: Node = {
    cond,
    kind,
    children: [],
    sets: [],
    singleSet: true,
    factName: undefined,
    readFact: undefinedFact,
    readValue: undefinedFact,
    valueIsLiteral: true,
    value: cond.value,
    operators: context.operators,
    operator: undefined,
    mayThrow: false,
    jPriority: cond.priority ? cond.priority : undefined,
    jName: cond.name ? cond.name : undefined,
    jOperator: cond.operator,
    jValue: cond.value,
    jValueIsPrimitive: cond.value === null || typeof cond.value !== 'object',
    jFact: cond.fact,
    jParams: cond.params ? cond.params : undefined,
    jPath: cond.path ? cond.path : undefined,
  };
  switch (kind) {
    case 'ref':
      // No engine conditions are registered (allowUndefinedConditions is off): evaluating one throws.
      node.mayThrow = true;
      break;
    case 'all':
    case 'any': {
      const subConditions = cond[kind] as Cond[];
      node.children = subConditions.map((c) => compileNode(c, context, false));
      node.sets = prioritizeConditions(node.children);
      node.singleSet = node.sets.length <= 1;
      node.mayThrow = node.children.some((c) => c.mayThrow);
      break;
    }
    case 'not':
      node.children = [compileNode(cond.not as Cond, context, false)];
      node.mayThrow = node.children[0].mayThrow;
      break;
    case 'fact': {
      node.readFact = factReader(cond.fact, cond.path, context);
      if (isPlainFactName(cond.fact) && !cond.path) node.factName = cond.fact;
      if (isFactReference(cond.value)) {
        node.valueIsLiteral = false;
        node.readValue = factReader(cond.value.fact, cond.value.path, context);
      } else {
        const value = cond.value;
        node.readValue = () => value;
      }
      node.mayThrow = factConditionMayThrow(cond, context);
      if (typeof cond.operator === 'string' && BASE_OPERATORS.has(cond.operator)) node.operator = context.operators.get(cond.operator) ?? undefined;
      break;
    }
  }
  return node;
}

/**
 * Whether json-rules-engine could reject while evaluating this condition against plain-data
 * facts. Conservative: `true` only costs speed (the rule is evaluated exactly, unindexed).
 */
function factConditionMayThrow(cond: Cond, context: CompileContext): boolean {
  const { operator, value } = cond;
  if (typeof operator !== 'string' || !BASE_OPERATORS.has(operator)) return true; // unknown or decorated operator
  if (context.operators.get(operator) === null) return true;
  if (cond.path) return true; // JSONPath
  if (isFactReference(value)) return true; // right-hand side only known per event
  if (operator === 'in' || operator === 'notIn') return !(Array.isArray(value) || typeof value === 'string'); // value.indexOf
  if (NUMERIC_OPERATORS.has(operator)) return value !== null && (typeof value === 'object' || typeof value === 'symbol'); // ToPrimitive(value)
  return false;
}

const undefinedFact = (): undefined => undefined;

/** A fact name a plain property read resolves exactly as json-rules-engine's fact map does. */
function isPlainFactName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && !(name in Object.prototype);
}

/** Almanac.factValue for constant facts: unknown facts are undefined (allowUndefinedFacts), then the optional path. */
function factReader(name: unknown, path: unknown, context: CompileContext): (facts: Facts) => unknown {
  // Fact ids are the string keys of the facts object; anything else is never found.
  if (typeof name !== 'string' || name === '') return undefinedFact;
  const read: (facts: Facts) => unknown = name in Object.prototype ? (facts) => (hasOwn(facts, name) ? facts[name] : undefined) : (facts) => facts[name];
  if (!path) return read;
  const resolve = context.pathResolver;
  return (facts) => {
    const value = read(facts);
    return value != null && typeof value === 'object' ? resolve(value, path) : value;
  };
}

/** Rule.prioritizeConditions, to the letter (the engine holds no facts, so a fact's priority is 1). */
function prioritizeConditions(children: Node[]): number[][] {
  const sets = children.reduce<Record<string, number[]>>((acc, child, i) => {
    let priority = child.cond.priority;
    if (!priority) priority = 1;
    if (!acc[priority]) acc[priority] = [];
    acc[priority].push(i);
    return acc;
  }, {});
  return Object.keys(sets)
    .sort((a, b) => (Number(a) > Number(b) ? -1 : 1))
    .map((priority) => sets[priority]);
}

/** Engine.prioritizeRules, to the letter: the order in which rule sets run. */
function prioritizedOrder<T>(rules: { priority: number; item: T }[]): T[] {
  const sets = rules.reduce<Record<string, T[]>>((acc, { priority, item }) => {
    if (!acc[priority]) acc[priority] = [];
    acc[priority].push(item);
    return acc;
  }, {});
  return Object.keys(sets)
    .sort((a, b) => (Number(a) > Number(b) ? -1 : 1))
    .flatMap((priority) => sets[priority]);
}

// ---------------------------------------------------------------------------------------
// Fast boolean test (rules that cannot throw): any order, short-circuits, same truth value.

function compileTest(node: Node): (facts: Facts) => boolean {
  switch (node.kind) {
    case 'all': {
      const tests = node.children.map(compileTest);
      if (tests.length === 0) return () => true;
      if (tests.length === 1) return tests[0];
      if (tests.length === 2) {
        const [a, b] = tests;
        return (facts) => a(facts) && b(facts);
      }
      if (tests.length === 3) {
        const [a, b, c] = tests;
        return (facts) => a(facts) && b(facts) && c(facts);
      }
      return (facts) => {
        for (let i = 0; i < tests.length; i++) if (!tests[i](facts)) return false;
        return true;
      };
    }
    case 'any': {
      const tests = node.children.map(compileTest);
      // An empty `any` is true in json-rules-engine (prioritizeAndRun returns true for no conditions).
      if (tests.length === 0) return () => true;
      if (tests.length === 1) return tests[0];
      if (tests.length === 2) {
        const [a, b] = tests;
        return (facts) => a(facts) || b(facts);
      }
      return (facts) => {
        for (let i = 0; i < tests.length; i++) if (tests[i](facts)) return true;
        return false;
      };
    }
    case 'not': {
      const test = compileTest(node.children[0]);
      return (facts) => !test(facts);
    }
    case 'fact':
      return compileFactTest(node);
    default:
      throw new Error('unreachable: condition references are strict');
  }
}

/** json-rules-engine's numberValidator: `Number.parseFloat(factValue).toString() !== 'NaN'`. */
function isNumberLike(value: unknown): boolean {
  if (typeof value === 'number') return value === value;
  if (value === undefined) return false;
  return Number.parseFloat(value as string).toString() !== 'NaN';
}

/** The default operators (engine-default-operators.js), specialised on the literal value. */
function compileFactTest(node: Node): (facts: Facts) => boolean {
  const name = node.factName;
  const readFact = node.readFact;
  const read: (facts: Facts) => unknown = name === undefined ? readFact : (facts) => facts[name];
  if (name !== undefined) {
    // The commonest tests, reading the fact inline (one closure per condition, no reader call).
    const value: unknown = node.cond.value;
    if (node.cond.operator === 'equal') return (facts) => facts[name] === value;
    if (node.cond.operator === 'notEqual') return (facts) => facts[name] !== value;
    if ((node.cond.operator === 'in' || node.cond.operator === 'notIn') && Array.isArray(value) && value.length <= 8) {
      return node.cond.operator === 'in' ? (facts) => value.indexOf(facts[name]) > -1 : (facts) => value.indexOf(facts[name]) === -1;
    }
  }
  const value: any = node.cond.value;
  switch (node.cond.operator as string) {
    case 'equal':
      return (facts) => read(facts) === value;
    case 'notEqual':
      return (facts) => read(facts) !== value;
    case 'in':
    case 'notIn': {
      const wanted = node.cond.operator === 'in';
      if (Array.isArray(value) && value.length > 8) {
        // Array.prototype.indexOf is ===: like Set.has except that NaN is never found.
        const set = new Set<unknown>(value);
        return (facts) => {
          const a = read(facts);
          return (a === a && set.has(a)) === wanted;
        };
      }
      // Arrays: strict equality; strings: substring search of String(factValue).
      return wanted ? (facts) => value.indexOf(read(facts)) > -1 : (facts) => value.indexOf(read(facts)) === -1;
    }
    case 'contains':
      return (facts) => {
        const a = read(facts);
        return Array.isArray(a) && a.indexOf(value) > -1;
      };
    case 'doesNotContain':
      return (facts) => {
        const a = read(facts);
        return Array.isArray(a) && a.indexOf(value) === -1;
      };
    case 'lessThan':
      return (facts) => {
        const a: any = read(facts);
        return isNumberLike(a) && a < value;
      };
    case 'lessThanInclusive':
      return (facts) => {
        const a: any = read(facts);
        return isNumberLike(a) && a <= value;
      };
    case 'greaterThan':
      return (facts) => {
        const a: any = read(facts);
        return isNumberLike(a) && a > value;
      };
    case 'greaterThanInclusive':
      return (facts) => {
        const a: any = read(facts);
        return isNumberLike(a) && a >= value;
      };
    default:
      throw new Error(`unreachable: operator ${String(node.cond.operator)} is strict`);
  }
}

// ---------------------------------------------------------------------------------------
// Exact evaluation with json-rules-engine's trace (Rule.evaluate + Condition.toJSON(false)).

interface Traced {
  r: boolean;
  j: Json;
}

function traceNode(node: Node, facts: Facts): Traced {
  switch (node.kind) {
    case 'ref':
      throw new Error(`No condition ${node.cond.condition} exists`);
    case 'fact': {
      const op = node.operator ?? node.operators.get(node.cond.operator);
      if (!op) throw new Error(`Unknown operator: ${node.cond.operator}`);
      const rightHandSide = node.valueIsLiteral ? node.value : node.readValue(facts);
      const leftHandSide = node.factName !== undefined ? facts[node.factName] : node.readFact(facts);
      const result = op.evaluate(leftHandSide, rightHandSide);
      return { r: result, j: factConditionJson(node, leftHandSide, rightHandSide, result) };
    }
    case 'not': {
      const inner = traceNode(node.children[0], facts);
      return { r: !inner.r, j: booleanConditionJson(node, 'not', inner.j) };
    }
    default: {
      const operator = node.kind;
      const children = node.children;
      const count = children.length;
      const json: Json[] = new Array(count);
      let result: boolean;
      if (count === 0) {
        result = true;
      } else if (count === 1) {
        const only = traceNode(children[0], facts);
        json[0] = only.j;
        result = only.r;
      } else if (node.singleSet) {
        // One priority set: all evaluated (Promise.all), then every() / some().
        const any = operator === 'any';
        let setResult = !any;
        for (let i = 0; i < count; i++) {
          const traced = traceNode(children[i], facts);
          json[i] = traced.j;
          if (any) {
            if (traced.r === true) setResult = true;
          } else if (traced.r !== true) {
            setResult = false;
          }
        }
        result = setResult;
      } else {
        // Sets run in priority order; a set is evaluated in full (Promise.all), the next one
        // only if the result is still open.
        const any = operator === 'any';
        let cursor = !any;
        const sets = node.sets;
        for (let s = 0; s < sets.length; s++) {
          if (any ? cursor : !cursor) break;
          const set = sets[s];
          let setResult = !any; // every(): true until a false; some(): false until a true
          for (let k = 0; k < set.length; k++) {
            const i = set[k];
            const traced = traceNode(children[i], facts);
            json[i] = traced.j;
            if (any) {
              if (traced.r === true) setResult = true;
            } else if (traced.r !== true) {
              setResult = false;
            }
          }
          cursor = setResult;
        }
        result = cursor;
        for (let i = 0; i < count; i++) if (json[i] === undefined) json[i] = copyData(children[i].cond.toJSON(false)) as Json;
      }
      return { r: result === true, j: booleanConditionJson(node, operator, json) };
    }
  }
}

function booleanConditionJson(node: Node, operator: BooleanOperator, inner: unknown): Json {
  const priority = node.jPriority;
  const name = node.jName;
  if (name === undefined && typeof priority === 'number') {
    // The usual case (boolean conditions always carry a numeric priority): fixed object shapes.
    return operator === 'all' ? { priority, all: inner } : operator === 'any' ? { priority, any: inner } : { priority, not: inner };
  }
  const props: Json = {};
  if (priority !== undefined) props.priority = copyData(priority);
  if (name !== undefined) props.name = copyData(name);
  props[operator] = inner;
  return props;
}

/** Condition.toJSON(false) of an evaluated fact condition (same keys, same order). */
function factConditionJson(node: Node, factResult: unknown, valueResult: unknown, result: boolean): Json {
  const props: Json = {};
  if (node.jPriority !== undefined) props.priority = copyData(node.jPriority);
  if (node.jName !== undefined) props.name = copyData(node.jName);
  props.operator = node.jOperator;
  const value = node.jValueIsPrimitive ? node.jValue : copyData(node.jValue);
  props.value = value;
  props.fact = copyData(node.jFact);
  if (factResult !== undefined) props.factResult = factResult;
  // For a literal value json-rules-engine's valueResult is the (cloned) value itself.
  const resolved = node.valueIsLiteral ? value : valueResult;
  if (resolved !== undefined) props.valueResult = resolved;
  if (result !== undefined) props.result = result;
  if (node.jParams !== undefined) props.params = copyData(node.jParams);
  if (node.jPath !== undefined) props.path = copyData(node.jPath);
  return props;
}

/**
 * A fresh copy of rule data, as RuleResult's clone() gives each run its own — made the
 * way the `clone` package makes it: arrays are new array literals, objects keep their
 * prototype (this matters across realms, e.g. under Jest, where structuredClone's objects
 * come from another realm).
 */
function copyData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) copy[i] = copyData(value[i]);
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  for (const key of Object.keys(value)) copy[key] = copyData((value as Record<string, unknown>)[key]);
  return copy;
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

// ---------------------------------------------------------------------------------------
// Index: what a rule requires of a fact's value, and bit masks per (fact, value).

/** `in`: the fact must be one of the values; `out`: it must be none of them. A missing fact = no constraint. */
type Constraint = { kind: 'in' | 'out'; values: Set<string> };
type Constraints = Map<string, Constraint>;

/** A rule with more alternatives than this is indexed by one merged branch (still correct, less selective). */
const MAX_BRANCHES = 16;

/**
 * The rule's alternatives (disjunctive normal form of its equality tests): the rule can only
 * hold if, for some branch, every constraint of that branch holds. Branches that can never
 * hold (`in` an empty set) are dropped. An empty map is a branch without constraints.
 * Undefined when there would be more than MAX_BRANCHES (or a sub-tree has too many).
 */
function dnf(node: Node): Constraints[] | undefined {
  switch (node.kind) {
    case 'fact':
      return [factConstraint(node)];
    case 'all': {
      let product: Constraints[] = [new Map()];
      for (const child of node.children) {
        const alternatives = dnf(child);
        if (!alternatives) return undefined;
        const next: Constraints[] = [];
        for (const left of product) for (const right of alternatives) {
          const merged = new Map(left);
          for (const [fact, constraint] of right) {
            const current = merged.get(fact);
            merged.set(fact, current ? intersect(current, constraint) : constraint);
          }
          if (satisfiable(merged)) next.push(merged);
        }
        if (next.length > MAX_BRANCHES) return undefined;
        product = next;
      }
      return product;
    }
    case 'any': {
      if (node.children.length === 0) return [new Map()];
      const alternatives: Constraints[] = [];
      for (const child of node.children) {
        const branches = dnf(child);
        if (!branches) return undefined;
        alternatives.push(...branches);
      }
      if (alternatives.some((b) => b.size === 0)) return [new Map()];
      return alternatives.length > MAX_BRANCHES ? undefined : alternatives;
    }
    default:
      return [new Map()]; // not, ref: no usable constraint
  }
}

/**
 * Whether the index decides the node exactly (candidate ⇔ true): only all/any of equal /
 * notEqual / in / notIn tests on string values, so each branch's constraints are the
 * branch itself.
 */
function isExactlyIndexed(node: Node): boolean {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.every(isExactlyIndexed);
    case 'fact': {
      if (node.factName === undefined || !node.valueIsLiteral) return false;
      const { operator, value } = node.cond;
      if (operator === 'equal' || operator === 'notEqual') return typeof value === 'string';
      if (operator === 'in' || operator === 'notIn') return Array.isArray(value) && value.every((v) => typeof v === 'string');
      return false;
    }
    default:
      return false;
  }
}

function satisfiable(constraints: Constraints): boolean {
  for (const constraint of constraints.values()) if (constraint.kind === 'in' && constraint.values.size === 0) return false;
  return true;
}

/** Over-approximation in one branch: if the node is true, every constraint holds. */
function constraintsOf(node: Node): Constraints {
  switch (node.kind) {
    case 'fact':
      return factConstraint(node);
    case 'all': {
      const result: Constraints = new Map();
      for (const child of node.children) {
        for (const [fact, constraint] of constraintsOf(child)) {
          const current = result.get(fact);
          result.set(fact, current ? intersect(current, constraint) : constraint);
        }
      }
      return result;
    }
    case 'any': {
      if (node.children.length === 0) return new Map();
      const [first, ...rest] = node.children.map(constraintsOf);
      const result: Constraints = new Map();
      for (const [fact, constraint] of first) {
        let union: Constraint | undefined = constraint;
        for (const other of rest) {
          const next = other.get(fact);
          union = next ? unite(union, next) : undefined;
          if (!union) break;
        }
        if (union) result.set(fact, union);
      }
      return result;
    }
    default:
      return new Map(); // not, ref
  }
}

function factConstraint(node: Node): Constraints {
  const { fact, operator, value, path } = node.cond;
  if (typeof fact !== 'string' || fact === '' || fact in Object.prototype || path || !node.valueIsLiteral) return new Map();
  const strings = (values: unknown[]) => values.filter((v): v is string => typeof v === 'string');
  switch (operator) {
    case 'equal':
      return typeof value === 'string' ? new Map([[fact, { kind: 'in', values: new Set([value]) }]]) : new Map();
    case 'notEqual':
      return typeof value === 'string' ? new Map([[fact, { kind: 'out', values: new Set([value]) }]]) : new Map();
    case 'in':
      // Only lists of strings: a non-string member could equal a non-string fact value.
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? new Map([[fact, { kind: 'in', values: new Set(value as string[]) }]]) : new Map();
    case 'notIn':
      return Array.isArray(value) ? new Map([[fact, { kind: 'out', values: new Set(strings(value)) }]]) : new Map();
    default:
      return new Map();
  }
}

function intersect(a: Constraint, b: Constraint): Constraint {
  if (a.kind === 'in' && b.kind === 'in') return { kind: 'in', values: new Set([...a.values].filter((v) => b.values.has(v))) };
  if (a.kind === 'in') return { kind: 'in', values: new Set([...a.values].filter((v) => !b.values.has(v))) };
  if (b.kind === 'in') return intersect(b, a);
  return { kind: 'out', values: new Set([...a.values, ...b.values]) };
}

function unite(a: Constraint, b: Constraint): Constraint {
  if (a.kind === 'in' && b.kind === 'in') return { kind: 'in', values: new Set([...a.values, ...b.values]) };
  if (a.kind === 'out' && b.kind === 'out') return { kind: 'out', values: new Set([...a.values].filter((v) => b.values.has(v))) };
  const [inside, outside] = a.kind === 'in' ? [a, b] : [b, a];
  return { kind: 'out', values: new Set([...outside.values].filter((v) => !inside.values.has(v))) };
}

/**
 * One indexed fact. Mask m (a set of branches, one bit each) is bits[m*words … (m+1)*words),
 * and its non-zero words are wordList[wordStart[m] … wordStart[m+1]): all in flat arrays,
 * so a lookup touches one Map entry (a small integer) and contiguous memory.
 */
interface FactIndex {
  fact: string;
  maskByValue: Map<string, number>;
  /** Branches admitting a value named by no rule (or a non-string value). */
  otherMask: number;
  bits: Uint32Array;
  wordStart: Int32Array;
  wordList: Int32Array;
}

function admits(constraint: Constraint | undefined, value: string | undefined): boolean {
  if (!constraint) return true;
  const listed = value !== undefined && constraint.values.has(value);
  return constraint.kind === 'in' ? listed : !listed;
}

function buildIndexes(branches: { constraints: Constraints }[], words: number): FactIndex[] {
  const constrainedBy = new Map<string, Constraints[]>();
  for (const { constraints } of branches) {
    for (const fact of constraints.keys()) {
      const list = constrainedBy.get(fact) ?? [];
      list.push(constraints);
      constrainedBy.set(fact, list);
    }
  }
  const built = [...constrainedBy.entries()].map(([fact, constrained]) => {
    const values = new Set<string>();
    for (const constraints of constrained) for (const v of constraints.get(fact)!.values) values.add(v);
    const keys = [...values, undefined];
    const bits = new Uint32Array(keys.length * words);
    keys.forEach((value, m) => {
      branches.forEach(({ constraints }, bit) => {
        if (admits(constraints.get(fact), value)) bits[m * words + (bit >>> 5)] |= 1 << (bit & 31);
      });
    });
    const wordStart = new Int32Array(keys.length + 1);
    const wordList: number[] = [];
    let population = 0;
    keys.forEach((_, m) => {
      wordStart[m] = wordList.length;
      for (let w = 0; w < words; w++) {
        const word = bits[m * words + w];
        if (word !== 0) wordList.push(w);
        population += popcount(word);
      }
    });
    wordStart[keys.length] = wordList.length;
    const index: FactIndex = {
      fact,
      maskByValue: new Map([...values].map((value, m) => [value, m])),
      otherMask: keys.length - 1,
      bits,
      wordStart,
      wordList: Int32Array.from(wordList),
    };
    // Mean non-zero words per mask (the first fact bounds the words ever touched), and mean branches let through.
    return { index, spread: wordList.length / keys.length, density: population / keys.length };
  });
  // The sparsest first, then the most selective.
  built.sort((a, b) => a.spread - b.spread || a.index.fact.localeCompare(b.index.fact));
  const [first, ...rest] = built;
  if (!first) return [];
  rest.sort((a, b) => a.density - b.density || a.index.fact.localeCompare(b.index.fact));
  return [first, ...rest].map((b) => b.index);
}

/**
 * Two indexes as one: mask a·|b|+b is mask a of the first AND mask b of the second, so the
 * first lookup already leaves few live words. Skipped when it would take more than 4 MB.
 */
function combine(first: FactIndex, second: FactIndex, words: number): FactIndex | undefined {
  const countA = first.otherMask + 1;
  const countB = second.otherMask + 1;
  if (countA * countB * words > 1 << 20) return undefined;
  const bits = new Uint32Array(countA * countB * words);
  const wordStart = new Int32Array(countA * countB + 1);
  const wordList: number[] = [];
  for (let a = 0; a < countA; a++) {
    for (let b = 0; b < countB; b++) {
      const m = a * countB + b;
      wordStart[m] = wordList.length;
      for (let w = 0; w < words; w++) {
        const v = first.bits[a * words + w] & second.bits[b * words + w];
        bits[m * words + w] = v;
        if (v !== 0) wordList.push(w);
      }
    }
  }
  wordStart[countA * countB] = wordList.length;
  return { fact: `${first.fact}+${second.fact}`, maskByValue: new Map(), otherMask: -1, bits, wordStart, wordList: Int32Array.from(wordList) };
}

function popcount(word: number): number {
  let count = 0;
  while (word !== 0) {
    word &= word - 1;
    count++;
  }
  return count;
}
