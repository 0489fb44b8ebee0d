import { HttpRefusal } from './http.errors';
import { JSON_TYPES } from './http-edge';

/** A Content-Type split into its essence (type/subtype, lower case) and its parameters (names lower case, values unquoted). */
export interface MediaType {
  essence: string;
  parameters: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** RFC 9110 §8.3.1's `type/subtype *(; name=value)`, or undefined when the header is not one. */
export function parseMediaType(header: string): MediaType | undefined {
  const [head, ...rest] = header.split(';');
  const essence = head.trim().toLowerCase();
  const slash = essence.indexOf('/');
  if (slash < 0 || !TOKEN.test(essence.slice(0, slash)) || !TOKEN.test(essence.slice(slash + 1))) return undefined;
  const parameters: Record<string, string> = {};
  for (const parameter of rest) {
    if (parameter.trim() === '') continue;
    const equals = parameter.indexOf('=');
    const name = parameter.slice(0, equals).trim().toLowerCase();
    if (equals < 0 || !TOKEN.test(name)) return undefined;
    const value = parameter.slice(equals + 1).trim();
    parameters[name] = value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return { essence, parameters };
}

/** Each request's Content-Type as parsed, by its headers object (the same one on either platform, and @Headers() in a controller). */
const parsedOf = new WeakMap<object, MediaType | undefined>();

/**
 * The request's Content-Type, parsed once for all who ask (the edge's 415 check, the body limit,
 * the CloudEvents mode); undefined when absent or not a media type.
 */
export function requestMediaType(headers: { 'content-type'?: string }): MediaType | undefined {
  if (parsedOf.has(headers)) return parsedOf.get(headers);
  const header = headers['content-type'];
  const type = header === undefined ? undefined : parseMediaType(header);
  parsedOf.set(headers, type);
  return type;
}

/** Whether a request carries content: a chunked body, or a length above zero (RFC 9112 §6.3). */
export function hasContent(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}

/**
 * The refusal of a body the edge does not read: every body is JSON (one of JSON_TYPES) in UTF-8
 * (RFC 8259 §8.1), so anything else is a 415 before any parser sees it, on either platform.
 * A request without content passes, whatever it says its type is.
 */
export function unsupportedMediaType(headers: { 'content-type'?: string; 'content-length'?: string; 'transfer-encoding'?: string }): HttpRefusal | undefined {
  if (!hasContent(headers)) return undefined;
  const header = headers['content-type'];
  const refuse = (why: string) => new HttpRefusal('REQUEST.UNSUPPORTED_MEDIA_TYPE', `${why}; send JSON as one of ${JSON_TYPES.join(', ')} (charset utf-8 or none)`, {}, { accepted: JSON_TYPES });
  if (header === undefined || header.trim() === '') return refuse('the body has no Content-Type');
  const type = requestMediaType(headers);
  if (!type) return refuse('Content-Type is not a media type');
  // The caller's media type and charset are not quoted back: free text in a header.
  if (!JSON_TYPES.includes(type.essence)) return refuse('this media type is not read here');
  const charset = type.parameters.charset;
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') return refuse('this charset is not read here');
  return undefined;
}
