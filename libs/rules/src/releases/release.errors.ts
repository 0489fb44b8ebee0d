import { DomainError, ErrorKinds } from '@app/domain';
import { RuleProblem } from '../loader/rule-set.errors';

export type ReleaseErrorCode =
  | 'RELEASE.INVALID_REQUEST'
  | 'RELEASE.NOT_FOUND'
  | 'RELEASE.INVALID_CONTENT'
  | 'RELEASE.FOUR_EYES'
  | 'RELEASE.NOT_DRAFT'
  | 'RELEASE.NOT_APPROVED'
  | 'RELEASE.EFFECTIVE_TOO_SOON'
  | 'RELEASE.NO_CHANGE'
  | 'RELEASE.BASE_CHANGED';

export const RELEASE_ERROR_KINDS: ErrorKinds<ReleaseErrorCode> = {
  'RELEASE.INVALID_REQUEST': 'invalid',
  'RELEASE.NOT_FOUND': 'not-found',
  'RELEASE.INVALID_CONTENT': 'unprocessable',
  'RELEASE.FOUR_EYES': 'forbidden',
  'RELEASE.NOT_DRAFT': 'conflict',
  'RELEASE.NOT_APPROVED': 'conflict',
  'RELEASE.EFFECTIVE_TOO_SOON': 'unprocessable',
  'RELEASE.NO_CHANGE': 'conflict',
  'RELEASE.BASE_CHANGED': 'conflict',
};

/** A release request refused: bad input, a broken rule set, or an approval the four-eyes rule or the schedule forbids. */
export class ReleaseError extends DomainError {
  declare readonly code: ReleaseErrorCode;

  constructor(code: ReleaseErrorCode, message: string, context: { version?: number; revision?: string; problems?: RuleProblem[]; draftedOn?: string; inForce?: string } = {}) {
    super(code, message, context);
  }
}
