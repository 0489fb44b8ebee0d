import { DomainError, ErrorKinds } from '@app/domain';
import { DEAD_LETTER_CIPHER_ERROR_KINDS, DeadLetterCipherErrorCode } from '@app/persistence';

export type DeadLetterErrorCode = 'DEAD_LETTER.NOT_FOUND' | DeadLetterCipherErrorCode;

export const DEAD_LETTER_ERROR_KINDS: ErrorKinds<DeadLetterErrorCode> = {
  'DEAD_LETTER.NOT_FOUND': 'not-found',
  ...DEAD_LETTER_CIPHER_ERROR_KINDS,
};

/** A dead letter the caller may not see is not found, whether or not it exists: no existence oracle. */
export class DeadLetterError extends DomainError {
  declare readonly code: DeadLetterErrorCode;

  constructor(code: DeadLetterErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
