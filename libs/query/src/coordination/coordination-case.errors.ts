import { DomainError, ErrorKinds } from '@app/domain';

export type CoordinationCaseErrorCode = 'COORDINATION.CASE_NOT_FOUND' | 'COORDINATION.CREDIT_OFFICE_ONLY' | 'COORDINATION.INVALID_MINUTES' | 'COORDINATION.CASE_CLOSED';

/** A case that does not concern the caller is not found, as an unknown one: no existence oracle. */
export const COORDINATION_CASE_ERROR_KINDS: ErrorKinds<CoordinationCaseErrorCode> = {
  'COORDINATION.CASE_NOT_FOUND': 'not-found',
  'COORDINATION.CREDIT_OFFICE_ONLY': 'forbidden',
  'COORDINATION.INVALID_MINUTES': 'invalid',
  'COORDINATION.CASE_CLOSED': 'conflict',
};

export class CoordinationCaseError extends DomainError {
  declare readonly code: CoordinationCaseErrorCode;

  constructor(code: CoordinationCaseErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
