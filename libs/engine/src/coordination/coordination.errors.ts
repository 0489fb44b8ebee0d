import { DomainError, ErrorKinds } from '@app/domain';

export type CoordinationErrorCode = 'COORDINATION.INVALID_CRITERIA';

/** A broken criteria file stops the boot: no major case may go unnoticed on a half-read file. */
export const COORDINATION_ERROR_KINDS: ErrorKinds<CoordinationErrorCode> = {
  'COORDINATION.INVALID_CRITERIA': 'internal',
};

export class CoordinationError extends DomainError {
  declare readonly code: CoordinationErrorCode;

  constructor(code: CoordinationErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
