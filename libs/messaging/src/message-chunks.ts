import type { Message } from 'kafkajs';

/**
 * The broker refuses a record batch over its limit (message.max.bytes, 1 MB by default) for
 * good, and kafkajs retries it as if transient: every send that can carry many messages goes in
 * chunks under this, which leaves room for the batch's own framing.
 */
export const MAX_SEND_BYTES = 768 * 1024;

/** Serialised size of a message: key, value and headers, plus a little framing. */
export function messageBytes(message: Message): number {
  const headers = Object.entries(message.headers ?? {}).reduce((n, [name, value]) => n + name.length + byteLength(value as Buffer | string | undefined), 0);
  return byteLength(message.key) + byteLength(message.value) + headers + 64;
}

/** Consecutive chunks of at most `maxBytes` each by `bytesOf` (an item larger than that goes alone). */
export function chunkBySize<T>(items: readonly T[], maxBytes: number, bytesOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = bytesOf(item);
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function byteLength(value: Buffer | string | null | undefined): number {
  return value === null || value === undefined ? 0 : typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
