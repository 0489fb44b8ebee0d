import { DomainError, ErrorKinds } from '@app/domain';

export type ExchangeErrorCode = 'EXCHANGE.INVALID_CONFIG';

/** A broken exchange file stops the boot: no link runs on a half-read configuration. */
export const EXCHANGE_ERROR_KINDS: ErrorKinds<ExchangeErrorCode> = {
  'EXCHANGE.INVALID_CONFIG': 'internal',
};

export class ExchangeError extends DomainError {
  declare readonly code: ExchangeErrorCode;

  constructor(code: ExchangeErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
