/**
 * Errors raised by domain rules. `code` is a stable machine key that callers may
 * switch on and clients may translate; `message` is written for a department
 * clerk. Neither `message` nor `context` may carry a natural person's full
 * identifier, because both end up in logs and API responses.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type InvalidIdentifierCode =
  | 'SUBJECT.BAD_LENGTH'
  | 'SUBJECT.BAD_CHARACTER'
  | 'SUBJECT.BAD_CHECK_DIGIT'
  | 'SUBJECT.BAD_DIVISION'
  | 'SUBJECT.BAD_BIRTH_DATE'
  | 'SUBJECT.UNKNOWN_ID_TYPE'
  | 'SUBJECT.ID_TYPE_MISMATCH';

export class InvalidIdentifierError extends DomainError {
  declare readonly code: InvalidIdentifierCode;

  constructor(code: InvalidIdentifierCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

export interface DomainErrorPayload {
  code: string;
  message: string;
  context: Record<string, unknown>;
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

export function toDomainErrorPayload(error: DomainError): DomainErrorPayload {
  return { code: error.code, message: error.message, context: { ...error.context } };
}
