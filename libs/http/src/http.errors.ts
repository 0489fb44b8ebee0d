import { DomainError } from '@app/domain';

export type HttpRefusalCode = 'REQUEST.RATE_LIMITED' | 'DEPARTMENT.AUTH_BACKOFF' | 'MANAGEMENT.NOT_AUTHENTICATED';

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
