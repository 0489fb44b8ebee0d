import { parseInstant } from '@app/domain';
import { isMemorandumFileName, isRuleCaseFileName, ReleaseError, RuleContent } from '@app/rules';

/** What a draft is made of: the rule content (each file as text, or as the JSON it holds), its author and notes. */
export interface DraftRequest {
  content: RuleContent;
  author: string;
  notes: string;
}

export interface ApprovalRequest {
  approver: string;
  effectiveAt: Date;
}

export interface RollbackRequest {
  actor: string;
  notes: string;
  effectiveAt?: Date;
}

/**
 * The person's name until console users sign in: taken from the request body (the seam the
 * console's sessions replace), trimmed, at most 100 characters.
 */
const CONTROL = /[\u0000-\u001f\u007f]/;

function person(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  // Control characters: a name never has one, and PostgreSQL refuses NUL in text.
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > 100 || CONTROL.test(value)) invalid(`"${field}" must be a name of 1 to 100 printable characters`);
  return value.trim();
}

function notesOf(body: Record<string, unknown>): string {
  const notes = body.notes ?? '';
  if (typeof notes !== 'string' || notes.length > 10_000 || notes.includes('\u0000')) invalid('"notes" must be a text of at most 10,000 characters, without NUL');
  return notes;
}

function instantOf(value: unknown, field: string): Date {
  const instant = parseInstant(value);
  if (!instant) invalid(`"${field}" must be an ISO 8601 date-time with its offset, e.g. 2026-12-01T08:00:00+08:00`);
  return instant;
}

function objectOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A file as the release keeps it: its text, or the JSON value given serialised as the repository's files are. */
function fileText(value: unknown, name: string): string {
  const text = typeof value === 'string' ? value : typeof value === 'object' && value !== null ? `${JSON.stringify(value, null, 2)}\n` : undefined;
  // PostgreSQL refuses NUL in text and jsonb (JSON.stringify writes it as \u0000, which jsonb refuses too).
  if (text !== undefined && !text.includes('\u0000') && !text.includes('\\u0000')) return text;
  if (text !== undefined) return invalid(`content file "${name}" must not hold NUL`);
  return invalid(`content file "${name}" must be its text or its JSON object`);
}

export function parseRuleContent(value: unknown): RuleContent {
  const content = objectOf(value);
  const memoranda = content.memoranda;
  if (typeof memoranda !== 'object' || memoranda === null || Array.isArray(memoranda)) invalid('"content.memoranda" must map each memorandum file name to its content');
  const files: Record<string, string> = {};
  for (const [name, file] of Object.entries(memoranda as Record<string, unknown>)) {
    if (!isMemorandumFileName(name)) invalid(`"${name}" is not a memorandum file name (<id>.json)`);
    files[name] = fileText(file, name);
  }
  const cases: Record<string, string> = {};
  if (content.cases !== undefined) {
    if (typeof content.cases !== 'object' || content.cases === null || Array.isArray(content.cases)) invalid('"content.cases" must map each memorandum\'s rule-case file name to its content');
    for (const [name, file] of Object.entries(content.cases as Record<string, unknown>)) {
      if (!isRuleCaseFileName(name) || files[name.replace(/\.cases\.json$/, '.json')] === undefined) invalid(`"${name}" is not the rule-case file of a memorandum of this content (<id>.cases.json)`);
      cases[name] = fileText(file, name);
    }
  }
  return { memoranda: files, instruments: fileText(content.instruments, 'instruments.json'), ...(Object.keys(cases).length > 0 ? { cases } : {}) };
}

export function parseDraftRequest(body: unknown): DraftRequest {
  const fields = objectOf(body);
  return { content: parseRuleContent(fields.content), author: person(fields, 'author'), notes: notesOf(fields) };
}

export function parseApprovalRequest(body: unknown): ApprovalRequest {
  const fields = objectOf(body);
  return { approver: person(fields, 'approver'), effectiveAt: instantOf(fields.effectiveAt, 'effectiveAt') };
}

export function parseRollbackRequest(body: unknown): RollbackRequest {
  const fields = objectOf(body);
  return { actor: person(fields, 'actor'), notes: notesOf(fields), effectiveAt: fields.effectiveAt === undefined ? undefined : instantOf(fields.effectiveAt, 'effectiveAt') };
}

const VERSION = /^[1-9]\d{0,8}$/;

/** A release version from a path or a command line: a positive integer (the text is not quoted back: a path can hold anything). */
export function parseVersion(value: unknown): number {
  const text = String(value);
  if (!VERSION.test(text)) invalid('a release version must be a positive integer');
  return Number(text);
}

/** What an audit row names for a version a caller gave: the version, or a placeholder for any other text. */
export function auditedVersion(value: unknown): string {
  return VERSION.test(String(value)) ? String(value) : '(not a version)';
}

function invalid(message: string): never {
  throw new ReleaseError('RELEASE.INVALID_REQUEST', message);
}
