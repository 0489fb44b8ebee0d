import { DomainError, ErrorKinds } from '@app/domain';

export type BulletinErrorCode = 'BULLETIN.INVALID_REQUEST' | 'BULLETIN.PERIOD_NOT_OVER' | 'BULLETIN.CREDIT_OFFICE_ONLY' | 'BULLETIN.ALREADY_ISSUED' | 'BULLETIN.NOT_FOUND';

/**
 * A bulletin is issued by the credit office (or its schedule) for a month or quarter that has
 * ended, once; every government department reads every bulletin.
 */
export const BULLETIN_ERROR_KINDS: ErrorKinds<BulletinErrorCode> = {
  'BULLETIN.INVALID_REQUEST': 'invalid',
  'BULLETIN.PERIOD_NOT_OVER': 'unprocessable',
  'BULLETIN.CREDIT_OFFICE_ONLY': 'forbidden',
  'BULLETIN.ALREADY_ISSUED': 'conflict',
  'BULLETIN.NOT_FOUND': 'not-found',
};

export class BulletinError extends DomainError {
  declare readonly code: BulletinErrorCode;

  constructor(code: BulletinErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
