import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TraceContext, traceContextOf } from '@app/domain';

export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

const traces = new WeakMap<IncomingMessage, TraceContext>();

/**
 * The request's trace context, made once on first use: the caller's X-Request-Id when it is
 * short and safe (else a new one), and a span of ours in the caller's `traceparent` trace (else a
 * new trace). Kept on the Node request so the logger, the edge and the controllers see one value.
 */
export function traceOfRequest(request: IncomingMessage): TraceContext {
  let trace = traces.get(request);
  if (!trace) {
    trace = traceContextOf({ requestId: single(request.headers[REQUEST_ID_HEADER]), traceparent: single(request.headers[TRACEPARENT_HEADER]) });
    traces.set(request, trace);
  }
  return trace;
}

/** Echoes the ids on the answer, so a caller can quote them (and a proxy join its span). */
export function echoTrace(request: IncomingMessage, response: Pick<ServerResponse, 'setHeader'> | { header(name: string, value: string): unknown }): void {
  const { requestId, traceparent } = traceOfRequest(request);
  // Node's response (Express) sets headers with setHeader, Fastify's reply with header.
  const set = 'setHeader' in response ? (name: string, value: string) => response.setHeader(name, value) : (name: string, value: string) => response.header(name, value);
  set('X-Request-Id', requestId);
  set('traceparent', traceparent);
}

/** The trace context of the current request (Fastify's request wraps Node's as `raw`). */
export const RequestTrace = createParamDecorator((_: unknown, context: ExecutionContext): TraceContext => {
  const request = context.switchToHttp().getRequest<IncomingMessage & { raw?: IncomingMessage }>();
  return traceOfRequest(request.raw ?? request);
});

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
