import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { isDomainError } from '../domain.errors';
import { validateIdentifier } from '../identifiers/identifier-type';
import { assertIdTypeMatchesKind } from '../subjects/subject';
import { CloudEventEnvelopeDto } from './cloud-event-envelope.dto';
import { CreditEvent } from './credit-event';
import { CreditEventDataBase } from './credit-event-data.dto';
import { EVENT_DATA_CLASSES } from './event-catalogue';
import { ALL_EVENT_TYPES, isEventType } from './event-types';
import { EventValidationCode, EventValidationError, Violation } from './event-validation.errors';

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Parse raw bytes as JSON, failing with a typed error instead of a SyntaxError. */
export function parseJson(raw: string | Buffer): unknown {
  try {
    return JSON.parse(raw.toString());
  } catch (error) {
    throw new EventValidationError('EVENT.MALFORMED_JSON', `body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Validate an untrusted value as a credit event: CloudEvents envelope, known type,
 * that type's payload schema, identifiers with their check characters, and a
 * `subject` attribute that names the payload's subject. Returns a typed event.
 */
export function parseCreditEvent(value: unknown): CreditEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventValidationError('EVENT.NOT_CLOUDEVENT', 'a credit event must be a JSON object in a CloudEvents 1.0 envelope');
  }
  const envelope = plainToInstance(CloudEventEnvelopeDto, value);
  // Extension attributes are allowed by CloudEvents, so the envelope is not whitelisted.
  const envelopeViolations = flatten(validateSync(envelope));
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
  const data = plainToInstance(EVENT_DATA_CLASSES[envelope.type] as new () => CreditEventDataBase, envelope.data);
  const errors = validateSync(data, VALIDATION);
  if (errors.length > 0) {
    const violations = flatten(errors, 'data');
    throw new EventValidationError(identifierCodeOf(errors, envelope.data) ?? 'EVENT.SCHEMA_VIOLATION', `${envelope.type}: ${summarise(violations)}`, violations);
  }
  normaliseIdentifiers(data);
  guardSubjectConsistency(envelope.subject, data);
  return { ...(value as Record<string, unknown>), ...envelope, data } as unknown as CreditEvent;
}

/** Store identifiers in their canonical form (upper case, trimmed) so lookups match. */
function normaliseIdentifiers(data: CreditEventDataBase): void {
  data.subject.id = validateIdentifier(data.subject.idType, data.subject.id).value;
  for (const person of data.relatedPersons ?? []) person.id = validateIdentifier(person.idType, person.id).value;
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

function summarise(violations: Violation[]): string {
  return violations.map((v) => `${v.path}: ${v.message}`).join('; ');
}
