import { Engine, Rule, RuleResult } from 'json-rules-engine';
import { Memorandum, RuleDefinition } from '../loader/memorandum';
import { RuleEvaluator, RuleMatch } from './rule-match';
import { RuleSet } from '../loader/rule-set';

/**
 * The reference evaluator: one json-rules-engine Engine holding every rule of the set.
 * Faster evaluators must produce exactly its matches (see the differential tests).
 */
export class JsonRulesEngineEvaluator implements RuleEvaluator {
  readonly ruleSetRevision: string;
  private readonly engine: Engine;
  private readonly rulesByKey = new Map<string, { memorandum: Memorandum; rule: RuleDefinition }>();

  constructor(ruleSet: RuleSet) {
    this.ruleSetRevision = ruleSet.revision;
    // Facts absent from an event (no grade on a penalty) are undefined, not an error.
    this.engine = new Engine([], { allowUndefinedFacts: true });
    for (const memorandum of ruleSet.memoranda) {
      for (const rule of memorandum.rules) {
        const key = `${memorandum.id}/${rule.name}`;
        this.rulesByKey.set(key, { memorandum, rule });
        this.engine.addRule(
          new Rule({
            name: key,
            priority: rule.priority ?? 1,
            conditions: structuredClone(rule.conditions),
            event: { type: 'memorandum-rule-matched', params: { key } },
          }),
        );
      }
    }
  }

  async evaluate(facts: object): Promise<RuleMatch[]> {
    const { results } = await this.engine.run({ ...facts });
    return results.map((result) => this.toMatch(result)).sort(byMemorandumAndRule);
  }

  private toMatch(result: RuleResult): RuleMatch {
    const key = (result.event?.params as { key: string }).key;
    const { memorandum, rule } = this.rulesByKey.get(key)!;
    const conditionTrace = (result.conditions as unknown as { toJSON?: (s: boolean) => unknown }).toJSON?.(false) ?? result.conditions;
    return { memorandum, rule, matchedFacts: factsRead(conditionTrace), conditionTrace };
  }
}

export function byMemorandumAndRule(a: Pick<RuleMatch, 'memorandum' | 'rule'>, b: Pick<RuleMatch, 'memorandum' | 'rule'>): number {
  return a.memorandum.id.localeCompare(b.memorandum.id) || a.rule.name.localeCompare(b.rule.name);
}

/** Collect `fact → factResult` from an evaluated condition tree. */
export function factsRead(trace: unknown, into: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(trace)) {
    for (const item of trace) factsRead(item, into);
  } else if (trace && typeof trace === 'object') {
    const node = trace as Record<string, unknown>;
    if (typeof node.fact === 'string' && 'factResult' in node) into[node.fact] = node.factResult;
    for (const key of ['all', 'any', 'not']) if (key in node) factsRead(node[key], into);
  }
  return into;
}
