import { CreditEvent } from '@app/domain';
import { ErrorCode } from '@app/http';
import { Prng } from '@app/rules/testing';

/**
 * Seeded mutations of valid credit events for the fuzz tests: what a careless or hostile
 * sender produces. A mutation gives either a JSON value (sent as JSON) or raw bytes, and
 * what the product must do with it.
 */
export type Mutated = ({ kind: MutationKind; value: unknown } | { kind: MutationKind; bytes: Buffer }) & { expected: Expectation };

/** What the product must answer to a mutated event, over HTTP (the status of the code) and Kafka (a dead letter with the code). */
export type Expectation =
  /** Still a valid event: accepted. */
  | { expect: 'accepted' }
  /** Invalid whatever the draw: refused, with one of `codes`. */
  | { expect: 'refused'; codes: readonly ErrorCode[] }
  /** Some draws leave a valid event (`why` says which): accepted, or refused with one of `codes`. */
  | { expect: 'either'; codes: readonly ErrorCode[]; why: string };

/**
 * The generator makes some events come from a stray publisher (an unregistered department, or
 * one not entitled to the type or list): refused for who sent it, whatever the mutation did to
 * the content. An unregistered department has no valid token over HTTP (401 before the body is
 * read) and is unknown to the engine on Kafka.
 */
export const PUBLISHER_REFUSALS: readonly ErrorCode[] = ['DEPARTMENT.NOT_AUTHENTICATED', 'DEPARTMENT.UNKNOWN', 'DEPARTMENT.SOURCE_MISMATCH', 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED', 'DEPARTMENT.LIST_NOT_ALLOWED'];

/** Whether an outcome (undefined: accepted; otherwise the refusal's code) is one the expectation allows. */
export function meets(expected: Expectation, refusal: string | undefined): boolean {
  if (refusal === undefined) return expected.expect !== 'refused';
  const codes: readonly string[] = expected.expect === 'accepted' ? PUBLISHER_REFUSALS : [...expected.codes, ...PUBLISHER_REFUSALS];
  return codes.includes(refusal);
}

/** What a batch must get: refused as soon as one event must be, accepted only when all must be. */
export function expectedOfBatch(events: readonly Expectation[]): Expectation {
  const codes = [...new Set(events.flatMap((e) => (e.expect === 'accepted' ? [] : e.codes)))];
  if (events.some((e) => e.expect === 'refused')) return { expect: 'refused', codes };
  if (events.every((e) => e.expect === 'accepted')) return { expect: 'accepted' };
  return { expect: 'either', codes, why: 'none of its events must be refused' };
}

type Json = Record<string, unknown> | unknown[];

const CONTROL = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'];
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\ude00\ud83d'];
const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const DEEP = '\u2603deep-placeholder\u2603';
const WRONG_DATES = ['2026-02-30', '2026-13-01', '26-11-20', '2026/11/20', '', 'yesterday', '2026-11-20T25:00:00Z', '0000-00-00', '２０２６-１１-２０', '2026-11-20T08:00:00+25:00'];
const ODD_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, -0.5, '', ' ', 'x', [], {}, [null], [[[]]], { a: 1 }, '1.0', 1.0, 'null'];

/** A changed value in the envelope or the data: refused by the schema, the CloudEvents checks or the subject's. */
const CONTENT_CODES: readonly ErrorCode[] = [
  'EVENT.SCHEMA_VIOLATION',
  'EVENT.NOT_CLOUDEVENT',
  'EVENT.UNKNOWN_TYPE',
  'EVENT.SUBJECT_MISMATCH',
  'SUBJECT.BAD_LENGTH',
  'SUBJECT.BAD_CHARACTER',
  'SUBJECT.BAD_CHECK_DIGIT',
  'SUBJECT.BAD_DIVISION',
  'SUBJECT.BAD_BIRTH_DATE',
  'SUBJECT.UNKNOWN_ID_TYPE',
  'SUBJECT.ID_TYPE_MISMATCH',
];

/** Not JSON at all, or not a JSON object. */
const NOT_JSON_CODES: readonly ErrorCode[] = ['EVENT.MALFORMED_JSON', 'EVENT.NOT_CLOUDEVENT', 'EVENT.BAD_CHARACTER'];

/**
 * The mutations: a weight (most produce refusals, a few keep the event valid) and what must
 * come of them. A 64 KB body is refused at the HTTP edge before it is parsed (REQUEST.TOO_LARGE),
 * a 64 KB event by the engine (EVENT.TOO_LARGE).
 */
const MUTATIONS = {
  valid: { weight: 8, expected: { expect: 'accepted' } },
  delete: {
    weight: 12,
    expected: {
      expect: 'either',
      // Without memberSince, a sanction of an association keeping no member list no longer says the subject is a member.
      codes: [...CONTENT_CODES, 'SUBJECT.NOT_A_MEMBER'],
      why: 'an optional attribute or field (dataschema, validTo, an optional part of the subject) may be the one deleted',
    },
  },
  'type-swap': { weight: 12, expected: { expect: 'either', codes: CONTENT_CODES, why: 'a value may be swapped for one of a type its field takes (1.0 for 1, a short text for a free text)' } },
  'huge-string': { weight: 3, expected: { expect: 'refused', codes: ['REQUEST.TOO_LARGE', 'EVENT.TOO_LARGE'] } },
  'long-string': { weight: 4, expected: { expect: 'either', codes: ['EVENT.TOO_LARGE', ...CONTENT_CODES], why: '200 more characters still fit a free text of up to 1,000 (an objection\'s reason)' } },
  // Nine levels inside an event (itself level 1) are beyond the limit of 8.
  'deep-nesting': { weight: 4, expected: { expect: 'refused', codes: ['EVENT.TOO_DEEP'] } },
  'control-character': { weight: 6, expected: { expect: 'refused', codes: ['EVENT.BAD_CHARACTER'] } },
  'bidi-override': { weight: 4, expected: { expect: 'refused', codes: ['EVENT.BAD_CHARACTER'] } },
  'lone-surrogate': { weight: 5, expected: { expect: 'refused', codes: ['EVENT.BAD_CHARACTER'] } },
  'forbidden-key': { weight: 6, expected: { expect: 'refused', codes: ['EVENT.FORBIDDEN_KEY'] } },
  // Unknown data fields are refused too (the data is whitelisted), so a date field added to an event type without it is.
  'wrong-date': { weight: 8, expected: { expect: 'refused', codes: ['EVENT.SCHEMA_VIOLATION', 'EVENT.NOT_CLOUDEVENT'] } },
  extensions: { weight: 4, expected: { expect: 'either', codes: ['EVENT.TOO_LARGE', 'EVENT.NOT_CLOUDEVENT'], why: 'three well-named extension attributes with short values are valid CloudEvents' } },
  'random-bytes': { weight: 5, expected: { expect: 'refused', codes: NOT_JSON_CODES } },
  // A prefix of a JSON object is never JSON (the empty one is no event).
  'truncated-json': { weight: 4, expected: { expect: 'refused', codes: NOT_JSON_CODES } },
  // The ids it sets are the same for every event: the second event given one reuses it with other content.
  'wrong-envelope': { weight: 5, expected: { expect: 'either', codes: [...CONTENT_CODES, 'EVENT.ID_REUSED'], why: "an id may become another well-formed id ('credit.unicorn.sighted.v1' is one)" } },
} as const satisfies Record<string, { weight: number; expected: Expectation }>;

export type MutationKind = keyof typeof MUTATIONS;

const WEIGHTS = Object.entries(MUTATIONS).map(([kind, { weight }]) => [kind, weight]) as [MutationKind, number][];

export function mutate(event: CreditEvent, prng: Prng): Mutated {
  const kind = prng.weighted(WEIGHTS);
  return { ...mutated(kind, structuredClone(event) as unknown as Record<string, unknown>, prng), expected: MUTATIONS[kind].expected };
}

function mutated(kind: MutationKind, value: Record<string, unknown>, prng: Prng): { kind: MutationKind; value: unknown } | { kind: MutationKind; bytes: Buffer } {
  switch (kind) {
    case 'valid':
      return { kind, value };
    case 'delete': {
      const [holder, key] = pickSlot(value, prng);
      if (Array.isArray(holder)) holder.splice(Number(key), 1);
      else delete holder[key as string];
      return { kind, value };
    }
    case 'type-swap':
      set(value, prng, prng.pick(ODD_VALUES));
      return { kind, value };
    case 'huge-string':
      set(value, prng, 'x'.repeat(prng.pick([70_000, 300_000])));
      return { kind, value };
    case 'long-string':
      setString(value, prng, (s) => s + '信'.repeat(prng.pick([200, 1500, 4100])));
      return { kind, value };
    case 'deep-nesting': {
      // Written as text: JSON.stringify itself recurses and would overflow on the sender's side.
      const levels = prng.pick([9, 50, 2_000, 10_000]);
      const open = Array.from({ length: levels }, () => (prng.chance(0.5) ? '[' : '{"n":'));
      const nested = open.join('') + '"deep"' + open.reverse().map((o) => (o === '[' ? ']' : '}')).join('');
      set(value, prng, DEEP);
      return { kind, bytes: Buffer.from(JSON.stringify(value).replace(`"${DEEP}"`, nested)) };
    }
    case 'control-character':
      setString(value, prng, (s) => insert(s, prng.pick(CONTROL), prng));
      return { kind, value };
    case 'bidi-override':
      setString(value, prng, (s) => insert(s, prng.pick(BIDI), prng));
      return { kind, value };
    case 'lone-surrogate':
      setString(value, prng, (s) => insert(s, prng.pick(LONE_SURROGATES), prng));
      return { kind, value };
    case 'forbidden-key': {
      const holder = pickObject(value, prng);
      // defineProperty: assigning __proto__ would set the prototype instead of adding a key.
      Object.defineProperty(holder, prng.pick(FORBIDDEN), { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
      return { kind, value };
    }
    case 'wrong-date': {
      const data = value.data as Record<string, unknown>;
      if (prng.chance(0.5)) value.time = prng.pick(WRONG_DATES);
      else data[prng.pick(['decidedOn', 'validTo', 'validFrom'])] = prng.pick(WRONG_DATES);
      return { kind, value };
    }
    case 'extensions': {
      const count = prng.pick([3, 17, 40]);
      for (let i = 0; i < count; i++) value[prng.chance(0.9) ? `ext${i}` : `Bad-Name-${i}`] = prng.chance(0.8) ? `v${i}` : prng.pick(['x'.repeat(300), { nested: i }, [i]]);
      return { kind, value };
    }
    case 'random-bytes': {
      const bytes = Buffer.alloc(prng.between(1, 512));
      for (let i = 0; i < bytes.length; i++) bytes[i] = prng.int(256);
      return { kind, bytes };
    }
    case 'truncated-json': {
      const text = JSON.stringify(value);
      return { kind, bytes: Buffer.from(text.slice(0, prng.between(0, text.length - 1))) };
    }
    case 'wrong-envelope': {
      const field = prng.pick(['specversion', 'id', 'source', 'type', 'subject']);
      value[field] = prng.pick(['2.0', '', 'credit.unicorn.sighted.v1', '/departments/ministry-of-magic', 'x'.repeat(200), 42, null]);
      return { kind, value };
    }
  }
}

/** The same event with other content under its id: a valid event, refused only as EVENT.ID_REUSED. */
export function changedContent(event: CreditEvent): CreditEvent {
  const changed = structuredClone(event);
  changed.time = new Date(Date.parse(event.time) + 1000).toISOString();
  return changed;
}

/** The serialised body or message value of a mutation. */
export function bytesOf(mutated: Mutated): Buffer {
  return 'bytes' in mutated ? mutated.bytes : Buffer.from(JSON.stringify(mutated.value));
}

function containers(root: Json): Json[] {
  const found: Json[] = [];
  const stack: Json[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    found.push(node);
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push(child as Json);
  }
  return found;
}

function pickObject(root: Json, prng: Prng): Record<string, unknown> {
  const objects = containers(root).filter((c): c is Record<string, unknown> => !Array.isArray(c));
  return prng.pick(objects);
}

/** A random (container, key) slot that holds a value. */
function pickSlot(root: Json, prng: Prng): [Json, string | number] {
  const slots = containers(root).flatMap((c) => Object.keys(c).map((k) => [c, Array.isArray(c) ? Number(k) : k] as [Json, string | number]));
  return prng.pick(slots);
}

function set(root: Json, prng: Prng, replacement: unknown): void {
  const [holder, key] = pickSlot(root, prng);
  (holder as Record<string | number, unknown>)[key] = replacement;
}

function setString(root: Json, prng: Prng, change: (s: string) => string): void {
  const slots = containers(root).flatMap((c) => Object.entries(c).filter(([, v]) => typeof v === 'string').map(([k]) => [c, k] as [Json, string]));
  const [holder, key] = prng.pick(slots);
  (holder as Record<string, unknown>)[key] = change((holder as Record<string, string>)[key]);
}

function insert(text: string, piece: string, prng: Prng): string {
  const at = prng.int(text.length + 1);
  return text.slice(0, at) + piece + text.slice(at);
}
