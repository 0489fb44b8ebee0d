import { DomainError, ErrorKinds } from '@app/domain';

export type CreditReportErrorCode =
  | 'REPORT.INVALID_REQUEST'
  | 'REPORT.UNKNOWN_USE'
  | 'REPORT.PURPOSE_REQUIRED'
  | 'REPORT.BAD_PURPOSE'
  | 'REPORT.USER_ID_REQUIRED'
  | 'REPORT.BURST_REFUSED'
  | 'REPORT.ISSUE_LIMITED'
  | 'REPORT.NOT_FOUND'
  | 'REPORT.NOT_VERIFIED'
  | 'REPORT.VERIFICATION_BUSY'
  | 'REPORT.BAD_FONT';

/**
 * A report another department issued reads as not found, like an unknown one (no probing of
 * numbers); a wrong verification code and an unknown number are one answer too.
 */
export const CREDIT_REPORT_ERROR_KINDS: ErrorKinds<CreditReportErrorCode> = {
  'REPORT.INVALID_REQUEST': 'invalid',
  'REPORT.UNKNOWN_USE': 'invalid',
  'REPORT.PURPOSE_REQUIRED': 'invalid',
  'REPORT.BAD_PURPOSE': 'invalid',
  'REPORT.USER_ID_REQUIRED': 'invalid',
  'REPORT.BURST_REFUSED': 'rate-limited',
  'REPORT.ISSUE_LIMITED': 'rate-limited',
  'REPORT.NOT_FOUND': 'not-found',
  'REPORT.NOT_VERIFIED': 'not-found',
  'REPORT.VERIFICATION_BUSY': 'unavailable',
  'REPORT.BAD_FONT': 'internal',
};

/** Refusals of a credit report's issue, read or verification, and a report font refused at start-up (REPORT.BAD_FONT). Context names no natural person. */
export class CreditReportError extends DomainError {
  declare readonly code: CreditReportErrorCode;

  constructor(code: CreditReportErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
