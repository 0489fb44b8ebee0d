import { createHash } from 'node:crypto';

/**
 * A UUID derived from its parts (RFC 9562 version 8 layout). Redelivered events
 * produce the same decision ids, so storing them twice is a key conflict, not a duplicate.
 */
export function deterministicUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
