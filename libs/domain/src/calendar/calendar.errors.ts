import { DomainError } from '../domain.errors';
import type { ErrorKinds } from '../error-kind';

export type CalendarErrorCode = 'CALENDAR.INVALID';

/** A working-day calendar is refused at start-up: the operator's to fix, never a caller's. */
export const CALENDAR_ERROR_KINDS: ErrorKinds<CalendarErrorCode> = {
  'CALENDAR.INVALID': 'internal',
};

export class CalendarError extends DomainError {
  declare readonly code: CalendarErrorCode;

  constructor(code: CalendarErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
