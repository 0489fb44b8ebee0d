import { DomainError } from './domain.errors';
import type { ErrorKinds } from './error-kind';

/** A read's parameters that are wrong whatever is read: shared by the feeds, lists, audit and status reads. */
export type RequestErrorCode = 'REQUEST.INVALID' | 'REQUEST.BAD_CURSOR' | 'REQUEST.BAD_LIMIT';

export const REQUEST_ERROR_KINDS: ErrorKinds<RequestErrorCode> = {
  'REQUEST.INVALID': 'invalid',
  'REQUEST.BAD_CURSOR': 'invalid',
  'REQUEST.BAD_LIMIT': 'invalid',
};

export class RequestError extends DomainError {
  declare readonly code: RequestErrorCode;

  constructor(code: RequestErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
