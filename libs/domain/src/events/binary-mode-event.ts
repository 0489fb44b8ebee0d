/**
 * CloudEvents binary content mode, the part every protocol binding shares: the context
 * attributes travel as headers (`ce-` over HTTP, `ce_` over Kafka), the content type as the
 * protocol's own header, the data as the body. Each edge decodes its headers (HTTP
 * percent-decodes them) and hands the attributes here; the result is the structured-mode event
 * the message stands for, and goes through the same admission, so the same refusals apply.
 */
export interface BinaryModeMessage {
  /** Attribute names without the binding's prefix, lower case; values as the binding decoded them. */
  attributes: Iterable<readonly [name: string, value: string]>;
  /** The protocol's content type header, if any. */
  contentType: string | undefined;
  /** The body, already parsed as JSON. */
  data: unknown;
}

/** `application/json`, bare or with a UTF-8 charset (any case): the data's type once the body has been read. */
const JSON_WITH_OPTIONAL_UTF8 = /^\s*application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?;?\s*$/i;

export function binaryModeEvent(message: BinaryModeMessage): Record<string, unknown> {
  // Own properties, as JSON.parse makes them: a `ce-__proto__` header is then refused as the same key in a structured event is.
  const event: Record<string, unknown> = Object.fromEntries([...message.attributes].filter(([name]) => name !== 'data'));
  // The charset describes the bytes, which the edge has decoded; the data is then plain application/json.
  if (message.contentType !== undefined) event.datacontenttype = JSON_WITH_OPTIONAL_UTF8.test(message.contentType) ? 'application/json' : message.contentType;
  // The body is the data: a `ce-data` header is no attribute (CloudEvents reserves the name).
  event.data = message.data;
  return event;
}

