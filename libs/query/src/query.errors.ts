import { DomainError, ErrorKinds } from '@app/domain';

/** Refusals of an audit read, a public listing or a measure terms lookup: parameters the caller got wrong, or terms no decision cites. */
export type QueryErrorCode = 'AUDIT.BAD_TIME_RANGE' | 'AUDIT.BAD_USER_ID' | 'PUBLIC.BAD_LIST_TYPE' | 'PUBLIC.UNKNOWN_LIST' | 'MEASURE_TERMS.BAD_REF' | 'MEASURE_TERMS.NOT_FOUND';

export const QUERY_ERROR_KINDS: ErrorKinds<QueryErrorCode> = {
  'AUDIT.BAD_TIME_RANGE': 'invalid',
  'AUDIT.BAD_USER_ID': 'invalid',
  'PUBLIC.BAD_LIST_TYPE': 'invalid',
  'PUBLIC.UNKNOWN_LIST': 'invalid',
  'MEASURE_TERMS.BAD_REF': 'invalid',
  'MEASURE_TERMS.NOT_FOUND': 'not-found',
};

/** Context names no natural person. */
export class QueryError extends DomainError {
  declare readonly code: QueryErrorCode;

  constructor(code: QueryErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
