import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Who asked and in which trace: the request id (a caller's `X-Request-Id`, or one made here) and
 * the W3C Trace Context `traceparent` of the span that accepted the event. Carried with an event
 * from the HTTP request (or the Kafka message) into its decision and the records sent about it.
 */
export interface TraceContext {
  requestId: string;
  traceparent: string;
}

/** A parsed `traceparent` (W3C Trace Context, version 00). */
export interface Traceparent {
  traceId: string;
  spanId: string;
  flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO = /^0+$/;
/** Short and safe to log and echo: no spaces, quotes or control characters a log line or a header could be split by. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** A UUID (any version) or a ULID: the shapes request ids usually take, kept whatever digits they hold. */
const UUID_OR_ULID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9A-HJKMNP-TV-Z]{26})$/i;
/**
 * Eleven digits in a row or more: a mobile number (11), a resident ID (15 or 18, the last maybe X),
 * a bank card (16–19). A request id is logged and stored with decisions, so a caller who puts
 * personal data in it must not get it logged: such an id is replaced by one of ours.
 */
const LONG_DIGIT_RUN = /[0-9]{11,}/;

/** The traceparent's parts, or undefined when it is not a valid version-00 value (all-zero ids are invalid). */
export function parseTraceparent(value: string | undefined): Traceparent | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim());
  if (!match || ALL_ZERO.test(match[1]) || ALL_ZERO.test(match[2])) return undefined;
  return { traceId: match[1], spanId: match[2], flags: match[3] };
}

export function formatTraceparent({ traceId, spanId, flags }: Traceparent): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

/** A span of our own in the caller's trace, or the root span of a new trace when the caller sent none (or an invalid one). */
export function childSpanOf(parent: string | undefined): string {
  const parsed = parseTraceparent(parent);
  return formatTraceparent({ traceId: parsed?.traceId ?? randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), flags: parsed?.flags ?? '01' });
}

export function traceIdOf(traceparent: string | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}

/** The caller's request id when it is short, of a safe charset and cannot be a personal number; otherwise a new one. */
export function requestIdFrom(value: string | undefined): string {
  const trimmed = value?.trim();
  if (trimmed === undefined || !REQUEST_ID.test(trimmed)) return randomUUID();
  // Separators do not hide a number (138-0013-8000); a UUID or ULID keeps its shape but not a personal number inside it.
  const digitsOnly = trimmed.replace(/[-._:]/g, '');
  if (!LONG_DIGIT_RUN.test(UUID_OR_ULID.test(trimmed) ? trimmed : digitsOnly)) return trimmed;
  return randomUUID();
}

/** The trace context of a request or message: its request id kept (or made), and a span of ours in its trace. */
export function traceContextOf(carrier: { requestId?: string; traceparent?: string }): TraceContext {
  return { requestId: requestIdFrom(carrier.requestId), traceparent: childSpanOf(carrier.traceparent) };
}
