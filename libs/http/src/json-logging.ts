import { DynamicModule, LoggerService, LogLevel } from '@nestjs/common';
import { Logger as NestPinoLogger, LoggerModule, Params, PinoLogger } from 'nestjs-pino';
import pino, { Level, Logger, LoggerOptions } from 'pino';
import type { IncomingMessage } from 'node:http';
import type { LogFormat } from '@app/config';
import { traceIdOf } from '@app/domain';
import { traceOfRequest } from './request-trace';

/** Nest's level names as pino's: `log` is pino's `info`, `verbose` its `trace`. */
const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * Where a logged request would carry a token, a resident ID or a name (headers, URL, query, body).
 * The request line names only method, route, status and duration; these are cut from anything
 * else that logs a request object.
 */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-user-id"]', 'req.query', 'req.body', 'req.url', 'res.headers["set-cookie"]'];

export interface LoggingOptions {
  app: string;
  level: LogLevel;
  format: LogFormat;
}

/**
 * One JSON object a line: ISO time in UTC, the level by name, the app, the message, and for the
 * lines of a request its request id and trace id. `pretty` writes the same through pino-pretty.
 */
export function pinoOptions({ app, level, format }: LoggingOptions): LoggerOptions {
  return {
    level: PINO_LEVEL[level],
    base: { app, pid: process.pid },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(format === 'pretty' ? { transport: { target: 'pino-pretty', options: { messageKey: 'message', translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l"Z"', ignore: 'pid,hostname', singleLine: true } } } : {}),
  };
}

/**
 * nestjs-pino's parameters for the app: pino-http binds each request's ids to a child of the
 * app's logger, which every line logged while serving the request is written through. The
 * request line itself is written by the edge (request-log.ts), which sees every answer, the
 * ones refused before Nest's middleware included.
 */
export function loggingParams(logger: Logger): Params {
  return {
    pinoHttp: {
      logger,
      autoLogging: false,
      // Nothing of the request itself is bound to its lines (its URL carries a check's identifier): only its ids, below.
      serializers: { req: () => undefined },
      genReqId: (request: IncomingMessage) => traceOfRequest(request).requestId,
      customProps: (request: IncomingMessage) => {
        const { requestId, traceparent } = traceOfRequest(request);
        return { requestId, traceId: traceIdOf(traceparent), traceparent };
      },
    },
  };
}

export function loggingModule(params: Params): DynamicModule {
  return LoggerModule.forRoot(params);
}

/**
 * The app's Nest logger from its first line: nestjs-pino's Logger, made before the module is
 * built so that a failing boot (a provider that throws) logs JSON too, not Nest's coloured text.
 * Every `new Logger(Context)` in the libraries writes through it.
 */
export function nestLoggerOf(params: Params): LoggerService {
  return new NestPinoLogger(new PinoLogger(params), params);
}

/**
 * Process warnings (a deprecation, kafkajs's TimeoutNegativeWarning on Node ≥ 24) as JSON lines
 * of the app's logger instead of Node's own plain-text stderr line, so every line an app writes
 * parses as JSON. Node's printer is a 'warning' listener of its own: it is replaced, not joined.
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    logger.warn({ context: 'process', warning: { name: warning.name, code: warning.code } }, warning.message);
  });
}

/** A boot that fails before the app's logger exists still writes one JSON line, to stderr. */
export function bootFailureLine(app: string, message: string): string {
  return `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), app, pid: process.pid, message })}\n`;
}
