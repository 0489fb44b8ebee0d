import { EventValidationCode, EventValidationError } from './event-validation.errors';

/**
 * Limits every credit event must keep before any validation library looks at it. A valid
 * event is about 1 KB, four levels deep, with strings of at most 1,000 characters (an
 * objection's reason); the limits leave room for that and nothing like a stack-overflow
 * payload or a multi-megabyte string.
 */
export const UNTRUSTED_JSON_LIMITS = {
  /** Nesting levels of objects and arrays, the envelope being level 1 (a valid event needs 4). */
  maxDepth: 8,
  /** Serialised size of one event (UTF-8 bytes, estimated while walking it). */
  maxEventBytes: 64 * 1024,
  /** Characters (UTF-16 code units) of any string value. */
  maxStringLength: 4096,
  /** Characters of any object key. */
  maxKeyLength: 64,
  /** Properties of one object. */
  maxKeysPerObject: 64,
  /** Elements of one array. */
  maxArrayLength: 100,
  /** Values (objects, arrays, strings, numbers, booleans, nulls) in one event. */
  maxValues: 2000,
  /** CloudEvents extension attributes on one event. */
  maxExtensions: 16,
  /** Characters of an extension attribute's value. */
  maxExtensionLength: 256,
} as const;

export type UntrustedJsonLimits = { readonly [K in keyof typeof UNTRUSTED_JSON_LIMITS]: number };

/** Keys that reach Object.prototype or a class through property assignment. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The context attributes CloudEvents 1.0 defines (data_base64 is not accepted: credit events carry JSON). */
export const CLOUDEVENT_ATTRIBUTES: ReadonlySet<string> = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data']);

/** CloudEvents 1.0: extension names are lower-case ASCII letters and digits, at most 20 of them. */
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

type Frame = { value: unknown; path: string; depth: number };

/**
 * Refuse a JSON value a parser could choke on or a database could not store, with the path
 * of the first offence: nesting deeper than the limit (checked with an explicit stack, so
 * depth cannot overflow ours), prototype-polluting keys, control and bidirectional-override
 * characters or lone surrogates in any string or key, and oversized strings, objects,
 * arrays or events. Pure and synchronous; throws EventValidationError.
 */
export function assertSafeJson(value: unknown, limits: UntrustedJsonLimits = UNTRUSTED_JSON_LIMITS): void {
  const stack: Frame[] = [{ value, path: '', depth: 0 }];
  let values = 0;
  let bytes = 0;
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (++values > limits.maxValues) refuse('EVENT.TOO_LARGE', path, `more than ${limits.maxValues} values in one event`);
    if (typeof current === 'string') {
      bytes += checkText(current, path, limits.maxStringLength, 'string');
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) refuse('EVENT.SCHEMA_VIOLATION', path, 'numbers must be finite');
      bytes += 24;
    } else if (typeof current === 'boolean' || current === null) {
      bytes += 5;
    } else if (Array.isArray(current)) {
      if (depth + 1 > limits.maxDepth) refuse('EVENT.TOO_DEEP', path, `nested deeper than ${limits.maxDepth} levels`);
      if (current.length > limits.maxArrayLength) refuse('EVENT.TOO_LARGE', path, `more than ${limits.maxArrayLength} elements`);
      bytes += 2 + current.length;
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: join(path, String(i)), depth: depth + 1 });
    } else if (typeof current === 'object') {
      if (depth + 1 > limits.maxDepth) refuse('EVENT.TOO_DEEP', path, `nested deeper than ${limits.maxDepth} levels`);
      const keys = Object.keys(current as object);
      if (keys.length > limits.maxKeysPerObject) refuse('EVENT.TOO_LARGE', path, `more than ${limits.maxKeysPerObject} properties`);
      bytes += 2;
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const keyPath = join(path, key);
        if (FORBIDDEN_KEYS.has(key)) refuse('EVENT.FORBIDDEN_KEY', keyPath, `the key "${key}" is not allowed anywhere in an event`);
        bytes += checkText(key, keyPath, limits.maxKeyLength, 'key') + 4;
        const child = (current as Record<string, unknown>)[key];
        // JSON has no undefined; an in-process caller's undefined property is an absent one.
        if (child !== undefined) stack.push({ value: child, path: keyPath, depth: depth + 1 });
      }
    } else if (current !== undefined) {
      refuse('EVENT.SCHEMA_VIOLATION', path, `${typeof current} is not a JSON value`);
    }
    if (bytes > limits.maxEventBytes) refuse('EVENT.TOO_LARGE', path || '(event)', `the event is larger than ${limits.maxEventBytes} bytes`);
  }
}

/**
 * Extension attributes (CloudEvents attributes beyond the ones the spec defines): a bounded
 * number, spec-conforming names, and scalar values of bounded length.
 */
export function assertExtensionsWithinLimits(envelope: Record<string, unknown>, limits: UntrustedJsonLimits = UNTRUSTED_JSON_LIMITS): void {
  const extensions = Object.keys(envelope).filter((name) => !CLOUDEVENT_ATTRIBUTES.has(name));
  if (extensions.length > limits.maxExtensions) {
    refuse('EVENT.TOO_LARGE', extensions[limits.maxExtensions], `at most ${limits.maxExtensions} extension attributes (this event has ${extensions.length})`);
  }
  for (const name of extensions) {
    if (!EXTENSION_NAME.test(name)) refuse('EVENT.NOT_CLOUDEVENT', name, 'extension attribute names are 1 to 20 lower-case letters or digits (CloudEvents 1.0)');
    const value = envelope[name];
    if (typeof value === 'string') {
      if (value.length > limits.maxExtensionLength) refuse('EVENT.TOO_LARGE', name, `extension attribute values are at most ${limits.maxExtensionLength} characters`);
    } else if (typeof value !== 'number' && typeof value !== 'boolean') {
      refuse('EVENT.NOT_CLOUDEVENT', name, 'extension attribute values are strings, integers or booleans');
    }
  }
}

/** A JSON text's size limit, checked on the raw bytes before parsing (Kafka messages). */
export function assertJsonTextWithinLimit(byteLength: number, limits: UntrustedJsonLimits = UNTRUSTED_JSON_LIMITS): void {
  if (byteLength > limits.maxEventBytes) refuse('EVENT.TOO_LARGE', '(event)', `the event is ${byteLength} bytes; the limit is ${limits.maxEventBytes} bytes`);
}

/**
 * The characters no credit event needs and that hide or corrupt text: C0 controls other than
 * tab, line feed and carriage return, DEL and the C1 controls, the bidirectional embedding,
 * override and isolate controls (U+202A–U+202E, U+2066–U+2069: they make a name display as
 * something else), the noncharacters U+FFFE/U+FFFF, and unpaired surrogates (not Unicode text;
 * PostgreSQL refuses them). Returns the string's UTF-8 size.
 */
function checkText(text: string, path: string, maxLength: number, what: 'string' | 'key'): number {
  if (text.length > maxLength) refuse('EVENT.TOO_LARGE', path, `${what === 'key' ? 'keys' : 'strings'} are at most ${maxLength} characters (this one has ${text.length})`);
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) badCharacter(path, c, i, what);
      bytes += 1;
    } else if (c < 0x800) {
      if (c <= 0x9f) badCharacter(path, c, i, what);
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) badCharacter(path, c, i, what);
      bytes += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      badCharacter(path, c, i, what);
    } else {
      if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfffe || c === 0xffff) badCharacter(path, c, i, what);
      bytes += 3;
    }
  }
  return bytes;
}

function badCharacter(path: string, code: number, index: number, what: 'string' | 'key'): never {
  const name = code >= 0xd800 && code <= 0xdfff ? 'an unpaired surrogate' : code === 0 ? 'NUL' : code >= 0x202a && code <= 0x2069 ? 'a bidirectional control' : 'a control character';
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  refuse('EVENT.BAD_CHARACTER', path || '(event)', `${what} contains ${name} (${hex}) at position ${index}; text fields may not contain control, bidirectional-override or unpaired surrogate characters`);
}

function refuse(code: EventValidationCode, path: string, message: string): never {
  throw new EventValidationError(code, `${path || '(event)'}: ${message}`, [{ path: path || '(event)', message }]);
}

const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe to echo in a message or store with a dead letter: shortened, unshowable characters replaced. */
export function showable(text: string, maxLength: number): string {
  return (text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text).replace(UNSHOWABLE, '\ufffd');
}

/**
 * Paths as the schema validation writes them (`data.relatedPersons.0.id`). A path is echoed in
 * responses and stored with dead letters, so a key is shortened and its unshowable characters
 * replaced, never copied as sent.
 */
function join(path: string, key: string): string {
  const shown = showable(key, 64);
  return path ? `${path}.${shown}` : shown;
}
