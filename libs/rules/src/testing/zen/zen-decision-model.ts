import { Memorandum, RuleDefinition } from '../../loader/memorandum';

/**
 * Translation of a rule set's json-rules-engine conditions into one GoRules Zen decision
 * model (JDM): decision tables with the `collect` hit policy between an input and an output
 * node (see {@link ZenLayout}). Each rule's condition tree is brought into disjunctive normal
 * form (negations pushed down to the fact tests), and each conjunction becomes a table row
 * whose output is the rule's index; a rule matches when at least one of its rows does.
 *
 * A cell holds every test of its row on its column's fact, written as a standard Zen
 * expression naming the fact, with the same truth value json-rules-engine's default operator
 * gives for the fact's declared type (see {@link FACT_TYPES}). The columns have no `field`,
 * so Zen reads the cells as standard expressions: its unary cell syntax (tests on `$`)
 * rejects parenthesised `and`/`or` groups and gives `and` no precedence over `or`. A cell
 * must never fail either: Zen skips a row whose cell errors (comparing null, say), which
 * would turn a negated test's `true` into a miss, so optional numbers are guarded
 * (`fineAmountYuan != null and …`).
 *
 * Whatever the translation cannot state exactly throws {@link ZenTranslationError} naming
 * the rule: nothing is dropped or approximated.
 */

/** How a fact is typed in CreditFacts (buildCreditFacts): the translation is exact for facts of these types. */
export const FACT_TYPES: Readonly<Record<string, { type: 'string' | 'number' | 'string[]'; optional: boolean }>> = {
  eventType: { type: 'string', optional: false },
  sourceDepartment: { type: 'string', optional: false },
  subjectKind: { type: 'string', optional: false },
  listCode: { type: 'string', optional: true },
  listType: { type: 'string', optional: true },
  severity: { type: 'string', optional: false },
  penaltyType: { type: 'string', optional: true },
  reason: { type: 'string', optional: true },
  ratingScheme: { type: 'string', optional: true },
  grade: { type: 'string', optional: true },
  honourCode: { type: 'string', optional: true },
  commitmentType: { type: 'string', optional: true },
  sanction: { type: 'string', optional: true },
  industry: { type: 'string', optional: true },
  relatedRoles: { type: 'string[]', optional: false },
  fineAmountYuan: { type: 'number', optional: true },
  termDays: { type: 'number', optional: true },
};

export class ZenTranslationError extends Error {
  readonly code = 'RULES.ZEN_UNTRANSLATABLE';

  constructor(
    readonly rule: string,
    readonly reason: string,
  ) {
    super(`rule ${rule} cannot be translated exactly into a Zen decision table: ${reason}`);
  }
}

/** One fact test of a conjunction, possibly negated. */
interface Literal {
  fact: string;
  operator: string;
  value: unknown;
  negated: boolean;
}

/** A conjunction of literals; an empty one always holds. */
type Term = Literal[];

export interface ZenTableRow {
  _id: string;
  [column: string]: string;
}

/** The JDM a ZenEngine loads (createDecision), as plain JSON. */
export interface ZenDecisionModel {
  nodes: Array<Record<string, unknown>>;
  edges: Array<{ id: string; sourceId: string; targetId: string; type: 'edge' }>;
}

export interface TranslatedRule {
  memorandum: Memorandum;
  rule: RuleDefinition;
}

/**
 * How the rows are laid out. `one-table`: every row in one table. `switch-on-event-type`: a
 * switch node (first hit) on the event type in front of one table per event type the rules
 * name, plus one for any other type; each table holds the rows that can hold for its type,
 * with their event-type tests already decided — what a Zen user would do with a rule base
 * this size, since a table is scanned row by row. Both give the same matches.
 */
export type ZenLayout = 'one-table' | 'switch-on-event-type';

export interface ZenTranslation {
  layout: ZenLayout;
  model: ZenDecisionModel;
  /** Indexed by the `rule` output of a matching row. */
  rules: TranslatedRule[];
  /** Table rows, summed over the tables (a row of the switch layout may stand in several). */
  rows: number;
  tables: number;
}

/** The output field of each row: the index of its rule in {@link ZenTranslation.rules}. */
export const ZEN_RULE_OUTPUT = 'rule';

interface Entry {
  rule: number;
  term: Term;
}

export function translateToZen(memoranda: readonly Memorandum[], layout: ZenLayout = 'switch-on-event-type'): ZenTranslation {
  const rules: TranslatedRule[] = [];
  const entries: Entry[] = [];
  for (const memorandum of memoranda) {
    for (const rule of memorandum.rules) {
      const key = `${memorandum.id}/${rule.name}`;
      for (const term of dnf(rule.conditions, false, key)) entries.push({ rule: rules.length, term: validated(term, key) });
      rules.push({ memorandum, rule });
    }
  }

  // Most-used facts first: Zen stops at a row's first failing cell, and eventType rejects most rows.
  const uses = new Map<string, number>();
  for (const { term } of entries) for (const fact of new Set(term.map((l) => l.fact))) uses.set(fact, (uses.get(fact) ?? 0) + 1);
  const columnOrder = [...uses.keys()].sort((a, b) => uses.get(b)! - uses.get(a)! || a.localeCompare(b));

  const input = { id: 'facts', type: 'inputNode', name: 'facts', position: { x: 0, y: 0 } };
  const output = { id: 'matches', type: 'outputNode', name: 'matches', position: { x: 900, y: 0 } };
  const edge = (sourceId: string, targetId: string, sourceHandle?: string) => ({ id: `${sourceId}-${sourceHandle ?? targetId}`, sourceId, targetId, type: 'edge' as const, ...(sourceHandle ? { sourceHandle } : {}) });

  if (layout === 'one-table') {
    const table = tableNode('rules', 'memorandum rules', entries, columnOrder);
    return {
      layout,
      model: { nodes: [input, table, output], edges: [edge('facts', 'rules'), edge('rules', 'matches')] },
      rules,
      rows: entries.length,
      tables: 1,
    };
  }

  const eventTypes = [...new Set(entries.flatMap(({ term }) => term.filter((l) => l.fact === EVENT_TYPE).flatMap((l) => (Array.isArray(l.value) ? l.value : [l.value]) as string[])))].sort();
  // undefined: an event type no rule names.
  const branches: Array<string | undefined> = [...eventTypes, undefined];
  const statements = branches.map((eventType, i) => ({ id: `s${i}`, condition: eventType === undefined ? '' : `${EVENT_TYPE} == ${literalOf(eventType)}` }));
  const tables = branches.map((eventType, i) => {
    const decided = entries.flatMap(({ rule, term }): Entry[] =>
      term.every((l) => l.fact !== EVENT_TYPE || eventTypeTestHolds(l, eventType)) ? [{ rule, term: term.filter((l) => l.fact !== EVENT_TYPE) }] : [],
    );
    return tableNode(`t${i}`, eventType === undefined ? 'rules for other event types' : `rules for ${eventType}`, decided, columnOrder);
  });
  const router = { id: 'event-type', type: 'switchNode', name: 'event type', position: { x: 300, y: 0 }, content: { hitPolicy: 'first', statements } };
  return {
    layout,
    model: {
      nodes: [input, router, ...tables, output],
      edges: [edge('facts', 'event-type'), ...tables.flatMap((table, i) => [edge('event-type', table.id, statements[i].id), edge(table.id, 'matches')])],
    },
    rules,
    rows: tables.reduce((n, t) => n + t.content.rules.length, 0),
    tables: tables.length,
  };
}

const EVENT_TYPE = 'eventType';

/** An event-type test decided for one event type (undefined: one that no rule names, so no value of a test equals it). */
function eventTypeTestHolds(literal: Literal, eventType: string | undefined): boolean {
  const values = (Array.isArray(literal.value) ? literal.value : [literal.value]) as string[];
  const named = eventType !== undefined && values.includes(eventType);
  let holds: boolean;
  switch (literal.operator) {
    case 'equal':
    case 'in':
      holds = named;
      break;
    case 'notEqual':
    case 'notIn':
      holds = !named;
      break;
    default:
      throw new Error(`unreachable: operator ${literal.operator} on ${EVENT_TYPE} passed validation`);
  }
  return holds !== literal.negated;
}

/** A collect table of the entries' rows; its columns are the facts they test, in columnOrder. */
function tableNode(id: string, name: string, entries: readonly Entry[], columnOrder: readonly string[]) {
  const used = new Set(entries.flatMap(({ term }) => term.map((l) => l.fact)));
  const columns = columnOrder.filter((fact) => used.has(fact));
  const rows = entries.map(({ rule, term }, r) => {
    const row: ZenTableRow = { _id: `${id}r${r}`, out: String(rule) };
    columns.forEach((fact, c) => {
      const tests = term.filter((l) => l.fact === fact).map(expressionOf);
      row[`c${c}`] = tests.length === 0 ? '' : tests.length === 1 ? tests[0] : tests.map((t) => `(${t})`).join(' and ');
    });
    return row;
  });
  return {
    id,
    type: 'decisionTableNode',
    name,
    position: { x: 600, y: 0 },
    content: {
      hitPolicy: 'collect',
      inputs: columns.map((fact, c) => ({ id: `c${c}`, name: fact })),
      outputs: [{ id: 'out', name: ZEN_RULE_OUTPUT, field: ZEN_RULE_OUTPUT }],
      rules: rows,
    },
  };
}

/**
 * The condition (negated or not) as a disjunction of conjunctions. json-rules-engine's
 * default operators have no side effects, so evaluation order and short-circuiting do not
 * change a rule's truth value, and an empty `all` or `any` holds (prioritizeAndRun of no
 * conditions is true).
 */
function dnf(node: unknown, negated: boolean, rule: string): Term[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) throw new ZenTranslationError(rule, `a condition is not an object: ${JSON.stringify(node)}`);
  const condition = node as Record<string, unknown>;
  const own = (key: string) => Object.prototype.hasOwnProperty.call(condition, key);
  if (own('condition')) throw new ZenTranslationError(rule, 'shared condition references are not supported (the reference engine registers none)');
  // Condition.booleanOperator reads any, then all, then not.
  const booleanOperator = own('any') ? 'any' : own('all') ? 'all' : own('not') ? 'not' : undefined;
  if (booleanOperator === 'not') return dnf(condition.not, !negated, rule);
  if (booleanOperator) {
    const children = condition[booleanOperator];
    if (!Array.isArray(children)) throw new ZenTranslationError(rule, `${booleanOperator} is not an array`);
    const parts = children.map((child) => dnf(child, negated, rule));
    if (parts.length === 0) return negated ? [] : [[]];
    // all, or a negated any (De Morgan): every part holds; any, or a negated all: one does.
    const conjunction = (booleanOperator === 'all') !== negated;
    return conjunction ? parts.reduce((acc, part) => acc.flatMap((left) => part.map((right) => [...left, ...right])), [[]] as Term[]) : parts.flat();
  }
  if (own('path') || own('params')) throw new ZenTranslationError(rule, `fact ${String(condition.fact)} is read with a path or params`);
  if (condition.value !== null && typeof condition.value === 'object' && !Array.isArray(condition.value)) {
    throw new ZenTranslationError(rule, `fact ${String(condition.fact)} is compared with an object or another fact`);
  }
  return [[{ fact: String(condition.fact), operator: String(condition.operator), value: condition.value, negated }]];
}

const STRING_OPERATORS = new Set(['equal', 'notEqual', 'in', 'notIn']);
const ARRAY_OPERATORS = new Set(['contains', 'doesNotContain']);
const NUMBER_OPERATORS = new Set(['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/** Only tests whose Zen expression has json-rules-engine's truth value for every value the fact can take. */
function validated(term: Term, rule: string): Term {
  for (const literal of term) {
    const declared = FACT_TYPES[literal.fact];
    const what = `${literal.fact} ${literal.operator} ${JSON.stringify(literal.value)}`;
    if (!declared) throw new ZenTranslationError(rule, `${what}: ${literal.fact} is not a fact of CreditFacts`);
    const values = literal.operator === 'in' || literal.operator === 'notIn' ? literal.value : [literal.value];
    if (!Array.isArray(values)) throw new ZenTranslationError(rule, `${what}: in/notIn on a string (a substring search) is not translated`);
    const allowed = declared.type === 'string' ? STRING_OPERATORS : declared.type === 'string[]' ? ARRAY_OPERATORS : NUMBER_OPERATORS;
    if (!allowed.has(literal.operator)) throw new ZenTranslationError(rule, `${what}: operator ${literal.operator} on a ${declared.type} fact is not translated`);
    const literalType = declared.type === 'number' ? 'number' : 'string';
    for (const value of values) {
      if (typeof value !== literalType) throw new ZenTranslationError(rule, `${what}: a ${typeof value} compared with a ${declared.type} fact`);
      if (typeof value === 'string' && /["\\\n\r]/.test(value)) throw new ZenTranslationError(rule, `${what}: quotes, backslashes and line breaks in codes are not translated`);
      // Zen reads decimals; a plain decimal literal is the same number json-rules-engine compares with.
      if (typeof value === 'number' && !/^-?\d+(\.\d+)?$/.test(String(value))) throw new ZenTranslationError(rule, `${what}: ${value} has no plain decimal form`);
    }
  }
  return term;
}

const literalOf = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : String(value));

/** The test as a standard Zen expression; validated() has checked that it is exact. */
function expressionOf(literal: Literal): string {
  const { fact, operator, value } = literal;
  const guard = FACT_TYPES[fact].type === 'number' && FACT_TYPES[fact].optional ? `${fact} != null and ` : '';
  let test: string;
  switch (operator) {
    case 'equal':
      test = `${fact} == ${literalOf(value)}`; // === : an absent fact (null) equals no code
      break;
    case 'notEqual':
      test = `${fact} != ${literalOf(value)}`;
      break;
    case 'in':
      test = `${fact} in [${(value as unknown[]).map(literalOf).join(', ')}]`;
      break;
    case 'notIn':
      test = `not (${fact} in [${(value as unknown[]).map(literalOf).join(', ')}])`;
      break;
    case 'contains':
      test = `contains(${fact}, ${literalOf(value)})`; // relatedRoles is always an array
      break;
    case 'doesNotContain':
      test = `not (contains(${fact}, ${literalOf(value)}))`;
      break;
    // numberValidator: an absent fact fails every comparison.
    case 'lessThan':
      test = `${guard}${fact} < ${literalOf(value)}`;
      break;
    case 'lessThanInclusive':
      test = `${guard}${fact} <= ${literalOf(value)}`;
      break;
    case 'greaterThan':
      test = `${guard}${fact} > ${literalOf(value)}`;
      break;
    case 'greaterThanInclusive':
      test = `${guard}${fact} >= ${literalOf(value)}`;
      break;
    default:
      throw new Error(`unreachable: operator ${operator} passed validation`);
  }
  return literal.negated ? `not (${test})` : test;
}
