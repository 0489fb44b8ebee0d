import { DomainError, INVALID_IDENTIFIER_KINDS, InvalidIdentifierCode } from '../domain.errors';
import type { ErrorKinds } from '../error-kind';

export type EventValidationCode =
  | 'EVENT.MALFORMED_JSON'
  | 'EVENT.NOT_CLOUDEVENT'
  | 'EVENT.TOO_DEEP'
  | 'EVENT.FORBIDDEN_KEY'
  | 'EVENT.BAD_CHARACTER'
  | 'EVENT.TOO_LARGE'
  | 'EVENT.UNKNOWN_TYPE'
  | 'EVENT.SCHEMA_VIOLATION'
  | 'EVENT.SUBJECT_MISMATCH'
  | 'EVENT.ID_REUSED'
  | InvalidIdentifierCode;

/** Unreadable (invalid), over size, not valid for its type (unprocessable), or an id already used for other content (conflict). */
export const EVENT_VALIDATION_KINDS: ErrorKinds<EventValidationCode> = {
  'EVENT.MALFORMED_JSON': 'invalid',
  'EVENT.NOT_CLOUDEVENT': 'invalid',
  'EVENT.TOO_DEEP': 'invalid',
  'EVENT.FORBIDDEN_KEY': 'invalid',
  'EVENT.BAD_CHARACTER': 'invalid',
  'EVENT.TOO_LARGE': 'too-large',
  'EVENT.UNKNOWN_TYPE': 'unprocessable',
  'EVENT.SCHEMA_VIOLATION': 'unprocessable',
  'EVENT.SUBJECT_MISMATCH': 'unprocessable',
  'EVENT.ID_REUSED': 'conflict',
  ...INVALID_IDENTIFIER_KINDS,
};

/** One failed constraint, addressed by a JSON-ish path into the event (`data.subject.id`). */
export interface Violation {
  path: string;
  message: string;
}

export class EventValidationError extends DomainError {
  declare readonly code: EventValidationCode;

  constructor(code: EventValidationCode, message: string, readonly violations: Violation[] = [], context: Record<string, unknown> = {}) {
    super(code, message, { ...context, violations });
  }
}

/**
 * CloudEvents identity is (source, id): the same identity with other content is a new
 * event wearing an old id, refused rather than silently dropped as a redelivery.
 */
export function idReusedError(source: string, id: string): EventValidationError {
  return new EventValidationError(
    'EVENT.ID_REUSED',
    `event id "${id}" from ${source} was already accepted with different content; an event id names one event (send a correction under a new id)`,
    [{ path: 'id', message: 'already used for an event with different content' }],
    { source, id },
  );
}
