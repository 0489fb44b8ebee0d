import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadAppConfig } from '@app/config';
import { Department } from '@app/domain';
import { buildRuleSet, formatProblem, JsonRulesEngineEvaluator, listRuleFiles, MEMORANDUM_SCHEMA_FILE, RuleSetError, runAllRuleCases } from '@app/rules';

/**
 * `npm run rules:check [-- file.json…]`: what the engine does when it loads rules/, for
 * policy staff before they commit: schema, legality, cross-file consistency, then every
 * rule case. Files given on the command line are checked in place of their namesakes in
 * rules/, so a draft is judged together with the memoranda it will run beside.
 */
async function check(drafts: string[]): Promise<number> {
  const config = loadAppConfig();
  const rulesDir = config.RULES_DIR;
  const draftNames = new Set(drafts.map((d) => basename(d)));
  const paths = [...listRuleFiles(rulesDir).filter((f) => !draftNames.has(basename(f))), ...drafts.flatMap(expand)];
  const files = paths.map((file) => ({ file, content: readFileSync(file, 'utf8') }));
  const schema = JSON.parse(readFileSync(join(rulesDir, MEMORANDUM_SCHEMA_FILE), 'utf8')) as object;
  const { departments } = JSON.parse(readFileSync(config.DEPARTMENTS_FILE, 'utf8')) as { departments: Department[] };
  let ruleSet;
  try {
    ruleSet = buildRuleSet(files, schema, { knownDepartments: new Set(departments.map((d) => d.code)) });
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    console.error(`✗ ${error.code}: rule files refused`);
    for (const problem of error.problems) console.error(`  ${formatProblem(problem)}`);
    return 1;
  }
  const measures = ruleSet.memoranda.reduce((n, m) => n + m.measures.length, 0);
  const rules = ruleSet.memoranda.reduce((n, m) => n + m.rules.length, 0);
  console.log(`✓ ${ruleSet.memoranda.length} memoranda, ${rules} rules, ${measures} measures valid (revision ${ruleSet.revision})`);

  const outcomes = await runAllRuleCases(rulesDir, ruleSet, new JsonRulesEngineEvaluator(ruleSet));
  for (const outcome of outcomes.filter((o) => !o.passed)) {
    console.error(`✗ ${outcome.file}: ${outcome.note}`);
    if (outcome.error) console.error(`    error: ${outcome.error}`);
    for (const m of outcome.missing) console.error(`    missing:    ${m}`);
    for (const u of outcome.unexpected) console.error(`    unexpected: ${u}`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  console.log(`${failed === 0 ? '✓' : '✗'} rule cases: ${outcomes.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function expand(path: string): string[] {
  return statSync(path).isDirectory() ? listRuleFiles(path) : [path];
}

async function main(): Promise<void> {
  const [command = 'check', ...paths] = process.argv.slice(2);
  if (command === 'asyncapi') {
    // Loaded on demand: its schema generator is a development dependency, absent from production images.
    const { writeAsyncApiDocument } = require('./asyncapi') as typeof import('./asyncapi');
    writeAsyncApiDocument(paths[0], { departmentsFile: loadAppConfig().DEPARTMENTS_FILE });
    return;
  }
  if (command !== 'check') {
    console.error('usage: rules-cli check [memorandum.json…] | rules-cli asyncapi [out-file.json]');
    process.exit(2);
  }
  process.exit(await check(paths));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
