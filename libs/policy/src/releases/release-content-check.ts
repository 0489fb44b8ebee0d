import { basename } from 'node:path';
import { buildRuleSet, JsonRulesEngineEvaluator, maskedRuleCaseOutcome, ReleaseError, RuleCaseFile, ruleCaseFilesOf, RuleContent, RuleProblem, RuleSet, RuleSetError, ruleSourcesOf, runRuleCase } from '@app/rules';

export interface ContentCheckOptions {
  rulesDir: string;
  knownDepartments: ReadonlySet<string>;
  today?: string;
}

/**
 * What `npm run rules:check` checks, on a release's content: schema, legality, citations
 * against its catalogue (repealed ones refused), consistency across files, then the rule cases
 * of the memoranda it holds (its own, else those in rules/). A broken rule set never becomes a release.
 */
export async function checkReleaseContent(content: RuleContent, options: ContentCheckOptions): Promise<RuleSet> {
  let ruleSet: RuleSet;
  try {
    ruleSet = buildRuleSet(ruleSourcesOf(content, options.rulesDir), { knownDepartments: options.knownDepartments, today: options.today });
  } catch (error) {
    if (error instanceof RuleSetError) throw refused(error.problems);
    throw error;
  }
  const evaluator = new JsonRulesEngineEvaluator(ruleSet);
  const problems: RuleProblem[] = [];
  let caseFiles: RuleCaseFile[];
  try {
    caseFiles = ruleCaseFilesOf(content, options.rulesDir);
  } catch (error) {
    throw refused([{ severity: 'error', file: 'cases', path: '$', code: 'RULES.INVALID_CASES', message: (error as Error).message }]);
  }
  for (const file of caseFiles) {
    for (const ruleCase of file.cases) {
      const outcome = await runRuleCase(file, ruleCase, ruleSet, evaluator);
      if (outcome.passed) continue;
      // Masked: the refusal goes back over HTTP and onto the console's page.
      const shown = maskedRuleCaseOutcome(outcome);
      const detail = [shown.error, ...shown.missing.map((m) => `missing ${m}`), ...shown.unexpected.map((u) => `unexpected ${u}`)].filter(Boolean).join('; ');
      problems.push({ severity: 'error', file: basename(outcome.file), path: '$', code: 'RULES.CASE_FAILED', message: `rule case "${outcome.note}" fails: ${detail}` });
    }
  }
  if (problems.length > 0) throw refused(problems);
  return ruleSet;
}

function refused(problems: RuleProblem[]): ReleaseError {
  return new ReleaseError('RELEASE.INVALID_CONTENT', `the rule set is refused (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix it as for npm run rules:check`, { problems });
}
