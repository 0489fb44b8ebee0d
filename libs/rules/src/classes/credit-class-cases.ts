import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSubjectKind } from '@app/domain';
import { didYouMean, meant } from '../loader/lint/did-you-mean';
import type { RuleProblem } from '../loader/rule-set.errors';
import { CLASS_MODELS_DIR } from './credit-class-model-loader';
import { CLASS_FACTS, CreditClassFacts, CreditClassModel, noStanding } from './credit-class-model';
import { CreditClassEvaluator } from './credit-class.evaluator';

/**
 * Rule cases of a class model (rules/classes/<id>.cases.json), readable by policy staff: a
 * subject's standing (only the facts that differ from "nothing in force") and the class, and
 * the rule that gives it, the model must assign.
 */
export interface CreditClassCase {
  note: string;
  facts: Partial<CreditClassFacts>;
  expect: { class: string; rule?: string | null };
}

export interface CreditClassCaseFile {
  file: string;
  model: string;
  cases: CreditClassCase[];
}

export interface CreditClassCaseOutcome {
  file: string;
  note: string;
  passed: boolean;
  /** What the model gave: its class and the rule (null: otherwise). */
  actual?: { class: string; rule: string | null };
  error?: string;
}

export function loadClassCaseFiles(rulesDir: string): CreditClassCaseFile[] {
  const dir = join(rulesDir, CLASS_MODELS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cases.json'))
    .sort()
    .map((name) => {
      const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { model: string; cases: CreditClassCase[] };
      return { file: `${CLASS_MODELS_DIR}/${name}`, model: parsed.model, cases: parsed.cases };
    });
}

/** The standing a case describes: nothing in force (an enterprise) but the facts it names, each checked to be a class fact. */
export function caseFacts(facts: Partial<CreditClassFacts>): CreditClassFacts {
  for (const name of Object.keys(facts)) {
    if (!(CLASS_FACTS as readonly string[]).includes(name)) throw new Error(`unknown fact "${name}"${meant(didYouMean(name, CLASS_FACTS))}`);
  }
  const kind = facts.subjectKind ?? 'enterprise';
  if (!isSubjectKind(kind)) throw new Error(`unknown subject kind "${String(kind)}"`);
  return { ...noStanding(kind), ...facts };
}

export async function runClassCase(file: CreditClassCaseFile, ruleCase: CreditClassCase, evaluator: CreditClassEvaluator): Promise<CreditClassCaseOutcome> {
  const outcome = { file: file.file, note: ruleCase.note };
  try {
    const assignment = await evaluator.evaluate(caseFacts(ruleCase.facts));
    const actual = { class: assignment.class, rule: assignment.rule?.name ?? null };
    const ruleAgrees = ruleCase.expect.rule === undefined || ruleCase.expect.rule === actual.rule;
    return { ...outcome, passed: actual.class === ruleCase.expect.class && ruleAgrees, actual };
  } catch (error) {
    return { ...outcome, passed: false, error: (error as Error).message };
  }
}

/** Every case of every model, and warnings for what no case shows: a model without cases, a rule no case reaches, the otherwise class. */
export async function runClassCases(rulesDir: string, models: readonly CreditClassModel[]): Promise<{ outcomes: CreditClassCaseOutcome[]; warnings: RuleProblem[] }> {
  const files = loadClassCaseFiles(rulesDir);
  const outcomes: CreditClassCaseOutcome[] = [];
  const warnings: RuleProblem[] = [];
  for (const file of files.filter((f) => !models.some((m) => m.id === f.model))) {
    warnings.push({ severity: 'warning', file: file.file, path: '$.model', code: 'RULES.NO_CASES', value: file.model, message: `cases of model "${file.model}", which is not a class model of rules/classes` });
  }
  for (const model of models) {
    const evaluator = new CreditClassEvaluator(model);
    const mine = files.filter((f) => f.model === model.id);
    const reached = new Set<string | null>();
    for (const file of mine) {
      for (const ruleCase of file.cases) {
        const outcome = await runClassCase(file, ruleCase, evaluator);
        if (outcome.passed) reached.add(outcome.actual!.rule);
        outcomes.push(outcome);
      }
    }
    const file = `${CLASS_MODELS_DIR}/${model.id}.json`;
    if (mine.length === 0) {
      warnings.push({ severity: 'warning', file, path: '$', code: 'RULES.NO_CASES', message: `model "${model.id}" has no rule cases: add ${CLASS_MODELS_DIR}/${model.id}.cases.json` });
      continue;
    }
    model.rules.forEach((rule, i) => {
      if (!reached.has(rule.name)) warnings.push({ severity: 'warning', file, path: `$.rules[${i}]`, code: 'RULES.NO_CASES', value: rule.name, message: `no passing case is classified by rule "${rule.name}": add one showing the standing it gives class ${rule.class}` });
    });
    if (!reached.has(null)) warnings.push({ severity: 'warning', file, path: '$.otherwiseClass', code: 'RULES.NO_CASES', message: `no passing case shows a subject that no rule matches (class ${model.otherwiseClass})` });
  }
  return { outcomes, warnings };
}
