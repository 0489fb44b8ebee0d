import type { IncomingHttpHeaders } from 'node:http';
// The SDK's names for the binding's media types and header prefix only: its HTTP.toEvent fills in
// a missing id (a UUID) and time (now) and validates by its own rules, so events our admission
// refuses would pass and refusals would differ. Our admission stays the one authority.
import { CONSTANTS } from 'cloudevents';
import { binaryModeEvent, EventValidationError } from '@app/domain';
import { requestMediaType } from './body-media-type';

/** What a request to POST /v1/events carries under the CloudEvents HTTP binding's three content modes. */
export type CloudEventRequest = { mode: 'structured' | 'binary'; event: unknown } | { mode: 'batch'; events: unknown };

/**
 * The mode a request is in, by its Content-Type (HTTP binding 1.0.2 §3): the batch and
 * structured media types say so; otherwise a `ce-specversion` header makes it binary mode,
 * whose `ce-*` headers are the attributes, Content-Type the datacontenttype and the body the
 * data. Plain JSON without those headers is a structured event, as before.
 */
export function cloudEventRequestOf(headers: IncomingHttpHeaders, body: unknown): CloudEventRequest {
  const essence = requestMediaType(headers)?.essence;
  if (essence === CONSTANTS.MIME_CE_BATCH) return { mode: 'batch', events: body };
  if (essence === CONSTANTS.MIME_CE_JSON || headers[CONSTANTS.CE_HEADERS.SPEC_VERSION] === undefined) return { mode: 'structured', event: body };
  return { mode: 'binary', event: binaryModeEvent({ attributes: httpAttributes(headers), contentType: headers['content-type'], data: body }) };
}

/** The `ce-*` headers as attributes (Node gives header names in lower case), their values percent-decoded. */
export function httpAttributes(headers: IncomingHttpHeaders): Array<readonly [string, string]> {
  const prefix = CONSTANTS.EXTENSIONS_PREFIX;
  return Object.entries(headers)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, value]) => [name.slice(prefix.length), percentDecoded(name, Array.isArray(value) ? value.join(', ') : (value ?? ''))] as const);
}

/** Printable ASCII but `"` and `%` travels as itself; everything else as UTF-8 percent-encoded (§3.1.3.2). */
const RAW_HEADER_VALUE = /^[\u0020-\u007e]*$/;

/**
 * §3.1.3.2: a header value is percent-decoded as UTF-8; needlessly encoded characters are
 * accepted, invalid UTF-8 (an overlong form, a lone byte) and unencoded non-ASCII refused.
 * What decodes is then checked as any attribute value is (control characters, lengths).
 */
function percentDecoded(header: string, value: string): string {
  const refuse = (why: string): never => {
    throw new EventValidationError('EVENT.BAD_CHARACTER', `${header}: ${why}`, [{ path: header.slice(CONSTANTS.EXTENSIONS_PREFIX.length), message: why }]);
  };
  if (!RAW_HEADER_VALUE.test(value)) refuse('header values carry non-ASCII characters percent-encoded as UTF-8 (CloudEvents HTTP binding §3.1.3.2)');
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return refuse('not a valid UTF-8 percent-encoding (CloudEvents HTTP binding §3.1.3.2)');
  }
}
