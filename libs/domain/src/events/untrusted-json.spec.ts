import { EventValidationError } from './event-validation.errors';
import { assertExtensionsWithinLimits, assertJsonTextWithinLimit, assertSafeJson, showable, UNTRUSTED_JSON_LIMITS } from './untrusted-json';

function refusal(run: () => void): EventValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const deep = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('assertSafeJson', () => {
  it('passes an ordinary event-shaped value', () => {
    expect(() => assertSafeJson({ id: 'e-1', data: { subject: { name: '广元市利州区某某建材有限公司 𠮷' }, relatedPersons: [{ name: '李四' }], amount: 1.5, flag: true, none: null }, note: 'line one\nline two\ttabbed\r\n' })).not.toThrow();
  });

  it('refuses nesting beyond the limit without recursing, even 100,000 levels deep', () => {
    expect(() => assertSafeJson(deep(UNTRUSTED_JSON_LIMITS.maxDepth))).not.toThrow();
    expect(refusal(() => assertSafeJson(deep(UNTRUSTED_JSON_LIMITS.maxDepth + 1))).code).toBe('EVENT.TOO_DEEP');
    const error = refusal(() => assertSafeJson(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000))));
    expect(error.code).toBe('EVENT.TOO_DEEP');
    expect(error.violations[0].path).toBe('0.0.0.0.0.0.0.0');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere, with its path', (key) => {
    const error = refusal(() => assertSafeJson(JSON.parse(`{"data":{"relatedPersons":[{"${key}":{"polluted":true}}]}}`)));
    expect(error.code).toBe('EVENT.FORBIDDEN_KEY');
    expect(error.violations).toEqual([{ path: `data.relatedPersons.0.${key}`, message: expect.stringContaining(key) }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['NUL', '\u0000'],
    ['a lone high surrogate', '\ud83d'],
    ['a lone low surrogate', '\ude00'],
    ['a surrogate pair reversed', '\ude00\ud83d'],
    ['right-to-left override', '\u202e'],
    ['left-to-right embedding', '\u202a'],
    ['first strong isolate', '\u2068'],
    ['pop directional isolate', '\u2069'],
    ['escape', '\u001b'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['a noncharacter', '\uffff'],
  ])('refuses %s in a string with the field path', (_name, character) => {
    const error = refusal(() => assertSafeJson({ data: { subject: { name: `某公司${character}有限` } } }));
    expect(error.code).toBe('EVENT.BAD_CHARACTER');
    expect(error.violations[0].path).toBe('data.subject.name');
  });

  it('refuses bad characters in keys and never echoes them', () => {
    const error = refusal(() => assertSafeJson({ data: { 'x\u0000\u202ey': 1 } }));
    expect(error.code).toBe('EVENT.BAD_CHARACTER');
    expect(error.violations[0].path).toBe('data.x\ufffd\ufffdy');
    expect(error.message).not.toMatch(/[\u0000\u202e]/);
  });

  it('caps strings, keys, objects, arrays, values and the whole event', () => {
    const code = (value: unknown) => refusal(() => assertSafeJson(value)).code;
    expect(() => assertSafeJson({ s: 'x'.repeat(UNTRUSTED_JSON_LIMITS.maxStringLength) })).not.toThrow();
    expect(code({ s: 'x'.repeat(UNTRUSTED_JSON_LIMITS.maxStringLength + 1) })).toBe('EVENT.TOO_LARGE');
    expect(code({ ['k'.repeat(UNTRUSTED_JSON_LIMITS.maxKeyLength + 1)]: 1 })).toBe('EVENT.TOO_LARGE');
    expect(code(Object.fromEntries(Array.from({ length: UNTRUSTED_JSON_LIMITS.maxKeysPerObject + 1 }, (_, i) => [`k${i}`, i])))).toBe('EVENT.TOO_LARGE');
    expect(code({ a: Array.from({ length: UNTRUSTED_JSON_LIMITS.maxArrayLength + 1 }, () => 1) })).toBe('EVENT.TOO_LARGE');
    expect(code({ a: Array.from({ length: 30 }, () => Array.from({ length: 90 }, () => 1)) })).toBe('EVENT.TOO_LARGE');
    // 20 strings of 4,000 Chinese characters: each allowed, together ≈ 240 KB.
    expect(code({ a: Array.from({ length: 20 }, () => '信'.repeat(4000)) })).toBe('EVENT.TOO_LARGE');
  });

  it('treats an in-process undefined as absent and refuses what JSON cannot carry', () => {
    expect(() => assertSafeJson({ a: undefined })).not.toThrow();
    expect(refusal(() => assertSafeJson({ a: () => 1 })).code).toBe('EVENT.SCHEMA_VIOLATION');
    expect(refusal(() => assertSafeJson({ a: Number.NaN })).code).toBe('EVENT.SCHEMA_VIOLATION');
  });
});

describe('assertExtensionsWithinLimits', () => {
  const envelope = { specversion: '1.0', id: 'x', source: 's', type: 't', subject: 's', time: 't', data: {} };

  it('allows a few scalar extensions with CloudEvents names', () => {
    expect(() => assertExtensionsWithinLimits({ ...envelope, traceparent: '00-abc-01', partitionkey: 3, sampled: true })).not.toThrow();
  });

  it('refuses too many, too long, badly named or structured extensions', () => {
    const many = Object.fromEntries(Array.from({ length: UNTRUSTED_JSON_LIMITS.maxExtensions + 1 }, (_, i) => [`ext${i}`, 'v']));
    expect(refusal(() => assertExtensionsWithinLimits({ ...envelope, ...many })).code).toBe('EVENT.TOO_LARGE');
    expect(refusal(() => assertExtensionsWithinLimits({ ...envelope, note: 'x'.repeat(UNTRUSTED_JSON_LIMITS.maxExtensionLength + 1) })).code).toBe('EVENT.TOO_LARGE');
    expect(refusal(() => assertExtensionsWithinLimits({ ...envelope, TraceParent: 'x' })).violations[0].path).toBe('TraceParent');
    expect(refusal(() => assertExtensionsWithinLimits({ ...envelope, nested: { a: 1 } })).code).toBe('EVENT.NOT_CLOUDEVENT');
  });
});

describe('limits on raw text', () => {
  it('refuses a JSON text over the event size before parsing', () => {
    expect(() => assertJsonTextWithinLimit(UNTRUSTED_JSON_LIMITS.maxEventBytes)).not.toThrow();
    expect(refusal(() => assertJsonTextWithinLimit(UNTRUSTED_JSON_LIMITS.maxEventBytes + 1)).code).toBe('EVENT.TOO_LARGE');
  });

  it('makes text showable without splitting a character into a lone surrogate', () => {
    expect(showable('ab\u0000c', 10)).toBe('ab\ufffdc');
    expect(showable(`${'x'.repeat(7)}𠮷`, 8)).toBe('xxxxx...');
    expect(showable(`xxxx𠮷yyyy`, 8)).toBe('xxxx\ufffd...');
  });
});
