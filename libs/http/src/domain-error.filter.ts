import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, isDomainError } from '@app/domain';
import { httpStatusFor } from './error-status';

/** Wire shape of every error: a stable code to switch on and a message for a person. */
export interface ErrorBody {
  error: { code: string; message: string; violations?: unknown[]; context?: Record<string, unknown> };
}

/**
 * The one place errors become HTTP responses. Services throw domain errors; this maps them
 * (and the framework's own, such as a malformed body) to a 4xx with a code and a message.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(status).json(body);
  }

  toResponse(exception: unknown): { status: number; body: ErrorBody } {
    if (isDomainError(exception)) return { status: httpStatusFor(exception.code), body: { error: describe(exception) } };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // body-parser reports unparseable JSON as a 400 whose type is entity.parse.failed.
      const parseFailed = (exception.cause as { type?: string } | undefined)?.type === 'entity.parse.failed' || /JSON/.test(exception.message);
      if (status === HttpStatus.BAD_REQUEST && parseFailed) {
        return { status, body: { error: { code: 'EVENT.MALFORMED_JSON', message: 'request body is not valid JSON' } } };
      }
      const code = status === HttpStatus.NOT_FOUND ? 'REQUEST.NOT_FOUND' : status === HttpStatus.PAYLOAD_TOO_LARGE ? 'REQUEST.TOO_LARGE' : status < 500 ? 'REQUEST.INVALID' : 'INTERNAL';
      return { status, body: { error: { code, message: exception.message } } };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { error: { code: 'INTERNAL', message: 'internal error; see the server log' } } };
  }
}

function describe(error: DomainError): ErrorBody['error'] {
  const { violations, ...context } = error.context as { violations?: unknown[] };
  return { code: error.code, message: error.message, ...(violations ? { violations } : {}), ...(Object.keys(context).length ? { context } : {}) };
}
