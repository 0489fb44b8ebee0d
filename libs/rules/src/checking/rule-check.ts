import { RuleSet } from '../loader/rule-set';
import { RuleProblem, RuleSetError, RuleSetErrorCode } from '../loader/rule-set.errors';
import { buildRuleSet, RuleSetLoadOptions, RuleSources } from '../loader/rule-set-loader';
import { CaseEvents, CoverageOptions, coverageWarnings } from './rule-coverage';

/** What a check of rule files found: the rule set when it is accepted, else the refusal and its errors; warnings either way. */
export interface RuleCheck {
  ruleSet?: RuleSet;
  refusal?: RuleSetErrorCode;
  errors: readonly RuleProblem[];
  warnings: readonly RuleProblem[];
}

/**
 * Every check policy staff get on rule files, as values: what the engine refuses (buildRuleSet)
 * and, for an accepted set, the coverage warnings. rules:check prints it; the console will
 * show the same problems beside the editor.
 */
export async function checkRuleSources(sources: RuleSources, cases: readonly CaseEvents[], options: RuleSetLoadOptions & CoverageOptions = {}): Promise<RuleCheck> {
  let ruleSet: RuleSet;
  try {
    ruleSet = buildRuleSet(sources, options);
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    return { refusal: error.code, errors: error.problems, warnings: [] };
  }
  return { ruleSet, errors: [], warnings: [...ruleSet.warnings, ...(await coverageWarnings(ruleSet, cases, options))] };
}
