import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError, ValidationTypes } from 'class-validator';
import { isDomainError } from '../domain.errors';
import { validateIdentifier } from '../identifiers/identifier-type';
import { assertIdTypeMatchesKind } from '../subjects/subject';
import { CloudEventEnvelopeDto } from './cloud-event-envelope.dto';
import { CompiledEventCheck, compileCreditEventCheck } from './compiled-event-check';
import { CreditEvent } from './credit-event';
import { CreditEventDataBase } from './credit-event-data.dto';
import { EVENT_DATA_CLASSES } from './event-catalogue';
import { dataschemaFitsType } from './event-schema-url';
import { instanceOfChecked } from './event-instances';
import { ALL_EVENT_TYPES, isEventType } from './event-types';
import { EventValidationCode, EventValidationError, Violation } from './event-validation.errors';
import { assertExtensionsWithinLimits, assertJsonTextWithinLimit, assertSafeJson, UNTRUSTED_JSON_LIMITS } from './untrusted-json';

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Parse raw bytes as JSON (at most one event's size), failing with a typed error instead of a SyntaxError. */
export function parseJson(raw: string | Buffer): unknown {
  assertJsonTextWithinLimit(typeof raw === 'string' ? utf8Length(raw) : raw.length);
  try {
    return JSON.parse(raw.toString());
  } catch (error) {
    // V8's message may quote the text around the fault (a name, most of a resident ID), and the
    // message is stored in clear with the dead letter: only the position is kept.
    const position = / at position (\d+)/.exec((error as Error).message)?.[1];
    throw new EventValidationError('EVENT.MALFORMED_JSON', `body is not valid JSON${position === undefined ? '' : ` (at position ${position})`}`);
  }
}

/**
 * Validate an untrusted value as a credit event: first the generic limits of untrusted JSON
 * (depth, forbidden keys, characters, sizes: before any library walks it), then the
 * CloudEvents envelope, known type, that type's payload schema, identifiers with their check
 * characters, and a `subject` attribute that names the payload's subject. Returns a typed
 * event. Any JSON value either passes or fails with an EventValidationError: nothing else.
 */
export function parseCreditEvent(value: unknown): CreditEvent {
  return parseUntrusted(value, parseCheckedCreditEvent);
}

let compiledCheck: CompiledEventCheck | undefined;

/**
 * parseCreditEvent, with the envelope and payload checks compiled (ajv) instead of walked
 * by class-validator: for every value the same event or the same refusal. The compiled check
 * only decides; an event it accepts is built as parseCreditEvent builds it, and one it refuses
 * goes through parseCreditEvent's checks, whose error (code, message, violations) is the answer. The
 * differential test (test/differential) holds the two equal on seeded and mutated events.
 */
export function parseCreditEventFast(value: unknown): CreditEvent {
  return parseUntrusted(value, (event) => {
    const type = event.type;
    if (!isEventType(type) || !prepareParseCreditEventFast()(event, type)) return parseCheckedCreditEvent(event);
    // What plainToInstance gives once the checks pass; the envelope's copy of `data` is replaced below anyway.
    const envelope = Object.assign(new CloudEventEnvelopeDto(), event);
    const data = instanceOfChecked(EVENT_DATA_CLASSES[type] as new () => CreditEventDataBase, event.data as Record<string, unknown>);
    return completeCreditEvent(event, envelope, data);
  });
}

/** Compile parseCreditEventFast's check now (a few hundred milliseconds) rather than on the first event: while an app boots. */
export function prepareParseCreditEventFast(): CompiledEventCheck {
  return (compiledCheck ??= compileCreditEventCheck());
}

/** The generic limits of untrusted JSON, then `parse`, whose unforeseen failures are still the sender's. */
function parseUntrusted(value: unknown, parse: (event: Record<string, unknown>) => CreditEvent): CreditEvent {
  assertSafeJson(value);
  if (!isJsonObject(value)) {
    throw new EventValidationError('EVENT.NOT_CLOUDEVENT', 'a credit event must be a JSON object in a CloudEvents 1.0 envelope');
  }
  assertExtensionsWithinLimits(value);
  try {
    return parse(value);
  } catch (error) {
    if (isDomainError(error)) throw error;
    // A shape the validators did not foresee (they are libraries): still the sender's fault, still a 422.
    throw new EventValidationError('EVENT.SCHEMA_VIOLATION', 'the event does not match the schema of its type', [{ path: '(event)', message: 'could not be validated' }]);
  }
}

function parseCheckedCreditEvent(value: Record<string, unknown>): CreditEvent {
  const envelope = plainToInstance(CloudEventEnvelopeDto, value);
  // Extension attributes are allowed by CloudEvents, so the envelope is not whitelisted.
  // `data` is judged by the schema of its type, below.
  const envelopeViolations = flatten(validateSync(envelope)).filter((v) => v.path !== 'data');
  if (envelopeViolations.length > 0) {
    throw new EventValidationError('EVENT.NOT_CLOUDEVENT', `not a valid CloudEvents 1.0 envelope: ${summarise(envelopeViolations)}`, envelopeViolations);
  }
  if (!isEventType(envelope.type)) {
    throw new EventValidationError(
      'EVENT.UNKNOWN_TYPE',
      `unknown event type "${envelope.type}"; known types: ${ALL_EVENT_TYPES.join(', ')}`,
      [{ path: 'type', message: 'unknown event type' }],
    );
  }
  if (envelope.dataschema != null && !dataschemaFitsType(envelope.dataschema, envelope.type)) {
    // The type it names is not quoted: it is the sender's text, and violations are kept in clear with dead letters.
    const message = `names the engine schema of another type; this event's is …/schemas/${envelope.type}.json`;
    throw new EventValidationError('EVENT.SCHEMA_VIOLATION', `${envelope.type}: dataschema: ${message}`, [{ path: 'dataschema', message }]);
  }
  // CloudEvents allows any data; a credit event's type says it is an object of that type's schema.
  if (!isJsonObject(envelope.data)) {
    const message = envelope.data === undefined ? 'data is required: a JSON object' : 'data must be a JSON object';
    throw new EventValidationError('EVENT.SCHEMA_VIOLATION', `${envelope.type}: data: ${message}`, [{ path: 'data', message }]);
  }
  const dataClass = EVENT_DATA_CLASSES[envelope.type] as new () => CreditEventDataBase;
  const data = plainToInstance(dataClass, envelope.data);
  const errors = validateSync(data, VALIDATION);
  const missing = missingNested(dataClass, envelope.data, 'data');
  const violations = [...missing, ...flatten(errors, 'data')];
  if (violations.length > 0) {
    const code = missing.length === 0 ? identifierCodeOf(errors, envelope.data) : undefined;
    throw new EventValidationError(code ?? 'EVENT.SCHEMA_VIOLATION', `${envelope.type}: ${summarise(violations)}`, violations);
  }
  return completeCreditEvent(value, envelope, data);
}

/** A validated envelope and payload made an event: identifiers in canonical form, the subject attribute naming the payload's subject. */
function completeCreditEvent(value: Record<string, unknown>, envelope: CloudEventEnvelopeDto, data: CreditEventDataBase): CreditEvent {
  normaliseIdentifiers(data);
  guardSubjectConsistency(envelope.subject, data);
  return { ...value, ...envelope, data } as unknown as CreditEvent;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const REQUIRED_NESTED = new Map<Function, string[]>();

/**
 * class-validator's @ValidateNested passes a missing value unless @IsDefined is added too;
 * every nested property not marked @IsOptional is required, so its absence is reported here.
 */
function missingNested(target: Function, plain: Record<string, unknown>, prefix: string): Violation[] {
  let required = REQUIRED_NESTED.get(target);
  if (!required) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
    const optional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
    required = [...new Set(metadata.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION && !optional.has(m.propertyName)).map((m) => m.propertyName))];
    REQUIRED_NESTED.set(target, required);
  }
  return required.filter((property) => plain[property] === undefined).map((property) => ({ path: `${prefix}.${property}`, message: `${property} is required` }));
}

/** Store identifiers in their canonical form (upper case, trimmed) so lookups match. */
function normaliseIdentifiers(data: CreditEventDataBase): void {
  data.subject.id = canonicalIdentifier(data.subject, 'data.subject');
  (data.relatedPersons ?? []).forEach((person, i) => (person.id = canonicalIdentifier(person, `data.relatedPersons.${i}`)));
}

/** Validation passed, so this only fails on shapes it cannot see (an array where a person belongs): reported at the path. */
function canonicalIdentifier(holder: { idType: CreditEventDataBase['subject']['idType']; id: string }, path: string): string {
  if (!isJsonObject(holder)) throw new EventValidationError('EVENT.SCHEMA_VIOLATION', `${path}: must be an object`, [{ path, message: 'must be an object' }]);
  try {
    return validateIdentifier(holder.idType, holder.id).value;
  } catch (error) {
    if (!isDomainError(error) || !error.code.startsWith('SUBJECT.')) throw error;
    throw new EventValidationError(error.code as EventValidationCode, `${path}.id: ${error.message}`, [{ path: `${path}.id`, message: error.message }]);
  }
}

function guardSubjectConsistency(subjectAttribute: string, data: CreditEventDataBase): void {
  try {
    assertIdTypeMatchesKind(data.subject.kind, data.subject.idType);
  } catch (error) {
    if (isDomainError(error)) throw new EventValidationError('SUBJECT.ID_TYPE_MISMATCH', error.message, [{ path: 'data.subject.idType', message: error.message }]);
    throw error;
  }
  if (subjectAttribute.trim().toUpperCase() !== data.subject.id.trim().toUpperCase()) {
    throw new EventValidationError('EVENT.SUBJECT_MISMATCH', 'the CloudEvents subject attribute must equal data.subject.id', [
      { path: 'subject', message: 'does not match data.subject.id' },
    ]);
  }
}

/** When the only trouble is a bad identifier, report its precise code (SUBJECT.BAD_CHECK_DIGIT…). */
function identifierCodeOf(errors: ValidationError[], data: Record<string, unknown>): EventValidationCode | undefined {
  const all = flattenErrors(errors);
  if (!all.every(({ error }) => error.constraints && 'isCreditIdentifier' in error.constraints)) return undefined;
  for (const { error, parent } of all) {
    const holder = parent ?? data;
    try {
      validateIdentifier((holder as { idType: never }).idType, String(error.value));
    } catch (failure) {
      if (isDomainError(failure) && failure.code.startsWith('SUBJECT.')) return failure.code as EventValidationCode;
    }
  }
  return undefined;
}

function flattenErrors(errors: ValidationError[], parent?: unknown): { error: ValidationError; parent?: unknown }[] {
  return errors.flatMap((error) => [
    ...(error.constraints ? [{ error, parent }] : []),
    ...flattenErrors(error.children ?? [], error.value),
  ]);
}

function flatten(errors: ValidationError[], prefix = ''): Violation[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Exact only when it matters: a text of n UTF-16 units has at most 3n UTF-8 bytes. */
function utf8Length(text: string): number {
  return text.length * 3 <= UNTRUSTED_JSON_LIMITS.maxEventBytes ? text.length : new TextEncoder().encode(text).length;
}

function summarise(violations: Violation[]): string {
  return violations.map((v) => `${v.path}: ${v.message}`).join('; ');
}
