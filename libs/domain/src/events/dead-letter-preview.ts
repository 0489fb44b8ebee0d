import { maskIdentifier } from '../identifiers/identifier-masking';

/** Characters of a preview: enough to see what a refused message looked like, bounded for the table. */
export const DEAD_LETTER_PREVIEW_LIMIT = 1000;

/** CloudEvents attributes that name the event, never a person: shown as sent when they look like what they are. */
const ENVELOPE_ATTRIBUTES = new Set(['specversion', 'id', 'type', 'source', 'datacontenttype', 'dataschema', 'time']);
const PLAIN_ATTRIBUTE = /^[\x20-\x7e]{0,200}$/;
const SCHEMA_KEY = /^[A-Za-z_$][\w$-]{0,63}$/;
/** Six digits in a row may be most of a birth date or the start of a resident ID: never kept. */
const DIGIT_RUN = /\d{6}/;
/** A resident ID's shape, masked the domain's way; every other letter or digit becomes `*`. */
const MASKED_TEXT = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|[\p{L}\p{N}\p{M}]/gu;
const MAX_DEPTH = 32;

/**
 * What an operator may see of a refused message without decrypting it: its structure (JSON keys,
 * punctuation, the CloudEvents attributes that name the event), with every other letter and digit
 * masked. Free text such as a reason may name a person anywhere, so values are masked by character
 * class, not by guessing which fields hold names; identifiers keep the division and last four
 * characters, as in logs.
 */
export function maskedPreview(raw: string, limit = DEAD_LETTER_PREVIEW_LIMIT): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return truncate(maskText(raw), limit);
  }
  return truncate(JSON.stringify(maskValue(parsed, 0, undefined)), limit);
}

/** The event type a structured-mode message names, when it is a plain one (binary mode keeps it in headers). */
export function claimedEventType(raw: string): string | null {
  try {
    const parsed = JSON.parse(raw) as { type?: unknown } | null;
    const type = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed.type : undefined;
    return typeof type === 'string' && type.length > 0 && type.length <= 128 && PLAIN_ATTRIBUTE.test(type) && !DIGIT_RUN.test(type) ? type : null;
  } catch {
    return null;
  }
}

function maskText(text: string): string {
  return text.replace(MASKED_TEXT, (match) => (match.length === 18 ? maskIdentifier('RESIDENT_ID', match.toUpperCase()) : '*'));
}

/** `envelopeKey`: the key of a top-level attribute, the only place CloudEvents attributes are. */
function maskValue(value: unknown, depth: number, envelopeKey: string | undefined): unknown {
  if (typeof value === 'string') {
    const attribute = envelopeKey !== undefined && ENVELOPE_ATTRIBUTES.has(envelopeKey) && PLAIN_ATTRIBUTE.test(value) && !DIGIT_RUN.test(value);
    return attribute ? value : maskText(value);
  }
  if (typeof value === 'number') return DIGIT_RUN.test(String(value)) ? maskText(String(value)) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1, undefined));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [SCHEMA_KEY.test(key) && !DIGIT_RUN.test(key) ? key : maskText(key), maskValue(item, depth + 1, depth === 0 ? key : undefined)]),
  );
}

function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Never end on half a surrogate pair: PostgreSQL would refuse the text.
  const end = /[\ud800-\udbff]/.test(text[limit - 1]) ? limit - 1 : limit;
  return `${text.slice(0, end)}…`;
}
