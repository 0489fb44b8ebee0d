import { EntityManager } from 'typeorm';
import { returningRows } from '../returning-rows';

/** An inclusive range of outbox sequence numbers, as a relay checkpoint names them. */
export interface SeqRange {
  from: bigint;
  to: bigint;
}

/** The outboxes a transactional relay publishes: each has `seq` and a nullable `published_at`. */
export type RelayedOutbox = 'feed_record' | 'exchange_outbox';

/**
 * Marks published what is still unpublished in the given ranges (a relay checkpoint's, after a
 * restart); returns how many rows that was.
 */
export async function markPublishedInRanges(manager: EntityManager, outbox: RelayedOutbox, ranges: readonly SeqRange[]): Promise<number> {
  if (ranges.length === 0) return 0;
  const marked = returningRows<{ seq: string }>(
    await manager.query(
      `UPDATE ${outbox} SET published_at = now()
       WHERE published_at IS NULL AND seq IN (SELECT generate_series(r.f, r.t) FROM jsonb_to_recordset($1::jsonb) AS r(f bigint, t bigint))
       RETURNING seq`,
      [JSON.stringify(ranges.map((r) => ({ f: r.from.toString(), t: r.to.toString() })))],
    ),
  );
  return marked.length;
}
