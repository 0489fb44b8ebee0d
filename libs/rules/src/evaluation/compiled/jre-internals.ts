import { Almanac, Engine, Rule } from 'json-rules-engine';

/**
 * Everything the compiled evaluator takes from json-rules-engine beyond its typed public API,
 * in one place: re-read this file (against the new version's lib/) on every upgrade. The rest
 * of compiled/ replicates json-rules-engine's behaviour (ordering, operators, toJSON) from what
 * these give it; the differential test in compiled-rule.evaluator.spec.ts checks the result.
 */

/** A default operator as the engine's OperatorMap holds it. */
export type Operator = { evaluate(factValue: unknown, jsonValue: unknown): boolean };

/** The engine's private `operators` (an OperatorMap): `null` for a name it does not know. */
export interface OperatorMap {
  get(name: unknown): Operator | null;
}

/** JSONPath resolution as the engine's almanac does it for `path` conditions. */
export type PathResolver = (value: object, path: unknown) => unknown;

export interface EngineInternals {
  operators: OperatorMap;
  pathResolver: PathResolver;
}

/**
 * A json-rules-engine Condition instance: its own properties, as its constructor left them
 * (`fact`, `operator`, `value`, `path`, `params`, `priority`, `name`, `all`, `any`, `not`,
 * `condition`), and its toJSON.
 */
export type Cond = Record<string, any> & { toJSON(stringify: false): Record<string, unknown> };

/** The default operators and path resolver of a fresh engine configured like the reference one. */
export function engineInternals(): EngineInternals {
  const operators = (new Engine([], { allowUndefinedFacts: true }) as unknown as { operators: OperatorMap }).operators;
  const pathResolver = (new Almanac({}) as unknown as { pathResolver: PathResolver }).pathResolver;
  return { operators, pathResolver };
}

/** The Condition tree `new Rule` built from the rule's conditions (typed as the plain input). */
export function conditionTreeOf(rule: Rule): Cond {
  return rule.conditions as unknown as Cond;
}
