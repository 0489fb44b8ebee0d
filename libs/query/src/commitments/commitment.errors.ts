import { DomainError, ErrorKinds } from '@app/domain';

export type CommitmentErrorCode =
  | 'REQUEST.INVALID_COMMITMENT'
  | 'COMMITMENT.NOT_FOUND'
  | 'COMMITMENT.NOT_RECORDING_DEPARTMENT'
  | 'COMMITMENT.NOT_ALLOWED'
  | 'COMMITMENT.REFERENCE_REUSED'
  | 'COMMITMENT.ALREADY_CLOSED'
  | 'COMMITMENT.DATE_IN_FUTURE'
  | 'COMMITMENT.DATE_BEFORE_APPROVAL'
  | 'COMMITMENT.PAST_DUE'
  | 'COMMITMENT.NOT_CORRECTABLE'
  | 'COMMITMENT.CORRECTION_TOO_LATE';

/** Another department's commitment is forbidden; a report its state or dates contradict is a conflict or unprocessable. */
export const COMMITMENT_ERROR_KINDS: ErrorKinds<CommitmentErrorCode> = {
  'REQUEST.INVALID_COMMITMENT': 'invalid',
  'COMMITMENT.NOT_FOUND': 'not-found',
  'COMMITMENT.NOT_RECORDING_DEPARTMENT': 'forbidden',
  'COMMITMENT.NOT_ALLOWED': 'forbidden',
  'COMMITMENT.REFERENCE_REUSED': 'conflict',
  'COMMITMENT.ALREADY_CLOSED': 'conflict',
  'COMMITMENT.DATE_IN_FUTURE': 'unprocessable',
  'COMMITMENT.DATE_BEFORE_APPROVAL': 'unprocessable',
  'COMMITMENT.PAST_DUE': 'conflict',
  'COMMITMENT.NOT_CORRECTABLE': 'conflict',
  'COMMITMENT.CORRECTION_TOO_LATE': 'conflict',
};

/** Refusals of a commitment's recording, read, fulfilment or breach; context names no natural person. */
export class CommitmentError extends DomainError {
  declare readonly code: CommitmentErrorCode;

  constructor(code: CommitmentErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
