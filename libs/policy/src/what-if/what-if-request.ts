import { RuleFile } from '@app/rules';
import { WhatIfError } from '@app/rules';

/** The one release a run can name until releases live in PostgreSQL: the rule set the engine runs now. */
export const IN_FORCE_RELEASE = 'in-force';

/** A draft: the memorandum files of the whole set (as in rules/), and the instrument catalogue if it changes too. */
export interface DraftRuleFiles {
  memoranda: RuleFile[];
  /** instruments.json's content; the catalogue in force when absent. */
  instruments?: string;
}

/** What a run simulates: a draft or a release, over the events received in [from, to). */
export interface WhatIfRequest {
  draft?: DraftRuleFiles;
  release?: typeof IN_FORCE_RELEASE;
  period: { from: Date; to: Date };
}

/** The longest period one run covers: a year of history keeps a run to minutes at the measured rate. */
export const MAX_PERIOD_DAYS = 366;
export const MAX_DRAFT_FILES = 200;
/** A whole rule set is about 200 KB today; room for ten times that. */
export const WHAT_IF_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A request body read into a WhatIfRequest, or WHAT_IF.INVALID_REQUEST / WHAT_IF.BAD_PERIOD / WHAT_IF.UNKNOWN_RELEASE naming what is wrong. */
export function parseWhatIfRequest(body: unknown): WhatIfRequest {
  if (!isObject(body)) throw invalid('the body must be a JSON object with "period" and either "draft" or "release"');
  const period = parsePeriod(body.period);
  if ((body.draft === undefined) === (body.release === undefined)) throw invalid('give either "draft" (the rule files) or "release", not both or neither');
  if (body.release !== undefined) {
    if (body.release !== IN_FORCE_RELEASE) throw new WhatIfError('WHAT_IF.UNKNOWN_RELEASE', `release "${String(body.release).slice(0, 80)}" is unknown: only "${IN_FORCE_RELEASE}" (the rule set the engine runs) can be named for now`);
    return { release: IN_FORCE_RELEASE, period };
  }
  return { draft: parseDraft(body.draft), period };
}

function parseDraft(draft: unknown): DraftRuleFiles {
  if (!isObject(draft) || !Array.isArray(draft.memoranda)) throw invalid('"draft.memoranda" must be an array of { "file", "content" }');
  if (draft.memoranda.length === 0 || draft.memoranda.length > MAX_DRAFT_FILES) throw invalid(`"draft.memoranda" must hold 1 to ${MAX_DRAFT_FILES} files`);
  const memoranda = draft.memoranda.map((file: unknown, i: number) => {
    if (!isObject(file) || typeof file.file !== 'string' || typeof file.content !== 'string') throw invalid(`"draft.memoranda[${i}]" must be { "file": string, "content": string }`);
    if (!/^[a-z0-9][a-z0-9-]*\.json$/.test(file.file) || file.file.endsWith('.cases.json')) throw invalid(`"draft.memoranda[${i}].file" must be a memorandum file name such as "judgment-debtors.json"`);
    return { file: file.file, content: file.content };
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
  const parsed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new WhatIfError('WHAT_IF.BAD_PERIOD', `"period.${name}" must be an RFC 3339 instant with its offset, such as "2026-12-01T00:00:00+08:00"`);
  return parsed;
}

function invalid(message: string): WhatIfError {
  return new WhatIfError('WHAT_IF.INVALID_REQUEST', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
