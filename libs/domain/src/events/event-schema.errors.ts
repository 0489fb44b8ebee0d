import { DomainError } from '../domain.errors';
import type { ErrorKinds } from '../error-kind';

/** GET /schemas/<name>: the name is no event type's schema (`<type>.json`). */
export type EventSchemaErrorCode = 'SCHEMA.UNKNOWN_TYPE';

export const EVENT_SCHEMA_ERROR_KINDS: ErrorKinds<EventSchemaErrorCode> = {
  'SCHEMA.UNKNOWN_TYPE': 'not-found',
};

export class EventSchemaError extends DomainError {
  declare readonly code: EventSchemaErrorCode;

  constructor(code: EventSchemaErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
