import { chinaDate, CreditEvent } from '@app/domain';
import { buildCreditFacts } from '../evaluation/credit-facts';
import { PlannedDecision } from './decision-plan';
import { planDecisions } from './decision-planner';
import { RuleEvaluator } from '../evaluation/rule-match';
import { RuleSet } from '../loader/rule-set';

/**
 * Evaluate one event against a rule set and plan its decisions: facts → matches → plan.
 * `today` defaults to the China date of the event's time, so a rule case decides the same
 * whatever day it is run.
 */
export async function decideCreditEvent(event: CreditEvent, ruleSet: RuleSet, evaluator: RuleEvaluator, today: string = chinaDate(new Date(event.time))): Promise<PlannedDecision[]> {
  const facts = buildCreditFacts(event, ruleSet);
  const matches = await evaluator.evaluate(facts);
  return planDecisions(event, facts, matches, { ruleSetRevision: ruleSet.revision, today });
}
