import { DomainError } from '../domain.errors';

export type EventValidationCode =
  | 'EVENT.MALFORMED_JSON'
  | 'EVENT.NOT_CLOUDEVENT'
  | 'EVENT.UNKNOWN_TYPE'
  | 'EVENT.SCHEMA_VIOLATION'
  | 'EVENT.SUBJECT_MISMATCH'
  | 'SUBJECT.BAD_LENGTH'
  | 'SUBJECT.BAD_CHARACTER'
  | 'SUBJECT.BAD_CHECK_DIGIT'
  | 'SUBJECT.BAD_DIVISION'
  | 'SUBJECT.BAD_BIRTH_DATE'
  | 'SUBJECT.ID_TYPE_MISMATCH';

/** One failed constraint, addressed by a JSON-ish path into the event (`data.subject.id`). */
export interface Violation {
  path: string;
  message: string;
}

export class EventValidationError extends DomainError {
  declare readonly code: EventValidationCode;

  constructor(code: EventValidationCode, message: string, readonly violations: Violation[] = []) {
    super(code, message, { violations });
  }
}
