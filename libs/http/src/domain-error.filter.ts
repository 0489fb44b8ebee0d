import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { DomainError, isDomainError, isTransient } from '@app/domain';
import { ErrorCode, httpStatusFor, isErrorCode } from './error-status';
import { HttpRefusal } from './http.errors';

/** Wire shape of every error: a stable code to switch on and a message for a person. */
export interface ErrorBody {
  error: { code: string; message: string; violations?: unknown[]; context?: Record<string, unknown> };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string | string[]>;
}

/** Seconds a caller should wait before retrying while the database or broker is away. */
export const RETRY_AFTER_SECONDS = 5;

/** What body-parser passes to `next()`: a plain error with a type and a status, not an HttpException. */
interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
  length?: number;
}

/** What the filter needs of the app's HTTP adapter (Express or Fastify) to answer on its response object. */
export type ErrorReplies = Pick<AbstractHttpAdapter, 'setHeader' | 'reply'>;

/** Fastify's own refusals before Nest's routing (a malformed URL, a content length that lies): a FastifyError. */
interface FrameworkError {
  code: string;
  statusCode: number;
}

/**
 * The one place errors become HTTP responses. Services throw domain errors; this maps them
 * (and the framework's own, such as a malformed or over-size body, and an unreachable
 * database or broker) to a status with a code and a message.
 */
/** The challenge of the department routes: an opaque bearer token from config/departments.json. */
const DEPARTMENT_CHALLENGE = 'Bearer realm="departments"';

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  constructor(private readonly replies: ErrorReplies) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.send(exception, host.switchToHttp().getResponse<unknown>());
  }

  /** Also used for errors raised before Nest's routing (the body parser, the management check), with the platform's response object. */
  send(exception: unknown, response: unknown): void {
    const { status, body, headers } = this.toResponse(exception);
    if (status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (status === HttpStatus.SERVICE_UNAVAILABLE) this.logger.warn(`answering 503: ${exception instanceof Error ? exception.message : String(exception)}`);
    // An array value (WWW-Authenticate's two challenges) becomes one header line each, on either platform.
    for (const [name, value] of Object.entries(headers ?? {})) this.replies.setHeader(response, name, value as string);
    this.replies.reply(response, body, status);
  }

  toResponse(exception: unknown): ErrorResponse {
    if (exception instanceof HttpRefusal) return { status: httpStatusFor(exception.code), body: { error: describe(exception) }, headers: { ...exception.headers } };
    if (isDomainError(exception)) {
      const status = statusOf(exception);
      // A refusal that ends by itself (a burst window) says when, as a 429 should; a 401 says how to authenticate (RFC 9110 §11.6.1, RFC 6750).
      const wait = (exception.context as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      const headers = {
        ...(Number.isInteger(wait) && (wait as number) > 0 ? { 'Retry-After': String(wait) } : {}),
        ...(status === HttpStatus.UNAUTHORIZED ? { 'WWW-Authenticate': DEPARTMENT_CHALLENGE } : {}),
      };
      return { status, body: { error: describe(exception) }, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
    }
    if (isBodyParserError(exception)) return bodyParserResponse(exception);
    if (isFrameworkError(exception)) return frameworkResponse(exception);
    if (isServiceUnavailable(exception)) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: error('SERVICE.UNAVAILABLE', `the service cannot reach its database or broker just now; nothing was stored; retry after ${RETRY_AFTER_SECONDS} seconds`),
        headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // body-parser reports unparseable JSON as a 400 whose type is entity.parse.failed.
      const parseFailed = (exception.cause as { type?: string } | undefined)?.type === 'entity.parse.failed' || /JSON/.test(exception.message);
      if (status === HttpStatus.BAD_REQUEST && parseFailed) return { status, body: error('EVENT.MALFORMED_JSON', 'request body is not valid JSON') };
      const code: ErrorCode = status === HttpStatus.NOT_FOUND ? 'REQUEST.NOT_FOUND' : status === HttpStatus.PAYLOAD_TOO_LARGE ? 'REQUEST.TOO_LARGE' : status < 500 ? 'REQUEST.INVALID' : 'INTERNAL';
      return { status, body: error(code, exception.message) };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: error('INTERNAL', 'internal error; see the server log') };
  }
}

/**
 * The database or broker cannot serve the request now: the consumers' transient conditions,
 * and PostgreSQL refusing connections to a database closed for maintenance
 * (ALTER DATABASE … ALLOW_CONNECTIONS false) or gone while the app runs.
 */
function isServiceUnavailable(exception: unknown): boolean {
  if (isTransient(exception)) return true;
  const candidate = exception as { code?: unknown; message?: unknown; driverError?: unknown } | null;
  if (!(exception instanceof Error) || candidate === null) return false;
  if (candidate.code === '3D000' || (candidate.code === '55000' && /not currently accepting connections/.test(String(candidate.message)))) return true;
  return candidate.driverError !== undefined && isServiceUnavailable(candidate.driverError);
}

/** Only a code outside every family lacks a kind (error-status.spec.ts finds any written in the source): a fault, logged. */
function statusOf(domainError: DomainError): HttpStatus {
  return isErrorCode(domainError.code) ? httpStatusFor(domainError.code) : HttpStatus.INTERNAL_SERVER_ERROR;
}

function error(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

function isBodyParserError(value: unknown): value is BodyParserError {
  const candidate = value as Partial<BodyParserError> | null;
  return value instanceof Error && typeof candidate?.type === 'string' && typeof candidate.status === 'number';
}

function bodyParserResponse(parserError: BodyParserError): ErrorResponse {
  switch (parserError.type) {
    case 'entity.too.large':
      return {
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        body: error('REQUEST.TOO_LARGE', `request body${parserError.length ? ` of ${parserError.length} bytes` : ''} is over this endpoint's limit of ${parserError.limit} bytes (${kib(parserError.limit)})`),
        // The rest of the body is left unread: the connection is closed after the answer rather
        // than offered to the client again with that rest still in it.
        headers: { Connection: 'close' },
      };
    case 'entity.parse.failed':
      return { status: HttpStatus.BAD_REQUEST, body: error('EVENT.MALFORMED_JSON', 'request body is not valid JSON') };
    default:
      // Unsupported charset or encoding (415), an aborted or mis-sized upload (400).
      return parserError.status >= 400 && parserError.status < 500
        ? { status: parserError.status, body: error('REQUEST.INVALID', `request body cannot be read (${parserError.type})`) }
        : { status: HttpStatus.INTERNAL_SERVER_ERROR, body: error('INTERNAL', 'internal error; see the server log') };
  }
}

function isFrameworkError(value: unknown): value is FrameworkError {
  const candidate = value as Partial<FrameworkError> | null;
  return value instanceof Error && typeof candidate?.code === 'string' && candidate.code.startsWith('FST_') && typeof candidate.statusCode === 'number';
}

/** Fastify's 4xx keep their status with the edge's codes; anything else is a fault, logged. */
function frameworkResponse(frameworkError: FrameworkError): ErrorResponse {
  const status = frameworkError.statusCode;
  if (status < 400 || status >= 500) return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: error('INTERNAL', 'internal error; see the server log') };
  const code: ErrorCode = status === HttpStatus.NOT_FOUND ? 'REQUEST.NOT_FOUND' : status === HttpStatus.PAYLOAD_TOO_LARGE ? 'REQUEST.TOO_LARGE' : 'REQUEST.INVALID';
  return { status, body: error(code, `request cannot be read (${frameworkError.code})`) };
}

function kib(bytes: number | undefined): string {
  return bytes === undefined ? 'unknown' : bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

function describe(domainError: DomainError): ErrorBody['error'] {
  const { violations, ...context } = domainError.context as { violations?: unknown[] };
  return { code: domainError.code, message: domainError.message, ...(violations ? { violations } : {}), ...(Object.keys(context).length ? { context } : {}) };
}
