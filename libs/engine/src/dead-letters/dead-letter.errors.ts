import { DomainError } from '@app/domain';
import type { DeadLetterCipherErrorCode } from '@app/persistence';

export type DeadLetterErrorCode = 'DEAD_LETTER.NOT_FOUND' | DeadLetterCipherErrorCode;

/** A dead letter the caller may not see is not found, whether or not it exists: no existence oracle. */
export class DeadLetterError extends DomainError {
  declare readonly code: DeadLetterErrorCode;

  constructor(code: DeadLetterErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
