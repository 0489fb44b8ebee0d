import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Department } from '@app/domain';
import { checkClassModels, checkRuleSources, formatProblem, INSTRUMENTS_FILE, JsonRulesEngineEvaluator, listRuleFiles, loadRuleCaseFiles, readClassModelSources, readRuleSources, RuleFile, RuleSet, RuleSetError, runAllRuleCases, runClassCases } from '@app/rules';

export interface RulesCheckOptions {
  rulesDir: string;
  departmentsFile: string;
  /** Draft memoranda (or an instruments.json) judged in place of their namesakes in rulesDir; a directory stands for its memoranda and catalogue. */
  drafts?: readonly string[];
  /** China date citations are judged on; the current one by default. */
  today?: string;
}

/** Where the check writes: stdout for results, stderr for refusals and warnings. */
export interface CheckOutput {
  log(line: string): void;
  error(line: string): void;
}

/**
 * `npm run rules:check [-- file.json…]`: what the engine does when it loads rules/, for
 * policy staff before they commit: schema, condition values against the registries, legality,
 * citations against the instrument catalogue, cross-file consistency (one line a mistake,
 * `file:path  CODE  message`), then coverage warnings (memoranda without cases, overlaps no
 * case shows) and every rule case. Returns the exit code: 1 on an error, 0 with warnings only.
 */
export async function checkRules(options: RulesCheckOptions, out: CheckOutput = console): Promise<number> {
  const drafts = (options.drafts ?? []).flatMap(expand).map((file): RuleFile => ({ file, content: readFileSync(file, 'utf8') }));
  const draftCatalogue = drafts.find((d) => basename(d.file) === INSTRUMENTS_FILE);
  const draftMemoranda = drafts.filter((d) => d !== draftCatalogue);
  const draftNames = new Set(draftMemoranda.map((d) => basename(d.file)));
  const { departments } = JSON.parse(readFileSync(options.departmentsFile, 'utf8')) as { departments: Department[] };

  let sources;
  try {
    sources = readRuleSources(options.rulesDir);
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    for (const problem of error.problems) out.error(formatProblem(problem));
    out.error(`✗ ${error.code}: rule files refused (${plural(error.problems.length, 'error')})`);
    return 1;
  }
  const cases = loadRuleCaseFiles(options.rulesDir).map((c) => ({ memorandum: c.memorandum, events: c.cases.map((rc) => rc.event) }));
  const { ruleSet, refusal, errors, warnings } = await checkRuleSources(
    { ...sources, memoranda: [...sources.memoranda.filter((f) => !draftNames.has(basename(f.file))), ...draftMemoranda], instruments: draftCatalogue ?? sources.instruments },
    cases,
    { knownDepartments: new Set(departments.map((d) => d.code)), today: options.today, changed: draftNames },
  );
  for (const problem of [...errors, ...warnings]) out.error(formatProblem(problem));
  if (!ruleSet) {
    out.error(`✗ ${refusal}: rule files refused (${plural(errors.length, 'error')})`);
    return 1;
  }
  if (warnings.length > 0) out.error(`⚠ ${plural(warnings.length, 'warning')} (accepted)`);
  const measures = ruleSet.memoranda.reduce((n, m) => n + m.measures.length, 0);
  const rules = ruleSet.memoranda.reduce((n, m) => n + m.rules.length, 0);
  out.log(`✓ ${ruleSet.memoranda.length} memoranda, ${rules} rules, ${measures} measures valid against ${ruleSet.instruments.instruments.length} catalogued instruments (revision ${ruleSet.revision})`);

  const outcomes = await runAllRuleCases(options.rulesDir, ruleSet, new JsonRulesEngineEvaluator(ruleSet));
  for (const outcome of outcomes.filter((o) => !o.passed)) {
    out.error(`✗ ${outcome.file}: ${outcome.note}`);
    if (outcome.error) out.error(`    error: ${outcome.error}`);
    for (const m of outcome.missing) out.error(`    missing:    ${m}`);
    for (const u of outcome.unexpected) out.error(`    unexpected: ${u}`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  out.log(`${failed === 0 ? '✓' : '✗'} rule cases: ${outcomes.length - failed} passed, ${failed} failed`);
  const classes = await checkClasses(options.rulesDir, ruleSet, new Set(departments.map((d) => d.code)), out);
  return failed === 0 && classes ? 0 : 1;
}

/** Credit class models (rules/classes): the same one-line problems, then their cases and what no case shows. True when all is well. */
async function checkClasses(rulesDir: string, ruleSet: RuleSet, knownDepartments: ReadonlySet<string>, out: CheckOutput): Promise<boolean> {
  const sources = readClassModelSources(rulesDir);
  if (sources.models.length === 0) return true;
  const { models, problems } = checkClassModels(sources, { knownDepartments, instruments: ruleSet.instruments });
  for (const problem of problems) out.error(formatProblem(problem));
  if (problems.length > 0) {
    out.error(`✗ RULES.INVALID_FILE: credit class models refused (${plural(problems.length, 'error')})`);
    return false;
  }
  const { outcomes, warnings } = await runClassCases(rulesDir, models);
  for (const warning of warnings) out.error(formatProblem(warning));
  if (warnings.length > 0) out.error(`⚠ ${plural(warnings.length, 'warning')} on credit class models (accepted)`);
  const rules = models.reduce((n, m) => n + m.rules.length, 0);
  out.log(`✓ ${plural(models.length, 'credit class model')}, ${plural(rules, 'rule')} valid (${models.map((m) => `${m.id} ${m.version} ${m.revision}`).join('; ')})`);
  for (const outcome of outcomes.filter((o) => !o.passed)) {
    out.error(`✗ ${outcome.file}: ${outcome.note}`);
    if (outcome.error) out.error(`    error: ${outcome.error}`);
    else out.error(`    gave class ${outcome.actual!.class} by ${outcome.actual!.rule === null ? 'no rule (otherwise)' : `rule "${outcome.actual!.rule}"`}`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  out.log(`${failed === 0 ? '✓' : '✗'} credit class cases: ${outcomes.length - failed} passed, ${failed} failed`);
  return failed === 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function expand(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const catalogue = join(path, INSTRUMENTS_FILE);
  return [...listRuleFiles(path), ...(existsSync(catalogue) ? [catalogue] : [])];
}
