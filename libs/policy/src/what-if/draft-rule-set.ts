import { buildRuleSet, CompiledRuleEvaluator, formatProblem, RuleContent, RuleEvaluator, RuleSet, RuleSetError, ruleSourcesOf, WhatIfError } from '@app/rules';
import { DraftRuleFiles } from './what-if-request';

export interface SimulatedRules {
  ruleSet: RuleSet;
  evaluator: RuleEvaluator;
}

/**
 * A draft's rule set, built by the loader the engine uses (same schemas, legality and citation
 * checks, repealed citations tolerated as the engine does) from files held in memory, with the
 * compiled evaluator the engine runs. The catalogue, unless the draft brings one, is the one in
 * force (`inForce`: the release in force, or rules/); the schemas come from the rules directory.
 */
export function draftRules(draft: DraftRuleFiles, inForce: RuleContent, rulesDir: string, knownDepartments: ReadonlySet<string>): SimulatedRules {
  const content = { memoranda: Object.fromEntries(draft.memoranda.map((f) => [f.file, f.content])), instruments: draft.instruments ?? inForce.instruments };
  try {
    const ruleSet = buildRuleSet(ruleSourcesOf(content, rulesDir), { knownDepartments, repealedCitations: 'tolerate' });
    return { ruleSet, evaluator: new CompiledRuleEvaluator(ruleSet) };
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    const problems = error.problems.map(formatProblem);
    throw new WhatIfError('WHAT_IF.INVALID_RULE_SET', `the draft does not load (${error.code}): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` and ${problems.length - 5} more` : ''}`, { problems });
  }
}
