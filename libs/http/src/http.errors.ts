import { DomainError, ErrorKinds } from '@app/domain';

export type HttpRefusalCode = 'REQUEST.RATE_LIMITED' | 'DEPARTMENT.AUTH_BACKOFF' | 'MANAGEMENT.NOT_AUTHENTICATED' | 'REQUEST.UNSUPPORTED_MEDIA_TYPE';

export const HTTP_REFUSAL_KINDS: ErrorKinds<HttpRefusalCode> = {
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 'unsupported-media-type',
  'REQUEST.RATE_LIMITED': 'rate-limited',
  'DEPARTMENT.AUTH_BACKOFF': 'rate-limited',
  'MANAGEMENT.NOT_AUTHENTICATED': 'unauthenticated',
};

/**
 * What the HTTP filter answers for failures that are not domain errors: an unknown route, a body
 * over the limit, the database or broker away, and anything unexpected.
 */
export type HttpEdgeCode = 'REQUEST.NOT_FOUND' | 'REQUEST.MALFORMED' | 'REQUEST.TOO_LARGE' | 'SERVICE.UNAVAILABLE' | 'INTERNAL';

export const HTTP_EDGE_KINDS: ErrorKinds<HttpEdgeCode> = {
  'REQUEST.NOT_FOUND': 'not-found',
  'REQUEST.MALFORMED': 'invalid',
  'REQUEST.TOO_LARGE': 'too-large',
  'SERVICE.UNAVAILABLE': 'unavailable',
  'INTERNAL': 'internal',
};

/**
 * A refusal decided at the HTTP edge (limits, backoff, management access), with the headers
 * that tell the caller what to do next (Retry-After, WWW-Authenticate).
 */
export class HttpRefusal extends DomainError {
  declare readonly code: HttpRefusalCode;

  constructor(
    code: HttpRefusalCode,
    message: string,
    readonly headers: Readonly<Record<string, string | string[]>>,
    context: Record<string, unknown> = {},
  ) {
    super(code, message, context);
  }
}
