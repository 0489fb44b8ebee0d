import { parseInstant } from '@app/domain';
import { isMemorandumFileName, RuleFile, WhatIfError } from '@app/rules';

/** The release a run names to simulate the rule set the engine runs now. */
export const IN_FORCE_RELEASE = 'in-force';

/** A draft: the memorandum files of the whole set (as in rules/), and the instrument catalogue if it changes too. */
export interface DraftRuleFiles {
  memoranda: RuleFile[];
  /** instruments.json's content; the catalogue in force when absent. */
  instruments?: string;
}

/**
 * The rules a run simulates: a whole draft set (automation), one memorandum file edited in place
 * of its file in the rule set in force (the console's editor; the release in force, or rules/ before any), the rule set in force, or a stored release by
 * version (drafts included).
 */
export type WhatIfRules =
  | { kind: 'draft'; draft: DraftRuleFiles }
  | { kind: 'edited-file'; file: RuleFile }
  | { kind: 'in-force' }
  | { kind: 'release'; version: number };

/** What a run simulates, over the events received in [from, to). */
export interface WhatIfRequest {
  rules: WhatIfRules;
  period: { from: Date; to: Date };
}

/** The longest period one run covers: a year of history keeps a run to minutes at the measured rate. */
export const MAX_PERIOD_DAYS = 366;
export const MAX_DRAFT_FILES = 200;
/** A whole rule set is about 200 KB today; room for ten times that. */
export const WHAT_IF_MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The query API's body: `period` and either `draft` (the whole set of memorandum files) or
 * `release` ("in-force" or a stored release's version). WHAT_IF.INVALID_REQUEST / BAD_PERIOD /
 * UNKNOWN_RELEASE name what is wrong.
 */
export function parseWhatIfRequest(body: unknown): WhatIfRequest {
  const { period, draft, release } = parseEither(body, '"draft" (the rule files)');
  if (release !== undefined) return { rules: release === IN_FORCE_RELEASE ? { kind: 'in-force' } : { kind: 'release', version: releaseVersion(release, true) }, period };
  return { rules: { kind: 'draft', draft: parseDraft(draft) }, period };
}

/**
 * The console's body: `period` and either `draft: { file, content }` (one memorandum file in place
 * of its file in the rule set in force, as the draft editor holds it) or `release: <version>`.
 */
export function parseEditedFileWhatIfRequest(body: unknown): WhatIfRequest {
  const { period, draft, release } = parseEither(body, '"draft" ({ "file", "content" })');
  if (release !== undefined) return { rules: { kind: 'release', version: releaseVersion(release, false) }, period };
  if (!isObject(draft) || typeof draft.file !== 'string' || typeof draft.content !== 'string') throw invalid('"draft" must be { "file": string, "content": string }');
  if (draft.content.length > MAX_FILE_CHARS) throw invalid(`"draft.content" holds at most ${MAX_FILE_CHARS} characters`);
  return { rules: { kind: 'edited-file', file: { file: memorandumFileName(draft.file, '"draft.file"'), content: draft.content } }, period };
}

/** One memorandum file is a few kilobytes; this bounds what one request makes the server parse. */
export const MAX_FILE_CHARS = 256 * 1024;

function parseEither(body: unknown, draftShape: string): { period: { from: Date; to: Date }; draft?: unknown; release?: unknown } {
  if (!isObject(body)) throw invalid(`the body must be a JSON object with "period" and either ${draftShape} or "release"`);
  const period = parsePeriod(body.period);
  if ((body.draft === undefined) === (body.release === undefined)) throw invalid(`give either ${draftShape} or "release", not both or neither`);
  return { period, draft: body.draft, release: body.release };
}

/** A stored release's version (a positive integer, or its digits); "in-force" too where the caller may name it. */
function releaseVersion(release: unknown, inForceAllowed: boolean): number {
  const text = typeof release === 'number' || typeof release === 'string' ? String(release) : '';
  if (!/^[1-9]\d{0,8}$/.test(text)) {
    const named = inForceAllowed ? `"${IN_FORCE_RELEASE}" (the rule set the engine runs) or a release version` : 'a release version';
    throw new WhatIfError('WHAT_IF.UNKNOWN_RELEASE', `release "${String(release).slice(0, 20)}" is unknown: name ${named}, a positive integer`);
  }
  return Number(text);
}

function memorandumFileName(file: string, name: string): string {
  if (!isMemorandumFileName(file)) throw invalid(`${name} must be a memorandum file name such as "judgment-debtors.json"`);
  return file;
}

function parseDraft(draft: unknown): DraftRuleFiles {
  if (!isObject(draft) || !Array.isArray(draft.memoranda)) throw invalid('"draft.memoranda" must be an array of { "file", "content" }');
  if (draft.memoranda.length === 0 || draft.memoranda.length > MAX_DRAFT_FILES) throw invalid(`"draft.memoranda" must hold 1 to ${MAX_DRAFT_FILES} files`);
  const memoranda = draft.memoranda.map((file: unknown, i: number) => {
    if (!isObject(file) || typeof file.file !== 'string' || typeof file.content !== 'string') throw invalid(`"draft.memoranda[${i}]" must be { "file": string, "content": string }`);
    return { file: memorandumFileName(file.file, `"draft.memoranda[${i}].file"`), content: file.content };
  });
  const names = memoranda.map((m) => m.file);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw invalid(`"${repeated}" is given twice in "draft.memoranda"`);
  if (draft.instruments !== undefined && typeof draft.instruments !== 'string') throw invalid('"draft.instruments" must be the content of instruments.json, as a string');
  return { memoranda, ...(draft.instruments === undefined ? {} : { instruments: draft.instruments }) };
}

function parsePeriod(period: unknown): { from: Date; to: Date } {
  if (!isObject(period)) throw new WhatIfError('WHAT_IF.BAD_PERIOD', '"period" must be { "from": instant, "to": instant } (RFC 3339, "to" excluded)');
  const from = instant(period.from, 'from');
  const to = instant(period.to, 'to');
  if (to.getTime() <= from.getTime()) throw new WhatIfError('WHAT_IF.BAD_PERIOD', '"period.to" must be after "period.from"');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw new WhatIfError('WHAT_IF.BAD_PERIOD', `a run covers at most ${MAX_PERIOD_DAYS} days`);
  return { from, to };
}

function instant(value: unknown, name: string): Date {
  const parsed = parseInstant(value);
  if (!parsed) throw new WhatIfError('WHAT_IF.BAD_PERIOD', `"period.${name}" must be an RFC 3339 instant with its offset, such as "2026-12-01T00:00:00+08:00"`);
  return parsed;
}

function invalid(message: string): WhatIfError {
  return new WhatIfError('WHAT_IF.INVALID_REQUEST', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
