import { DomainError, ErrorKinds } from '@app/domain';

/** Refusals of the policy console: who may sign in, and what a signed-in user may do. */
export type ConsoleErrorCode =
  | 'CONSOLE.BAD_CREDENTIALS'
  | 'CONSOLE.SIGN_IN_BACKOFF'
  | 'CONSOLE.NOT_SIGNED_IN'
  | 'CONSOLE.CSRF_REFUSED'
  | 'CONSOLE.ROLE_REQUIRED'
  | 'CONSOLE.INVALID_SIGN_IN'
  | 'CONSOLE.UNKNOWN_MEMORANDUM'
  | 'CONSOLE.INVALID_DRAFT';

export const CONSOLE_ERROR_KINDS: ErrorKinds<ConsoleErrorCode> = {
  'CONSOLE.BAD_CREDENTIALS': 'unauthenticated',
  'CONSOLE.SIGN_IN_BACKOFF': 'rate-limited',
  'CONSOLE.NOT_SIGNED_IN': 'unauthenticated',
  'CONSOLE.CSRF_REFUSED': 'forbidden',
  'CONSOLE.ROLE_REQUIRED': 'forbidden',
  'CONSOLE.INVALID_SIGN_IN': 'invalid',
  'CONSOLE.UNKNOWN_MEMORANDUM': 'not-found',
  'CONSOLE.INVALID_DRAFT': 'invalid',
};

/** Context never carries a password, a session token or a CSRF token. */
export class ConsoleError extends DomainError {
  declare readonly code: ConsoleErrorCode;

  constructor(code: ConsoleErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
