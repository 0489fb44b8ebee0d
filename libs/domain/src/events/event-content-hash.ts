import { createHash } from 'node:crypto';
import { CreditEvent } from './credit-event';

/**
 * What makes two deliveries of one CloudEvents identity (source, id) the same event: its
 * meaningful attributes and its validated data (identifiers in canonical form), compared
 * with keys sorted. Extension attributes and datacontenttype describe the delivery, not
 * the event (a retry may carry a new traceparent), so they are left out.
 */
export function eventContentHash(event: CreditEvent): string {
  const content = { id: event.id, source: event.source, type: event.type, subject: event.subject, time: event.time, dataschema: event.dataschema ?? null, data: event.data };
  return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
}

/** JSON with object keys sorted, so equal content hashes equally. Validated events are a few levels deep. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
