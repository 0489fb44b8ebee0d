import { ZenDecision, ZenDecisionContent, ZenEngine } from '@gorules/zen-engine';
import { CreditFacts } from '../../evaluation/credit-facts';
import { byMemorandumAndRule } from '../../evaluation/json-rules-engine.evaluator';
import { RuleSet } from '../../loader/rule-set';
import { TranslatedRule, translateToZen, ZEN_RULE_OUTPUT, ZenLayout, ZenTranslation } from './zen-decision-model';

/**
 * GoRules Zen as a peer of our evaluators, for the rule benchmark and its differential test:
 * the rule set translated once (translateToZen, by default a switch on the event type in
 * front of one table per type), loaded once into one ZenDecision, and
 * evaluated per event with `await decision.evaluate(facts)` — Zen's Node API has no
 * synchronous or batch evaluation of a decision. It answers which rules matched, in the order
 * of byMemorandumAndRule, without our evidence (matchedFacts, condition trace).
 */
export class ZenRuleEvaluator {
  readonly ruleSetRevision: string;
  readonly translation: ZenTranslation;
  private readonly engine = new ZenEngine();
  private readonly decision: ZenDecision;
  /** Each rule's position in byMemorandumAndRule order. */
  private readonly rank: Int32Array;

  constructor(ruleSet: RuleSet, layout?: ZenLayout) {
    this.ruleSetRevision = ruleSet.revision;
    this.translation = translateToZen(ruleSet.memoranda, layout);
    this.decision = this.engine.createDecision(new ZenDecisionContent(this.translation.model));
    const rules = this.translation.rules;
    const order = rules.map((_, i) => i).sort((a, b) => byMemorandumAndRule(rules[a], rules[b]) || a - b);
    this.rank = new Int32Array(rules.length);
    order.forEach((ruleIndex, position) => (this.rank[ruleIndex] = position));
  }

  async evaluate(facts: CreditFacts): Promise<TranslatedRule[]> {
    const { result } = await this.decision.evaluate(facts);
    const rows = result as Array<Record<typeof ZEN_RULE_OUTPUT, number>>;
    if (rows.length === 0) return [];
    // A rule with several conjunctions matches once, however many of its rows hold.
    const matched = [...new Set(rows.map((row) => row[ZEN_RULE_OUTPUT]))].sort((a, b) => this.rank[a] - this.rank[b]);
    return matched.map((i) => this.translation.rules[i]);
  }

  /** Frees the native engine (the decision goes with it). */
  dispose(): void {
    this.engine.dispose();
  }
}

/** The (memorandum, rule) pairs of any evaluator's matches, for comparing Zen with the others. */
export function matchedRuleKeys(matches: readonly TranslatedRule[]): string[] {
  return matches.map((m) => `${m.memorandum.id}/${m.rule.name}`);
}
