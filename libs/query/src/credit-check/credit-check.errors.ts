import { DomainError, ErrorKinds } from '@app/domain';

export type CreditCheckErrorCode =
  | 'CHECK.UNKNOWN_APPROVAL_ITEM'
  | 'CHECK.MISSING_APPROVAL_ITEM'
  | 'CHECK.BAD_PURPOSE'
  | 'CHECK.USER_ID_REQUIRED'
  | 'CHECK.PURPOSE_REQUIRED'
  | 'CHECK.BURST_REFUSED'
  | 'CHECK.INVALID_APPROVAL_ITEMS'
  | 'SUBJECT.AMBIGUOUS_ID_TYPE';

export const CREDIT_CHECK_ERROR_KINDS: ErrorKinds<CreditCheckErrorCode> = {
  'CHECK.UNKNOWN_APPROVAL_ITEM': 'invalid',
  'CHECK.MISSING_APPROVAL_ITEM': 'invalid',
  'CHECK.BAD_PURPOSE': 'invalid',
  'CHECK.USER_ID_REQUIRED': 'invalid',
  'CHECK.PURPOSE_REQUIRED': 'invalid',
  'CHECK.BURST_REFUSED': 'rate-limited',
  'CHECK.INVALID_APPROVAL_ITEMS': 'internal',
  'SUBJECT.AMBIGUOUS_ID_TYPE': 'unprocessable',
};

/**
 * Refusals of a credit check (an identifier that needs its idType among them), and a broken
 * approval-items file at start-up (CHECK.INVALID_APPROVAL_ITEMS).
 * Context names no natural person.
 */
export class CreditCheckError extends DomainError {
  declare readonly code: CreditCheckErrorCode;

  constructor(code: CreditCheckErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
