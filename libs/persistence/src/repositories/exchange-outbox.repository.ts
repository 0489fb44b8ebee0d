import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { markPublishedInRanges, SeqRange } from './published-ranges';

/** A copy of an event for a peer deployment, as the relay will publish it (the bridge there gives it its source). */
export interface ExchangeOutboxItem {
  peer: string;
  /** The local event it copies. */
  eventSource: string;
  eventId: string;
  /** The CloudEvents id the copy arrives with (UUIDv5 of its origin). */
  relayedEventId: string;
  /** The copy: type, subject, time and data with its provenance. */
  event: Record<string, unknown>;
}

/** A stored copy, with its place in the outbox. */
export interface ExchangeOutboxRow extends ExchangeOutboxItem {
  seq: string;
}

/** What a lifecycle event's local decision id names in terms a peer knows. */
export interface PeerTarget {
  listCode?: string;
  penaltyDocumentNumber?: string;
}

/** The exchange outbox (issue 16): copies for peers, written in the deciding transaction. */
@Injectable()
export class ExchangeOutboxRepository {
  /** One copy per peer and event: a second engine storing the same event adds nothing. */
  async add(manager: EntityManager, items: readonly ExchangeOutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    await manager.query(
      `INSERT INTO exchange_outbox (peer, event_source, event_id, relayed_event_id, event)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::jsonb[])
       ON CONFLICT (peer, event_source, event_id) DO NOTHING`,
      [items.map((i) => i.peer), items.map((i) => i.eventSource), items.map((i) => i.eventId), items.map((i) => i.relayedEventId), items.map((i) => JSON.stringify(i.event))],
    );
  }

  /** The oldest unpublished copies, whichever peer (one exchange relay runs at a time), leaving out the batch in flight. */
  async unpublished(manager: EntityManager, limit: number, excluding: readonly string[] = []): Promise<ExchangeOutboxRow[]> {
    return manager.query(
      `SELECT seq::text AS seq, peer, event_source AS "eventSource", event_id AS "eventId", relayed_event_id::text AS "relayedEventId", event
       FROM exchange_outbox WHERE published_at IS NULL AND NOT (seq = ANY($2::bigint[])) ORDER BY seq LIMIT $1`,
      [limit, excluding],
    );
  }

  async markPublished(manager: EntityManager, seqs: readonly string[]): Promise<void> {
    if (seqs.length === 0) return;
    await manager.query(`UPDATE exchange_outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [seqs]);
  }

  /** Marks published what is still unpublished in a relay checkpoint's ranges (after a restart); returns how many. */
  markPublishedRanges(manager: EntityManager, ranges: readonly SeqRange[]): Promise<number> {
    return markPublishedInRanges(manager, 'exchange_outbox', ranges);
  }

  /** The memoranda of these list entries and measure tasks: what a lifecycle change touched. */
  async memorandaOf(manager: EntityManager, entryIds: readonly string[], taskIds: readonly string[]): Promise<string[]> {
    if (entryIds.length === 0 && taskIds.length === 0) return [];
    const rows: { memorandum: string }[] = await manager.query(
      `SELECT memorandum_id AS memorandum FROM list_entry WHERE id = ANY($1::uuid[])
       UNION SELECT memorandum_id FROM measure_task WHERE id = ANY($2::uuid[])`,
      [entryIds, taskIds],
    );
    return rows.map((r) => r.memorandum);
  }

  /**
   * A local decision id as the peer can find it: the list of the decision's entry, or, for a
   * decision without one, its cause's document number (the penalty decision's). Undefined for an unknown id.
   */
  async peerTargetOf(manager: EntityManager, decisionId: string): Promise<PeerTarget | undefined> {
    const [row]: { listCode: string | null; documentNumber: string | null }[] = await manager.query(
      `SELECT (SELECT le.list_code FROM list_entry le WHERE le.decision_id = d.id LIMIT 1) AS "listCode",
              (SELECT t.document_number FROM measure_task t WHERE t.decision_id = d.id LIMIT 1) AS "documentNumber"
       FROM decision d WHERE d.id = $1::uuid`,
      [decisionId],
    );
    if (row === undefined) return undefined;
    if (row.listCode !== null) return { listCode: row.listCode };
    return row.documentNumber !== null ? { penaltyDocumentNumber: row.documentNumber } : undefined;
  }
}
