import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdentifierType, maskIdentifier, parseCreditEvent } from '@app/domain';
import { decideCreditEvent } from './planning/credit-event-evaluation';
import { RuleEvaluator } from './evaluation/rule-match';
import { RuleSet } from './loader/rule-set';
import { isRuleCaseFileName, ruleCaseFileName } from './loader/rule-set-loader';
import type { RuleContent } from './loader/rule-content';

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

/** One list entry or measure of a rule case: one the engine gave, or one the case expects. */
export interface RuleCaseEntry {
  kind: 'list' | 'measure';
  /** The list's code or the measure's. */
  code: string;
  /** `idType` as the event names this identifier; absent when the event does not name it (a typo in the case, say). */
  subject: { idType?: IdentifierType; id: string };
}

export interface RuleCaseOutcome {
  file: string;
  note: string;
  passed: boolean;
  /** Expected and not given, and given and not expected: structured, for a page to mask each identifier by its type before it formats it. */
  missingEntries: RuleCaseEntry[];
  unexpectedEntries: RuleCaseEntry[];
  /** The same, formatted with identifiers as the case files write them, for the rules' own tools (rules:check, the release check). */
  missing: string[];
  unexpected: string[];
  error?: string;
}

/** `list <code> ← <id>` or `measure <code> → <id>`; `showId` lets a page mask the identifier first. */
export function formatRuleCaseEntry(entry: RuleCaseEntry, showId: (subject: RuleCaseEntry['subject']) => string = (subject) => subject.id): string {
  return entry.kind === 'list' ? `list ${entry.code} ← ${showId(entry.subject)}` : `measure ${entry.code} → ${showId(entry.subject)}`;
}

/** A rule cases' file from its text (rules/, a release's content, a draft); a text that is not one throws a message naming the file. */
export function parseRuleCaseFile(file: string, text: string): RuleCaseFile {
  let parsed: { memorandum?: unknown; cases?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.memorandum !== 'string' || !Array.isArray(parsed.cases)) {
    throw new Error(`${file} must be { "memorandum": "<id>", "cases": [{ note, event, expect }, …] }`);
  }
  // A cases file checks the memorandum it is named after: one naming another would leave its own memorandum checked by nothing.
  const named = file.replace(/^.*\//, '').replace(/\.cases\.json$/, '');
  if (parsed.memorandum !== named) throw new Error(`${file} must name its memorandum: "memorandum": "${named}"`);
  if (parsed.cases.length === 0) throw new Error(`${file} holds no case: a memorandum's cases show what it decides, at least one { note, event, expect }`);
  parsed.cases.forEach((ruleCase, index) => {
    const why = caseShapeProblem(ruleCase);
    if (why) throw new Error(`${file} cases[${index}] ${why}`);
  });
  return { file, memorandum: parsed.memorandum, cases: parsed.cases as RuleCase[] };
}

/** What is wrong with a case's shape, if anything: a note, an event object and the expected list entries and measures. */
function caseShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be { note, event, expect }';
  const { note, event, expect } = value as { note?: unknown; event?: unknown; expect?: unknown };
  if (typeof note !== 'string' || note.trim() === '') return 'needs a "note" saying what it shows';
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'needs an "event" object';
  if (typeof expect !== 'object' || expect === null) return 'needs "expect": { listEntries: [...], measures: [...] }';
  const { listEntries, measures } = expect as { listEntries?: unknown; measures?: unknown };
  if (!Array.isArray(listEntries) || !listEntries.every((e) => typeof e === 'object' && e !== null && typeof (e as { list?: unknown }).list === 'string' && typeof (e as { subjectId?: unknown }).subjectId === 'string')) {
    return 'needs "expect.listEntries": [{ "list": "<code>", "subjectId": "<id>" }, …] (empty for none)';
  }
  if (!Array.isArray(measures) || !measures.every((m) => typeof m === 'object' && m !== null && typeof (m as { code?: unknown }).code === 'string' && typeof (m as { targetId?: unknown }).targetId === 'string')) {
    return 'needs "expect.measures": [{ "code": "<measure>", "targetId": "<id>" }, …] (empty for none)';
  }
  return undefined;
}

export function loadRuleCaseFiles(rulesDir: string): RuleCaseFile[] {
  return readdirSync(rulesDir)
    .filter(isRuleCaseFileName)
    .sort()
    .map((name) => parseRuleCaseFile(name, readFileSync(join(rulesDir, name), 'utf8')));
}

export async function runRuleCase(file: RuleCaseFile, ruleCase: RuleCase, ruleSet: RuleSet, evaluator: RuleEvaluator): Promise<RuleCaseOutcome> {
  const outcome = { file: file.file, note: ruleCase.note };
  try {
    const event = parseCreditEvent(ruleCase.event);
    const decisions = (await decideCreditEvent(event, ruleSet, evaluator)).filter((d) => d.memorandumId === file.memorandum);
    const idTypes = new Map<string, IdentifierType>([event.data.subject, ...(event.data.relatedPersons ?? [])].map((s) => [s.id, s.idType]));
    const actual: RuleCaseEntry[] = [
      ...decisions.flatMap((d) => d.listEntries.map((e): RuleCaseEntry => ({ kind: 'list', code: e.listCode, subject: { idType: e.subject.idType, id: e.subject.id } }))),
      ...decisions.flatMap((d) => d.measureTasks.map((t): RuleCaseEntry => ({ kind: 'measure', code: t.measureCode, subject: { idType: t.target.idType, id: t.target.id } }))),
    ];
    const expected: RuleCaseEntry[] = [
      ...ruleCase.expect.listEntries.map((e): RuleCaseEntry => ({ kind: 'list', code: e.list, subject: { idType: idTypes.get(e.subjectId), id: e.subjectId } })),
      ...ruleCase.expect.measures.map((m): RuleCaseEntry => ({ kind: 'measure', code: m.code, subject: { idType: idTypes.get(m.targetId), id: m.targetId } })),
    ];
    const actualKeys = actual.map((e) => formatRuleCaseEntry(e));
    const expectedKeys = new Set(expected.map((e) => formatRuleCaseEntry(e)));
    const missingEntries = expected.filter((e) => !actualKeys.includes(formatRuleCaseEntry(e)));
    const unexpectedEntries = actual.filter((e) => !expectedKeys.has(formatRuleCaseEntry(e)));
    return {
      ...outcome,
      passed: missingEntries.length === 0 && unexpectedEntries.length === 0 && actual.length === new Set(actualKeys).size,
      missingEntries,
      unexpectedEntries,
      missing: missingEntries.map((e) => formatRuleCaseEntry(e)),
      unexpected: unexpectedEntries.map((e) => formatRuleCaseEntry(e)),
    };
  } catch (error) {
    return { ...outcome, passed: false, missingEntries: [], unexpectedEntries: [], missing: [], unexpected: [], error: (error as Error).message };
  }
}

export async function runAllRuleCases(rulesDir: string, ruleSet: RuleSet, evaluator: RuleEvaluator): Promise<RuleCaseOutcome[]> {
  const outcomes: RuleCaseOutcome[] = [];
  for (const file of loadRuleCaseFiles(rulesDir)) {
    for (const ruleCase of file.cases) outcomes.push(await runRuleCase(file, ruleCase, ruleSet, evaluator));
  }
  return outcomes;
}

/** The rule cases a content's memorandum is checked by: its own when it carries them, else those in `rulesDir`. */
export function ruleCaseFilesOf(content: RuleContent, rulesDir: string): RuleCaseFile[] {
  const names = Object.keys(content.memoranda)
    .sort()
    .map((file) => ruleCaseFileName(file.replace(/\.json$/, '')));
  // rules/ is read only for the memoranda whose cases the content does not carry (none, when it came from rules/ itself).
  const inRules = names.some((name) => content.cases?.[name] === undefined) ? new Map(loadRuleCaseFiles(rulesDir).map((f) => [f.file, f])) : new Map<string, RuleCaseFile>();
  return names.flatMap((name) => {
    const text = content.cases?.[name];
    if (text !== undefined) return [parseRuleCaseFile(name, text)];
    const kept = inRules.get(name);
    return kept ? [kept] : [];
  });
}

/** In an error's free text, the one place without structure: a resident ID's shape, or any other run of six digits or more (a birth date, part of an ID). */
const IDENTIFIER_IN_TEXT = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|\d{6,}/g;

/**
 * A case's outcome as anything outside the rules' own tools shows it (a page, an API's refusal):
 * each identifier masked by its type (a resident ID keeps its first 6 and last 4 characters).
 */
export function maskedRuleCaseOutcome(outcome: RuleCaseOutcome): { missing: string[]; unexpected: string[]; error?: string } {
  const show = (entry: RuleCaseEntry) => formatRuleCaseEntry(entry, (subject) => maskIdentifier(subject.idType ?? 'RESIDENT_ID', subject.id));
  const error = outcome.error?.replace(IDENTIFIER_IN_TEXT, (match) => (match.length === 18 ? maskIdentifier('RESIDENT_ID', match) : '*'.repeat(match.length)));
  return { missing: outcome.missingEntries.map(show), unexpected: outcome.unexpectedEntries.map(show), ...(error ? { error } : {}) };
}
