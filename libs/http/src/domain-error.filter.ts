import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';
import { DomainError, isDomainError, isTransient } from '@app/domain';
import { ErrorCode, httpStatusFor, isErrorCode } from './error-status';
import { HttpRefusal } from './http.errors';
import { PROBLEM_JSON, problemDetails, ProblemDetails } from './problem-details';

export interface ErrorResponse {
  status: number;
  body: ProblemDetails;
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

/** The challenge of the department routes: an opaque bearer token from config/departments.json. */
const DEPARTMENT_CHALLENGE = 'Bearer realm="departments"';

/**
 * The one place errors become HTTP responses. Services throw domain errors; this maps them
 * (and the framework's own, such as a malformed or over-size body, and an unreachable
 * database or broker) to a status and an RFC 9457 problem with the stable code.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  constructor(private readonly replies: ErrorReplies) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    // The engine's consumers share the app's filters (inheritAppConfig): a handler's failure goes
    // back to its transport as it was, for the retry policy to judge (isTransient), not answered
    // as HTTP on a response that is not there (which threw a TypeError in its place).
    if (host.getType() !== 'http') return throwError(() => exception);
    this.send(exception, host.switchToHttp().getResponse<unknown>());
  }

  /** Also used for errors raised before Nest's routing (the body parser, the management check), with the platform's response object. */
  send(exception: unknown, response: unknown): void {
    const { status, body, headers } = this.toResponse(exception);
    if (status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (status === HttpStatus.SERVICE_UNAVAILABLE) this.logger.warn(`answering 503: ${exception instanceof Error ? exception.message : String(exception)}`);
    // An array value (WWW-Authenticate's two challenges) becomes one header line each, on either platform.
    for (const [name, value] of Object.entries(headers ?? {})) this.replies.setHeader(response, name, value as string);
    // Sent as text: Nest's Express adapter would replace any media type but application/json on an object error body.
    this.replies.setHeader(response, 'Content-Type', `${PROBLEM_JSON}; charset=utf-8`);
    this.replies.reply(response, JSON.stringify(body), status);
  }

  toResponse(exception: unknown): ErrorResponse {
    if (exception instanceof HttpRefusal) return { status: httpStatusFor(exception.code), body: describe(exception, httpStatusFor(exception.code)), headers: { ...exception.headers } };
    if (isDomainError(exception)) {
      const status = statusOf(exception);
      // A refusal that ends by itself (a burst window) says when, as a 429 should; a 401 says how to authenticate (RFC 9110 §11.6.1, RFC 6750).
      const wait = (exception.context as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      const headers = {
        ...(Number.isInteger(wait) && (wait as number) > 0 ? { 'Retry-After': String(wait) } : {}),
        ...(status === HttpStatus.UNAUTHORIZED ? { 'WWW-Authenticate': DEPARTMENT_CHALLENGE } : {}),
      };
      return { status, body: describe(exception, status), ...(Object.keys(headers).length > 0 ? { headers } : {}) };
    }
    if (isBodyParserError(exception)) return bodyParserResponse(exception);
    if (isFrameworkError(exception)) return frameworkResponse(exception);
    if (isServiceUnavailable(exception)) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: problem('SERVICE.UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE, `the service cannot reach its database or broker just now; nothing was stored; retry after ${RETRY_AFTER_SECONDS} seconds`),
        headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      };
    }
    const readiness = readinessFailure(exception);
    if (readiness) {
      // Terminus' failed readiness: the report says which check failed and why (a held rule release, a database away); open like the health route itself.
      const failing = Object.keys(readiness.error ?? {});
      return { status: HttpStatus.SERVICE_UNAVAILABLE, body: problemDetails('SERVICE.UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE, `not ready: ${failing.join(', ') || 'a check failed'}; context.readiness has the report`, { context: { readiness } }) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // body-parser reports unparseable JSON as a 400 whose type is entity.parse.failed.
      const parseFailed = (exception.cause as { type?: string } | undefined)?.type === 'entity.parse.failed' || /JSON/.test(exception.message);
      if (status === HttpStatus.BAD_REQUEST && parseFailed) return { status, body: problem('EVENT.MALFORMED_JSON', status, 'request body is not valid JSON') };
      if (status >= 500) return { status, body: problem('INTERNAL', status, exception.message) };
      // The router's "Cannot GET <url>" quotes the path and query, which may carry a resident ID: a route not found is said in fixed words.
      if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(exception.message)) return { status, body: problem('REQUEST.NOT_FOUND', status, 'no route serves this method and path') };
      return { status, body: problem(edgeCodeFor(status), status, exception.message) };
    }
    return INTERNAL_RESPONSE;
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

/** The report of a failed health check (Terminus throws a 503 whose response is it): `{ status: 'error', info, error, details }`. */
function readinessFailure(exception: unknown): { status: string; info?: Record<string, unknown>; error?: Record<string, unknown>; details: Record<string, unknown> } | undefined {
  if (!(exception instanceof HttpException) || exception.getStatus() !== HttpStatus.SERVICE_UNAVAILABLE) return undefined;
  const response = exception.getResponse() as { status?: unknown; details?: unknown } | string;
  if (typeof response !== 'object' || response.status !== 'error' || typeof response.details !== 'object' || response.details === null) return undefined;
  return response as { status: string; details: Record<string, unknown> };
}

/** Only a code outside every family lacks a kind (error-status.spec.ts finds any written in the source): a fault, logged. */
function statusOf(domainError: DomainError): HttpStatus {
  return isErrorCode(domainError.code) ? httpStatusFor(domainError.code) : HttpStatus.INTERNAL_SERVER_ERROR;
}

function problem(code: ErrorCode, status: number, message: string): ProblemDetails {
  return problemDetails(code, status, message);
}

const INTERNAL_RESPONSE: ErrorResponse = { status: HttpStatus.INTERNAL_SERVER_ERROR, body: problem('INTERNAL', HttpStatus.INTERNAL_SERVER_ERROR, 'internal error; see the server log') };


function isBodyParserError(value: unknown): value is BodyParserError {
  const candidate = value as Partial<BodyParserError> | null;
  return value instanceof Error && typeof candidate?.type === 'string' && typeof candidate.status === 'number';
}

function bodyParserResponse(parserError: BodyParserError): ErrorResponse {
  switch (parserError.type) {
    case 'entity.too.large':
      return {
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        body: problem('REQUEST.TOO_LARGE', HttpStatus.PAYLOAD_TOO_LARGE, `request body${parserError.length ? ` of ${parserError.length} bytes` : ''} is over this endpoint's limit of ${parserError.limit} bytes (${kib(parserError.limit)})`),
        // The rest of the body is left unread: the connection is closed after the answer rather
        // than offered to the client again with that rest still in it.
        headers: { Connection: 'close' },
      };
    case 'entity.parse.failed':
      return { status: HttpStatus.BAD_REQUEST, body: problem('EVENT.MALFORMED_JSON', HttpStatus.BAD_REQUEST, 'request body is not valid JSON') };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, body: problem('REQUEST.UNSUPPORTED_MEDIA_TYPE', HttpStatus.UNSUPPORTED_MEDIA_TYPE, `request body cannot be read (${parserError.type})`) };
    default:
      // An aborted or mis-sized upload (400).
      return parserError.status >= 400 && parserError.status < 500
        ? { status: HttpStatus.BAD_REQUEST, body: problem('REQUEST.INVALID', HttpStatus.BAD_REQUEST, `request body cannot be read (${parserError.type})`) }
        : INTERNAL_RESPONSE;
  }
}

function isFrameworkError(value: unknown): value is FrameworkError {
  const candidate = value as Partial<FrameworkError> | null;
  return value instanceof Error && typeof candidate?.code === 'string' && candidate.code.startsWith('FST_') && typeof candidate.statusCode === 'number';
}

/** Fastify's 4xx keep their status with the edge's codes; anything else is a fault, logged. */
function frameworkResponse(frameworkError: FrameworkError): ErrorResponse {
  const status = frameworkError.statusCode;
  if (status < 400 || status >= 500) return INTERNAL_RESPONSE;
  return { status, body: problem(edgeCodeFor(status), status, `request cannot be read (${frameworkError.code})`) };
}

/** The edge's code for a framework's 4xx: its own for the statuses that have one, REQUEST.INVALID for the rest. */
function edgeCodeFor(status: number): ErrorCode {
  if (status === HttpStatus.NOT_FOUND) return 'REQUEST.NOT_FOUND';
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return 'REQUEST.TOO_LARGE';
  if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return 'REQUEST.UNSUPPORTED_MEDIA_TYPE';
  return 'REQUEST.INVALID';
}

function kib(bytes: number | undefined): string {
  return bytes === undefined ? 'unknown' : bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

function describe(domainError: DomainError, status: number): ProblemDetails {
  const { violations, ...context } = domainError.context as { violations?: unknown[] };
  return problemDetails(domainError.code, status, domainError.message, { violations, context });
}
