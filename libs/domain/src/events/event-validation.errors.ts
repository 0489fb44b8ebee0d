import { DomainError } from '../domain.errors';

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
  | 'SUBJECT.BAD_LENGTH'
  | 'SUBJECT.BAD_CHARACTER'
  | 'SUBJECT.BAD_CHECK_DIGIT'
  | 'SUBJECT.BAD_DIVISION'
  | 'SUBJECT.BAD_BIRTH_DATE'
  | 'SUBJECT.UNKNOWN_ID_TYPE'
  | 'SUBJECT.ID_TYPE_MISMATCH';

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
