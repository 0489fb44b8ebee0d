import {
  assertExtensionsWithinLimits,
  assertSafeJson,
  compileCreditEventCheck,
  CreditEvent,
  EventValidationCode,
  EventValidationError,
  isEventType,
  parseCreditEvent,
  parseCreditEventFast,
  parseJson,
} from '@app/domain';
import { CreditEventGenerator, Prng } from '@app/rules/testing';
import { bytesOf, mutate } from '../support/event-mutations';

/**
 * The compiled (ajv) path of event validation against class-validator's, the reference, on
 * seeded events, the fuzz tests' mutations of them, and values aimed at the places where
 * JSON Schema and class-validator part (lengths, null optionals, UUIDs, dates, numbers). Under
 * test/ because libs/domain may not import the test-data generator of libs/rules. Lives in the
 * unit project: no I/O.
 */

type Outcome = { event: CreditEvent } | { code: string; message: string; violations: unknown };

/** Refusals found after the envelope and payload checks passed: the compiled check accepts these events too. */
const AFTER_THE_CHECKS: readonly EventValidationCode[] = ['EVENT.SUBJECT_MISMATCH', 'SUBJECT.ID_TYPE_MISMATCH'];

const SEED = 20261201;
const EVENTS = 600;

/** Values where the two kinds of schema could disagree, set on a random slot of an event. */
const EDGE_VALUES: readonly unknown[] = [
  null,
  '\uFE0F',
  'a\uFE0F',
  '\u2764\uFE0F'.repeat(3),
  '𝒜'.repeat(2),
  '𝒜'.repeat(61),
  'x'.repeat(64),
  'x'.repeat(65),
  'urn:uuid:3c25632b-9240-49d3-bb64-afebede10d4e',
  '3C25632B-9240-49D3-BB64-AFEBEDE10D4E',
  '00000000-0000-0000-0000-000000000000',
  '0050-01-01',
  '2024-02-29',
  '2023-02-29',
  '9999-12-31',
  '2026-11-20T08:00:00',
  '2026-11-20T08:00:00.123+08:00',
  '2026-11-20 08:00:00Z',
  '2026-11-20T08:00Z',
  '20261120T080000Z',
  '1.0',
  1.0,
  2000.5,
  1989,
  2100,
  2101,
  -0,
  -0.01,
  1e21,
  'RESIDENT_ID',
  'USCC',
  'individual',
  'enterprise',
  'tax-evasion',
  'Tax-Evasion',
  'tax--evasion',
  'tax-evasion\n',
  '/departments/tax',
  '/departments/tax/',
  'application/json',
  'application/cloudevents+json',
  [],
  [{}],
  [[]],
  {},
];

/**
 * `dataschema` values: URIs and near-URIs (RFC 3986, where ajv-formats' check and the CloudEvents
 * wording could part), and the engine's own schema URLs for the event's type, another type and
 * no type (`{type}` is replaced by the event's).
 */
const DATASCHEMA_VALUES: readonly unknown[] = [
  'https://credit.example/schemas/{type}.json',
  'https://credit.example/schemas/{type}.json?v=2#top',
  'https://credit.example/base/schemas/{type}.json',
  'https://credit.example/schemas/credit.honour.granted.v1.json',
  'https://credit.example/schemas/credit.unicorn.sighted.v1.json',
  'https://credit.example/other?next=/schemas/credit.honour.granted.v1.json',
  'https://registry.example/schemas/tax/penalty-v1.json',
  'urn:example:schema:penalty:1',
  'http://[::1]:8080/schemas/{type}.json',
  '/schemas/{type}.json',
  'schemas/{type}.json',
  'not a uri',
  'https://credit.example/a b',
  'https://例子.cn/schemas/{type}.json',
  'https://credit.example/%zz',
  'x:',
  '',
  null,
  42,
  ['https://credit.example/schemas/{type}.json'],
];

/** `datacontenttype` values: JSON with and without a charset (any case), near misses and other types. */
const DATACONTENTTYPE_VALUES: readonly unknown[] = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset="utf-8"',
  'Application/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-8; q=1',
  ' application/json',
  'application/cloudevents+json',
  'text/plain',
  '',
  null,
  7,
];

function withDatacontenttype(event: CreditEvent, prng: Prng): unknown {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  copy.datacontenttype = prng.pick(DATACONTENTTYPE_VALUES);
  return copy;
}

function withDataschema(event: CreditEvent, prng: Prng): unknown {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  const value = prng.pick(DATASCHEMA_VALUES);
  copy.dataschema = typeof value === 'string' ? value.replace('{type}', event.type) : value;
  return copy;
}

function outcome(parse: (value: unknown) => CreditEvent, value: unknown): Outcome {
  try {
    return { event: parse(value) };
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    return { code: error.code, message: error.message, violations: error.violations };
  }
}

/** Whether the value reaches the compiled check (the generic limits passed, its type is known), and its verdict. */
function compiledVerdict(check: ReturnType<typeof compileCreditEventCheck>, value: unknown): boolean | undefined {
  try {
    assertSafeJson(value);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    assertExtensionsWithinLimits(value as Record<string, unknown>);
  } catch {
    return undefined;
  }
  const type = (value as { type?: unknown }).type;
  return isEventType(type) ? check(value as Record<string, unknown>, type) : undefined;
}

/**
 * Texts whose length validator.js (class-validator's Length) and JSON Schema count differently:
 * a character with its variation selector is one character to the first, two to the second.
 */
const LENGTH_EDGES: readonly string[] = ['信\uFE0F'.repeat(101), '信\uFE0F'.repeat(61), 'x'.repeat(63) + 'a\uFE0F', 'AB\uFE0F', 'A\uFE0FB\uFE0FC\uFE0FD\uFE0F', '𝒜'.repeat(65)];

function slots(root: unknown): [Record<string | number, unknown>, string | number][] {
  const found: [Record<string | number, unknown>, string | number][] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string | number, unknown>;
    for (const key of Object.keys(node)) {
      found.push([node, Array.isArray(node) ? Number(key) : key]);
      if (node[key] !== null && typeof node[key] === 'object') stack.push(node[key]);
    }
  }
  return found;
}

function withEdgeValue(event: CreditEvent, prng: Prng): unknown {
  const copy = structuredClone(event) as unknown;
  const [holder, key] = prng.pick(slots(copy));
  holder[key] = prng.pick(EDGE_VALUES);
  return copy;
}

function withEdgeLength(event: CreditEvent, prng: Prng): unknown {
  const copy = structuredClone(event) as unknown;
  const [holder, key] = prng.pick(slots(copy).filter(([h, k]) => typeof h[k] === 'string'));
  holder[key] = prng.pick(LENGTH_EDGES);
  return copy;
}

/** Seeded events, each followed by two edge values, an edge length and two fuzz mutations; raw bytes are parsed as the edges do. */
function corpus(): unknown[] {
  const generator = new CreditEventGenerator({ seed: SEED, strayPublisherRate: 0 });
  const prng = new Prng(SEED);
  const values: unknown[] = [];
  for (const event of generator.take(EVENTS)) {
    values.push(event, withEdgeValue(event, prng), withEdgeValue(event, prng), withEdgeLength(event, prng), withDataschema(event, prng), withDatacontenttype(event, prng));
    for (let i = 0; i < 2; i++) {
      const mutated = mutate(event, prng);
      if ('value' in mutated) values.push(mutated.value);
      else {
        try {
          values.push(parseJson(bytesOf(mutated)));
        } catch {
          // Not JSON: refused before either path sees it.
        }
      }
    }
  }
  return values;
}

describe('parseCreditEventFast (ajv) against parseCreditEvent (class-validator)', () => {
  const values = corpus();
  const check = compileCreditEventCheck();

  it('gives the same event or the same refusal for every value, and its compiled check decides as class-validator does', () => {
    const mismatches: string[] = [];
    const tally = { accepted: 0, refused: 0, compiledAccepted: 0, compiledRefused: 0 };
    const codes = new Set<string>();
    values.forEach((value, index) => {
      const reference = outcome(parseCreditEvent, value);
      const fast = outcome(parseCreditEventFast, value);
      try {
        expect(fast).toStrictEqual(reference);
      } catch {
        mismatches.push(`#${index}: ${JSON.stringify(value)?.slice(0, 300)}\n  reference ${JSON.stringify(reference).slice(0, 300)}\n  fast      ${JSON.stringify(fast).slice(0, 300)}`);
      }
      if ('event' in reference) tally.accepted++;
      else {
        tally.refused++;
        codes.add(reference.code);
      }
      const verdict = compiledVerdict(check, value);
      if (verdict === undefined) return;
      tally[verdict ? 'compiledAccepted' : 'compiledRefused']++;
      const agrees = 'event' in reference ? verdict : verdict === AFTER_THE_CHECKS.includes(reference.code as EventValidationCode);
      if (!agrees) mismatches.push(`#${index}: compiled check says ${verdict ? 'accept' : 'refuse'}, class-validator ${'event' in reference ? 'accepted' : reference.code}: ${JSON.stringify(value)?.slice(0, 300)}`);
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    // The corpus reaches both branches of the compiled check, and most of the refusal codes.
    expect(tally.compiledAccepted).toBeGreaterThan(EVENTS);
    expect(tally.compiledRefused).toBeGreaterThan(EVENTS);
    expect(tally.refused).toBeGreaterThan(EVENTS * 2);
    expect([...codes]).toEqual(expect.arrayContaining(['EVENT.SCHEMA_VIOLATION', 'EVENT.NOT_CLOUDEVENT', 'EVENT.UNKNOWN_TYPE', 'EVENT.SUBJECT_MISMATCH', 'EVENT.FORBIDDEN_KEY', 'SUBJECT.BAD_LENGTH']));
  });

  it('decides dataschema alike: every value of the list reached, some accepted, some refused as not a URI, some as naming another type\'s schema', () => {
    const withSchema = values.filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && 'dataschema' in value);
    const reached = new Set(withSchema.map((value) => (typeof value.dataschema === 'string' && isEventType(value.type) ? value.dataschema.replace(value.type, '{type}') : JSON.stringify(value.dataschema))));
    expect(reached.size).toBeGreaterThanOrEqual(DATASCHEMA_VALUES.length - 2);
    const outcomes = withSchema.map((value) => outcome(parseCreditEvent, value));
    expect(outcomes.filter((o) => 'event' in o).length).toBeGreaterThan(50);
    expect(outcomes.filter((o) => 'code' in o && o.code === 'EVENT.NOT_CLOUDEVENT' && JSON.stringify(o.violations).includes('dataschema')).length).toBeGreaterThan(50);
    expect(outcomes.filter((o) => 'code' in o && o.code === 'EVENT.SCHEMA_VIOLATION' && JSON.stringify(o.violations).includes('"path":"dataschema"')).length).toBeGreaterThan(20);
  });

  it('decides datacontenttype alike: JSON with a UTF-8 charset accepted, other media types refused on their path', () => {
    const withType = values.filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && 'datacontenttype' in value);
    const outcomes = withType.map((value) => ({ value: value.datacontenttype, outcome: outcome(parseCreditEvent, value) }));
    expect(outcomes.some(({ value, outcome }) => value === 'application/json; charset=utf-8' && 'event' in outcome)).toBe(true);
    expect(outcomes.some(({ value, outcome }) => value === 'text/plain' && 'code' in outcome && outcome.code === 'EVENT.NOT_CLOUDEVENT')).toBe(true);
  });

  it('leaves the value it parses as it was', () => {
    const value = values[0];
    const before = JSON.stringify(value);
    parseCreditEventFast(value);
    expect(JSON.stringify(value)).toBe(before);
  });
});
