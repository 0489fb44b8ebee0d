import { CreditEvent } from '@app/domain';
import { Prng } from '@app/rules/testing';

/**
 * Seeded mutations of valid credit events for the fuzz tests: what a careless or hostile
 * sender produces. A mutation gives either a JSON value (sent as JSON) or raw bytes.
 */
export type Mutated = { kind: string; value: unknown } | { kind: string; bytes: Buffer };

type Json = Record<string, unknown> | unknown[];

const CONTROL = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'];
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\ude00\ud83d'];
const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const DEEP = '\u2603deep-placeholder\u2603';
const WRONG_DATES = ['2026-02-30', '2026-13-01', '26-11-20', '2026/11/20', '', 'yesterday', '2026-11-20T25:00:00Z', '0000-00-00', '２０２６-１１-２０', '2026-11-20T08:00:00+25:00'];
const ODD_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, -0.5, '', ' ', 'x', [], {}, [null], [[[]]], { a: 1 }, '1.0', 1.0, 'null'];

/** The mutations, each with a weight: most produce refusals, a few keep the event valid. */
const MUTATIONS: [string, number][] = [
  ['valid', 8],
  ['delete', 12],
  ['type-swap', 12],
  ['huge-string', 3],
  ['long-string', 4],
  ['deep-nesting', 4],
  ['control-character', 6],
  ['bidi-override', 4],
  ['lone-surrogate', 5],
  ['forbidden-key', 6],
  ['wrong-date', 8],
  ['extensions', 4],
  ['random-bytes', 5],
  ['truncated-json', 4],
  ['wrong-envelope', 5],
];

export function mutate(event: CreditEvent, prng: Prng): Mutated {
  const kind = prng.weighted(MUTATIONS);
  const value = structuredClone(event) as unknown as Record<string, unknown>;
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
    default:
      throw new Error(`unknown mutation ${kind}`);
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
