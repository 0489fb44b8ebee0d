import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCreditEvent } from '@app/domain';
import { decideCreditEvent } from './planning/credit-event-evaluation';
import { RuleEvaluator } from './evaluation/rule-match';
import { RuleSet } from './loader/rule-set';

/**
 * Data-driven rule cases kept next to each memorandum (rules/<id>.cases.json), readable
 * by policy staff: an event and the exact list entries and measures the memorandum gives it.
 */
export interface RuleCase {
  note: string;
  event: unknown;
  expect: {
    listEntries: { list: string; subjectId: string }[];
    measures: { code: string; targetId: string }[];
  };
}

export interface RuleCaseFile {
  file: string;
  memorandum: string;
  cases: RuleCase[];
}

export interface RuleCaseOutcome {
  file: string;
  note: string;
  passed: boolean;
  missing: string[];
  unexpected: string[];
  error?: string;
}

export function loadRuleCaseFiles(rulesDir: string): RuleCaseFile[] {
  return readdirSync(rulesDir)
    .filter((name) => name.endsWith('.cases.json'))
    .sort()
    .map((name) => {
      const parsed = JSON.parse(readFileSync(join(rulesDir, name), 'utf8')) as { memorandum: string; cases: RuleCase[] };
      return { file: name, memorandum: parsed.memorandum, cases: parsed.cases };
    });
}

export async function runRuleCase(file: RuleCaseFile, ruleCase: RuleCase, ruleSet: RuleSet, evaluator: RuleEvaluator): Promise<RuleCaseOutcome> {
  const outcome = { file: file.file, note: ruleCase.note };
  try {
    const decisions = (await decideCreditEvent(parseCreditEvent(ruleCase.event), ruleSet, evaluator)).filter((d) => d.memorandumId === file.memorandum);
    const actual = [
      ...decisions.flatMap((d) => d.listEntries.map((e) => `list ${e.listCode} ← ${e.subject.id}`)),
      ...decisions.flatMap((d) => d.measureTasks.map((t) => `measure ${t.measureCode} → ${t.target.id}`)),
    ];
    const expected = [
      ...ruleCase.expect.listEntries.map((e) => `list ${e.list} ← ${e.subjectId}`),
      ...ruleCase.expect.measures.map((m) => `measure ${m.code} → ${m.targetId}`),
    ];
    const missing = expected.filter((x) => !actual.includes(x));
    const unexpected = actual.filter((x) => !expected.includes(x));
    return { ...outcome, passed: missing.length === 0 && unexpected.length === 0 && actual.length === new Set(actual).size, missing, unexpected };
  } catch (error) {
    return { ...outcome, passed: false, missing: [], unexpected: [], error: (error as Error).message };
  }
}

export async function runAllRuleCases(rulesDir: string, ruleSet: RuleSet, evaluator: RuleEvaluator): Promise<RuleCaseOutcome[]> {
  const outcomes: RuleCaseOutcome[] = [];
  for (const file of loadRuleCaseFiles(rulesDir)) {
    for (const ruleCase of file.cases) outcomes.push(await runRuleCase(file, ruleCase, ruleSet, evaluator));
  }
  return outcomes;
}
