import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { traceIdOf } from '@app/domain';
import { AnsweredRequest, HttpRequestMetrics } from './http-request.metrics';
import { traceOfRequest } from './request-trace';

/** Probes and scrapes arrive every few seconds: their lines are debug unless they fail. */
const QUIET_ROUTES = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * What the edge does when a request has been answered, on either platform: count it, and write
 * one log line naming method, route template, status and duration with the request's ids. The
 * path's values and query (a credit check's identifier), headers and bodies are never logged.
 */
export class RequestObserver {
  constructor(
    readonly metrics: HttpRequestMetrics,
    private readonly logger: Logger,
  ) {}

  answered(request: IncomingMessage & { allLogs?: Logger[] }, answer: AnsweredRequest): void {
    this.metrics.answered(answer);
    // pino-http's logger with the ids bound (its last in `allLogs`: on Fastify, `log` is Fastify's own), unless the answer came before Nest's middleware ran.
    const { requestId, traceparent } = traceOfRequest(request);
    const log = request.allLogs?.at(-1) ?? this.logger.child({ requestId, traceId: traceIdOf(traceparent), traceparent });
    const line = { method: answer.method, route: answer.route ?? null, status: answer.status, durationMs: Math.round(answer.seconds * 1e6) / 1e3 };
    if (answer.status >= 500) log.error(line, 'request answered');
    else if (answer.status < 400 && answer.route !== undefined && QUIET_ROUTES.has(answer.route)) log.debug(line, 'request answered');
    else log.info(line, 'request answered');
  }
}
