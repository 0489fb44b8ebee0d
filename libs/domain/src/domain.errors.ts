import type { ErrorKinds } from './error-kind';

/**
 * Errors raised by domain rules. `code` is a stable machine key that callers may
 * switch on and clients may translate; `message` is written for a department
 * clerk. Neither `message` nor `context` may carry a natural person's full
 * identifier, because both end up in logs and API responses.
 *
 * Abstract so that every code belongs to a family: a subclass typed by its code union, with
 * the union's `ErrorKinds` map beside it (error-kind.ts).
 */
export abstract class DomainError extends Error {
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

export const INVALID_IDENTIFIER_KINDS: ErrorKinds<InvalidIdentifierCode> = {
  'SUBJECT.BAD_LENGTH': 'unprocessable',
  'SUBJECT.BAD_CHARACTER': 'unprocessable',
  'SUBJECT.BAD_CHECK_DIGIT': 'unprocessable',
  'SUBJECT.BAD_DIVISION': 'unprocessable',
  'SUBJECT.BAD_BIRTH_DATE': 'unprocessable',
  'SUBJECT.UNKNOWN_ID_TYPE': 'unprocessable',
  'SUBJECT.ID_TYPE_MISMATCH': 'unprocessable',
};

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

/**
 * An error named for a log line, without its message: a database or broker error's text can quote
 * the values it failed on (resident IDs, names). Its class, and PostgreSQL's SQLSTATE or kafkajs'
 * error type when it has one, say enough to find the cause.
 */
export function describeFailure(error: unknown): string {
  const { name, code, type } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown; type?: unknown };
  const detail = typeof code === 'string' ? ` (SQLSTATE ${code})` : typeof type === 'string' ? ` (${type})` : '';
  return `${typeof name === 'string' ? name : 'Error'}${detail}`;
}
