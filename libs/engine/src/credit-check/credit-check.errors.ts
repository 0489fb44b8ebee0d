import { DomainError } from '@app/domain';

export type CreditCheckErrorCode =
  | 'CHECK.UNKNOWN_APPROVAL_ITEM'
  | 'CHECK.MISSING_APPROVAL_ITEM'
  | 'CHECK.BAD_PURPOSE'
  | 'CHECK.USER_ID_REQUIRED'
  | 'CHECK.PURPOSE_REQUIRED'
  | 'CHECK.BURST_REFUSED'
  | 'CHECK.INVALID_APPROVAL_ITEMS'
  | 'AUDIT.BAD_TIME_RANGE'
  | 'AUDIT.BAD_USER_ID'
  | 'PUBLIC.BAD_LIST_TYPE'
  | 'PUBLIC.UNKNOWN_LIST';

/**
 * Refusals of a credit check, an audit read or a public listing, and a broken approval-items
 * file at start-up (CHECK.INVALID_APPROVAL_ITEMS). Context names no natural person.
 */
export class CreditCheckError extends DomainError {
  declare readonly code: CreditCheckErrorCode;

  constructor(code: CreditCheckErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
