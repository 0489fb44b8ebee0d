import { Cond, EngineInternals, Operator, OperatorMap } from './jre-internals';

/**
 * Compilation of json-rules-engine's Condition tree, once per rule: a {@link Node} tree that
 * records how the reference would evaluate each condition (and whether it could throw), and
 * from it a short-circuiting boolean test with the same truth value.
 */

/** The facts of one run: one constant fact per own enumerable key, as Engine.run makes them. */
export type Facts = Record<string, unknown>;
export type Json = Record<string, unknown>;
export type BooleanOperator = 'all' | 'any' | 'not';

export interface Node {
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

export function compileNode(cond: Cond, context: EngineInternals, root: boolean): Node {
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
function factConditionMayThrow(cond: Cond, context: EngineInternals): boolean {
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
function factReader(name: unknown, path: unknown, context: EngineInternals): (facts: Facts) => unknown {
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
export function prioritizedOrder<T>(rules: { priority: number; item: T }[]): T[] {
  const sets = rules.reduce<Record<string, T[]>>((acc, { priority, item }) => {
    if (!acc[priority]) acc[priority] = [];
    acc[priority].push(item);
    return acc;
  }, {});
  return Object.keys(sets)
    .sort((a, b) => (Number(a) > Number(b) ? -1 : 1))
    .flatMap((priority) => sets[priority]);
}

// Fast boolean test (rules that cannot throw): any order, short-circuits, same truth value.

export function compileTest(node: Node): (facts: Facts) => boolean {
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
