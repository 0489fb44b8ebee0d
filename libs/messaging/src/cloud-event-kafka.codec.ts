import type { IHeaders, Message } from 'kafkajs';
import { binaryModeEvent, EventValidationError, parseJson, TraceContext, traceContextOf } from '@app/domain';

/**
 * CloudEvents Kafka protocol binding. Inbound, both modes are accepted: structured
 * (content-type application/cloudevents+json, the whole event in the value) and binary
 * (attributes in ce_* headers, data in the value). Decisions go out in binary mode.
 */
export function decodeCloudEvent(value: Buffer | null, headers: IHeaders | undefined): unknown {
  if (!value) throw new EventValidationError('EVENT.MALFORMED_JSON', 'message has no value');
  const header = (name: string) => headerString(headers, name);
  const body = parseJson(value);
  if (header('ce_specversion') === undefined) return body;
  // Kafka header values are the attribute values as UTF-8 bytes: no percent-encoding, unlike HTTP.
  const attributes = Object.keys(headers ?? {})
    .filter((name) => name.startsWith(KAFKA_ATTRIBUTE_PREFIX))
    .map((name) => [name.slice(KAFKA_ATTRIBUTE_PREFIX.length), headerString(headers, name) ?? ''] as const);
  return binaryModeEvent({ attributes, contentType: header('content-type') || undefined, data: body });
}

/** The Kafka binding's attribute header prefix (the HTTP binding's is `ce-`). */
const KAFKA_ATTRIBUTE_PREFIX = 'ce_';

export interface OutboundCloudEventAttributes {
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
}

export interface OutboundCloudEvent extends OutboundCloudEventAttributes {
  data: unknown;
}

export function encodeBinaryCloudEvent(event: OutboundCloudEvent, key: string, extraHeaders: Record<string, string> = {}): Message {
  return encodeBinaryCloudEventJson(event, JSON.stringify(event.data), key, extraHeaders);
}

/** The same, for data already serialised (as the outbox stores it): no parse and re-stringify per record. */
export function encodeBinaryCloudEventJson(event: OutboundCloudEventAttributes, dataJson: string, key: string, extraHeaders: Record<string, string> = {}): Message {
  return {
    key,
    // Bytes, not a string: kafkajs measures a string value with Buffer.byteLength several times per record.
    value: Buffer.from(dataJson),
    headers: {
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: event.source,
      ce_type: event.type,
      ce_subject: event.subject,
      ce_time: event.time,
      'content-type': 'application/json',
      ...extraHeaders,
    },
  };
}

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

const MAX_IDENTITY_LENGTH = 256;

/**
 * The CloudEvents identity (source, id) a message claims, when it has a readable one (binary-mode
 * headers, or the JSON value): dead letters keep it so the sender can ask about its event.
 */
export function cloudEventIdentity(message: { value: Buffer | null; headers?: IHeaders }): { source?: string; eventId?: string } {
  let source: unknown = headerString(message.headers, 'ce_source');
  let id: unknown = headerString(message.headers, 'ce_id');
  if (source === undefined || id === undefined) {
    try {
      const value = decodeCloudEvent(message.value, message.headers) as { source?: unknown; id?: unknown } | null;
      source ??= value?.source;
      id ??= value?.id;
    } catch {
      // Not JSON: the dead letter keeps the raw message only.
    }
  }
  const readable = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_IDENTITY_LENGTH;
  return readable(source) && readable(id) ? { source, eventId: id } : {};
}

/** Kafka headers of the trace context, as the ingest writes them and a department producing directly may. */
export const TRACE_HEADERS = { requestId: 'x-request-id', traceparent: 'traceparent' } as const;

/** The headers carrying a trace context on a message. */
export function traceHeaders(trace: TraceContext): Record<string, string> {
  return { [TRACE_HEADERS.requestId]: trace.requestId, [TRACE_HEADERS.traceparent]: trace.traceparent };
}

/**
 * The trace context of a consumed message: a span of ours in the trace its `traceparent` header
 * (or its binary-mode CloudEvents `ce_traceparent`, the distributed-tracing extension) names, and
 * its request id; a new trace and id when it carries none or invalid ones.
 */
export function traceOfMessage(headers: IHeaders | undefined): TraceContext {
  return traceContextOf({
    requestId: headerString(headers, TRACE_HEADERS.requestId),
    traceparent: headerString(headers, TRACE_HEADERS.traceparent) ?? headerString(headers, 'ce_traceparent'),
  });
}
