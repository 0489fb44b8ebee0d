import { Memorandum, RuleDefinition } from '../loader/memorandum';

/** A rule whose conditions held for an event, with the evidence that made them hold. */
export interface RuleMatch {
  memorandum: Memorandum;
  rule: RuleDefinition;
  /** Facts the rule's conditions read, with the values they had. */
  matchedFacts: Record<string, unknown>;
  /** The condition tree annotated with each fact's value and result (json-rules-engine's own trace). */
  conditionTrace: unknown;
}

export interface RuleEvaluator {
  readonly ruleSetRevision: string;
  evaluate(facts: object): Promise<RuleMatch[]>;
}
