import { DomainError, ErrorKinds } from '@app/domain';

/** Refusals of an audit read or a public listing: parameters the caller got wrong. */
export type QueryErrorCode = 'AUDIT.BAD_TIME_RANGE' | 'AUDIT.BAD_USER_ID' | 'PUBLIC.BAD_LIST_TYPE' | 'PUBLIC.UNKNOWN_LIST';

export const QUERY_ERROR_KINDS: ErrorKinds<QueryErrorCode> = {
  'AUDIT.BAD_TIME_RANGE': 'invalid',
  'AUDIT.BAD_USER_ID': 'invalid',
  'PUBLIC.BAD_LIST_TYPE': 'invalid',
  'PUBLIC.UNKNOWN_LIST': 'invalid',
};

/** Context names no natural person. */
export class QueryError extends DomainError {
  declare readonly code: QueryErrorCode;

  constructor(code: QueryErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
