import { assertConductEndNotInFuture, chinaDate, CreditEvent } from '@app/domain';
import { buildCreditFacts, carriesConduct, isTimeBarred, limitationFrom, planEvent } from '@app/rules';
import type { ActiveRules } from './catalogue.service';
import { EventIntakeError } from './event-intake.errors';

/**
 * The intake's answer to conduct past its limitation (DOMAIN §4), before the event is stored:
 * a department publishing over HTTP learns at once that nothing will follow, and why. An event
 * is refused when every sanction memorandum it matches finds the conduct time-barred, or when it
 * matches none and the conduct is past the legal maximum; when only some memoranda refuse, it is
 * accepted and the engine tells the departments concerned with a sanction.refused record.
 */
export async function assertConductUsable(event: CreditEvent, rules: ActiveRules, now: Date): Promise<void> {
  const facts = buildCreditFacts(event, rules.ruleSet);
  if (!carriesConduct(event, facts.listType)) return;
  const today = chinaDate(now);
  assertConductEndNotInFuture(event, today);
  const plan = planEvent(event, facts, await rules.evaluator.evaluate(facts), { ruleSetRevision: rules.ruleSet.revision, today });
  const legal = limitationFrom(event);
  if (plan.decisions.length > 0 || (plan.refusals.length === 0 && !isTimeBarred(legal, today))) return;
  const reason =
    plan.refusals.length > 0
      ? plan.refusals.map((r) => r.reason).join('; ')
      : `the conduct ended on ${legal.conductEndedOn}, more than ${legal.years} years ago (last usable day ${legal.lastUsableOn}): its information may not be a basis of sanctions`;
  throw new EventIntakeError('EVENT.CONDUCT_PAST_LIMIT', reason, {
    conductEndedOn: legal.conductEndedOn,
    lastUsableOn: plan.refusals[0]?.limitation.lastUsableOn ?? legal.lastUsableOn,
    memoranda: plan.refusals.map((r) => r.memorandumId),
  });
}
