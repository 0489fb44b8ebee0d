import { BooleanOperator, Facts, Json, Node } from './compile';

/**
 * Exact evaluation with json-rules-engine's trace (Rule.evaluate + Condition.toJSON(false)):
 * conditions evaluated in the reference's order, errors thrown where it would reject, and the
 * trace rebuilt key for key. Only matched (or strict) rules pay for it.
 */

/** A node's result (`r`) and its Condition.toJSON(false) (`j`). */
export interface Traced {
  r: boolean;
  j: Json;
}

export function traceNode(node: Node, facts: Facts): Traced {
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
