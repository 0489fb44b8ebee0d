import { DomainError, ErrorKinds } from '@app/domain';
import { isMemorandumFileName } from '@app/rules';

/** Refusals of the policy console: who may sign in, and what a signed-in user may do. */
export type ConsoleErrorCode =
  | 'CONSOLE.BAD_CREDENTIALS'
  | 'CONSOLE.SIGN_IN_BACKOFF'
  | 'CONSOLE.NOT_SIGNED_IN'
  | 'CONSOLE.CSRF_REFUSED'
  | 'CONSOLE.ROLE_REQUIRED'
  | 'CONSOLE.INVALID_SIGN_IN'
  | 'CONSOLE.UNKNOWN_MEMORANDUM'
  | 'CONSOLE.INVALID_DRAFT'
  | 'CONSOLE.DRAFT_REFUSED';

export const CONSOLE_ERROR_KINDS: ErrorKinds<ConsoleErrorCode> = {
  'CONSOLE.BAD_CREDENTIALS': 'unauthenticated',
  'CONSOLE.SIGN_IN_BACKOFF': 'rate-limited',
  'CONSOLE.NOT_SIGNED_IN': 'unauthenticated',
  'CONSOLE.CSRF_REFUSED': 'forbidden',
  'CONSOLE.ROLE_REQUIRED': 'forbidden',
  'CONSOLE.INVALID_SIGN_IN': 'invalid',
  'CONSOLE.UNKNOWN_MEMORANDUM': 'not-found',
  'CONSOLE.INVALID_DRAFT': 'invalid',
  'CONSOLE.DRAFT_REFUSED': 'unprocessable',
};

/** Context never carries a password, a session token or a CSRF token. */
export class ConsoleError extends DomainError {
  declare readonly code: ConsoleErrorCode;

  constructor(code: ConsoleErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

/** Memorandum ids are kebab-case words (`judgment-debtors`): only such a text is quoted back, never a resident ID pasted into a path. */
const MEMORANDUM_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function isMemorandumId(id: string): boolean {
  return MEMORANDUM_ID.test(id);
}

/** What an audit row names for a memorandum asked for by path: the id, or a placeholder for any other text (which may be personal data). */
export function auditedMemorandumId(id: string): string {
  return isMemorandumId(id) ? id.slice(0, 80) : '(not a memorandum id)';
}

export function unknownMemorandum(id: string, reason = 'in the rule set in force'): ConsoleError {
  const named = MEMORANDUM_ID.test(id) ? id.slice(0, 80) : undefined;
  return new ConsoleError('CONSOLE.UNKNOWN_MEMORANDUM', named ? `no memorandum "${named}" ${reason}` : `no such memorandum ${reason}`, named ? { memorandum: named } : {});
}

/** What an audit row names for a draft's file as a body gave it: the file name, or a placeholder for any other value. */
export function auditedDraftFile(file: unknown): string {
  return typeof file === 'string' && isMemorandumFileName(file) ? file.slice(0, 120) : '(not a memorandum file)';
}
