import { DomainError, ErrorKinds } from '@app/domain';

export type ExchangeErrorCode = 'EXCHANGE.INVALID_CONFIG' | 'EXCHANGE.LOOPED';

/**
 * A broken exchange file stops the boot: no link runs on a half-read configuration. A relayed
 * event whose route already passed this deployment has come back: it is this deployment's own
 * (or a copy of it), and deciding it again would count one conduct twice.
 */
export const EXCHANGE_ERROR_KINDS: ErrorKinds<ExchangeErrorCode> = {
  'EXCHANGE.INVALID_CONFIG': 'internal',
  'EXCHANGE.LOOPED': 'unprocessable',
};

export class ExchangeError extends DomainError {
  declare readonly code: ExchangeErrorCode;

  constructor(code: ExchangeErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
