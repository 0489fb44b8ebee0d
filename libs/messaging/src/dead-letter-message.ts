import type { IHeaders, Message } from 'kafkajs';
import type { InboundMessage, Rejection } from './inbound-batch';
import { messageBytes } from './message-chunks';

/**
 * The largest dead letter published whole. A message that fitted its own topic can outgrow the
 * dead-letter topic's limit (message.max.bytes, 1 MB by default) once the dlq_* headers are
 * added, and the broker refuses it for good: above this, the letter is published truncated (its
 * full copy is in the dead_letter table, sealed), so the partition is never stuck behind it.
 */
export const MAX_DEAD_LETTER_BYTES = 512 * 1024;

/** The headers a truncated letter keeps of the original's: its CloudEvents identity, so an operator finds the dead_letter row. */
const IDENTITY_HEADERS = ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'content-type'] as const;
const MAX_IDENTITY_HEADER_BYTES = 512;

const TRUNCATED_BY_SIZE = 'the dead letter was larger than the engine publishes whole; the full message is in the dead_letter table';
const REFUSED_BY_BROKER = 'the broker refused the dead letter as too large; its content is in the dead_letter table only';

/** The dead letter of a refused message: the original with the reason and origin in dlq_* headers, truncated if it would be too large. */
export function deadLetterMessage(original: InboundMessage, rejection: Rejection, maxBytes: number = MAX_DEAD_LETTER_BYTES): Message {
  const reason = reasonHeaders(original, rejection);
  const whole: Message = { key: original.key, value: original.value, headers: { ...(original.headers ?? {}), ...reason } };
  const bytes = messageBytes(whole);
  if (bytes <= maxBytes) return whole;
  const headers = { ...identityHeaders(original.headers), ...reason, dlq_truncated: TRUNCATED_BY_SIZE, dlq_original_bytes: String(bytes) };
  const room = maxBytes - messageBytes({ key: original.key, value: null, headers });
  return { key: original.key, value: room > 0 && original.value ? original.value.subarray(0, room) : null, headers };
}

/** The least a dead letter can be: no content and no original headers, only why and where from. */
export function bareDeadLetter(letter: Message): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(letter.headers ?? {})) if (name.startsWith('dlq_')) headers[name] = value;
  headers.dlq_truncated = REFUSED_BY_BROKER;
  headers.dlq_original_bytes ??= String(messageBytes(letter));
  return { key: letter.key, value: null, headers };
}

/** Whether a letter is already bare (see bareDeadLetter): nothing is left to cut. */
export function isBareDeadLetter(letter: Message): boolean {
  return letter.value === null && letter.headers?.dlq_truncated === REFUSED_BY_BROKER;
}

function reasonHeaders(original: InboundMessage, rejection: Rejection): IHeaders {
  return {
    dlq_error_code: rejection.code,
    dlq_error_message: rejection.message.slice(0, 4000),
    dlq_original_topic: original.topic,
    dlq_original_partition: String(original.partition),
    dlq_original_offset: original.offset,
  };
}

function identityHeaders(headers: IHeaders | undefined): IHeaders {
  const kept: IHeaders = {};
  for (const name of IDENTITY_HEADERS) {
    const value = headers?.[name];
    if ((typeof value === 'string' || Buffer.isBuffer(value)) && Buffer.byteLength(value) <= MAX_IDENTITY_HEADER_BYTES) kept[name] = value;
  }
  return kept;
}
