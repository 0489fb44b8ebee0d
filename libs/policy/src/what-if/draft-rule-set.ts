import { buildRuleSet, CompiledRuleEvaluator, formatProblem, INSTRUMENTS_FILE, readRuleSources, RuleEvaluator, RuleSet, RuleSetError, WhatIfError } from '@app/rules';
import { DraftRuleFiles } from './what-if-request';

export interface SimulatedRules {
  ruleSet: RuleSet;
  evaluator: RuleEvaluator;
}

/**
 * A draft's rule set, built by the loader the engine uses (same schemas, legality and citation
 * checks, repealed citations tolerated as the engine does) from files held in memory, with the
 * compiled evaluator the engine runs. The schemas, and the catalogue unless the draft brings
 * one, come from the rules directory.
 */
export function draftRules(draft: DraftRuleFiles, rulesDir: string, knownDepartments: ReadonlySet<string>): SimulatedRules {
  const inForce = readRuleSources(rulesDir);
  const sources = {
    memoranda: draft.memoranda,
    instruments: draft.instruments === undefined ? inForce.instruments : { file: INSTRUMENTS_FILE, content: draft.instruments },
    schemas: inForce.schemas,
  };
  try {
    const ruleSet = buildRuleSet(sources, { knownDepartments, repealedCitations: 'tolerate' });
    return { ruleSet, evaluator: new CompiledRuleEvaluator(ruleSet) };
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    const problems = error.problems.map(formatProblem);
    throw new WhatIfError('WHAT_IF.INVALID_RULE_SET', `the draft does not load (${error.code}): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` and ${problems.length - 5} more` : ''}`, { problems });
  }
}
