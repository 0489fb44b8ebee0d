/**
 * The set of outbox sequence numbers one relay transaction published, written as ranges
 * ("10-500,502") into the offset-commit metadata of the same Kafka transaction. After a
 * crash between the Kafka commit and the database update, the relay reads the last
 * checkpoint and marks exactly those records published instead of sending them again.
 */
export const MAX_CHECKPOINT_LENGTH = 3000; // brokers accept 4096 bytes of offset metadata by default

export function encodeSeqRanges(seqs: readonly bigint[]): string {
  const sorted = [...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  let start: bigint | undefined;
  let previous: bigint | undefined;
  for (const seq of sorted) {
    if (start !== undefined && previous !== undefined && seq === previous + 1n) {
      previous = seq;
      continue;
    }
    if (start !== undefined) parts.push(start === previous ? `${start}` : `${start}-${previous}`);
    start = previous = seq;
  }
  if (start !== undefined) parts.push(start === previous ? `${start}` : `${start}-${previous}`);
  return parts.join(',');
}

export function decodeSeqRanges(text: string | null | undefined): { from: bigint; to: bigint }[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const [from, to = from] = part.split('-');
    return { from: BigInt(from), to: BigInt(to) };
  });
}
