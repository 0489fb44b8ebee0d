import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { idReusedError, IntakeEvent, TraceContext } from '@app/domain';
import { InboundEventStatus } from '../entities/inbound-event.entity';

export interface InboundEventRow {
  seq: string;
  source: string;
  eventId: string;
  envelope: Record<string, unknown>;
  /** When the intake accepted it (the decision latency counts from here). */
  receivedAt: Date;
  /** Null on rows from before trace contexts were kept. */
  requestId: string | null;
  traceparent: string | null;
}

export interface InboundEventInput {
  source: string;
  id: string;
  type: string;
  subject: string;
  envelope: Record<string, unknown>;
}

/** An event as the intake keeps it: with the hash of its canonical content (eventContentHash). */
export interface HashedInboundEventInput extends InboundEventInput {
  contentHash: string;
  trace?: TraceContext;
}

/** Where a receipt stands after `receive`: written now, or what was there before. */
export type ReceiptOutcome =
  | { written: true; seq: string }
  | { written: false; status: InboundEventStatus; contentHash: string | null };

const INPUT_COLUMNS = `ord int, source text, event_id text, type text, subject_id text, envelope jsonb, content_hash text, decision_count int, request_id text, traceparent text`;

function inputRows(events: readonly (HashedInboundEventInput & { decisionCount?: number })[]): string {
  return JSON.stringify(
    events.map((e, ord) => ({ ord, source: e.source, event_id: e.id, type: e.type, subject_id: e.subject, envelope: e.envelope, content_hash: e.contentHash, decision_count: e.decisionCount ?? 0, request_id: e.trace?.requestId ?? null, traceparent: e.trace?.traceparent ?? null })),
  );
}

/** The inbox: accepted events, each once by CloudEvents identity (source, id). */
@Injectable()
export class InboundEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Write receipts for events (distinct identities) in one statement, in their order:
   * `pending` in the embedded inbox, `received` before the ingest produces to Kafka. For an
   * identity already there, tells its status and content hash (read after the insert, which
   * waits for a concurrent writer of the same identity), so the caller can tell a duplicate
   * from a reused id. Run it in the caller's transaction to keep a batch all-or-nothing.
   */
  async receive(manager: EntityManager, events: readonly HashedInboundEventInput[], status: 'pending' | 'received', transport: 'http' | 'kafka'): Promise<ReceiptOutcome[]> {
    if (events.length === 0) return [];
    const rows = inputRows(events);
    const written: { seq: string; ord: number }[] = await manager.query(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${INPUT_COLUMNS})),
       inserted AS (
         INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, content_hash, request_id, traceparent)
         SELECT source, event_id, type, subject_id, envelope, $2, $3, content_hash, request_id, traceparent FROM input ORDER BY ord
         ON CONFLICT ON CONSTRAINT uq_inbound_event_source_id DO NOTHING
         RETURNING seq, source, event_id)
       SELECT inserted.seq::text AS seq, input.ord FROM inserted JOIN input USING (source, event_id)`,
      [rows, status, transport],
    );
    const outcomes: (ReceiptOutcome | undefined)[] = events.map(() => undefined);
    for (const row of written) outcomes[row.ord] = { written: true, seq: row.seq };
    if (written.length < events.length) {
      const existing: { ord: number; status: InboundEventStatus; content_hash: string | null }[] = await manager.query(
        `SELECT input.ord, e.status, e.content_hash
         FROM jsonb_to_recordset($1::jsonb) AS input(${INPUT_COLUMNS})
         JOIN inbound_event e ON e.source = input.source AND e.event_id = input.event_id`,
        [rows],
      );
      for (const row of existing) outcomes[row.ord] ??= { written: false, status: row.status, contentHash: row.content_hash };
    }
    // Neither written nor found: another ingest removed its unproduced receipt between our insert and read. Retrying is safe.
    if (outcomes.some((o) => o === undefined)) throw Object.assign(new Error('inbound_event receipt raced with a removed one'), { code: '40001' });
    return outcomes as ReceiptOutcome[];
  }

  /** Remove receipts this ingest wrote but could not produce, unless the engine processed them meanwhile. */
  async forgetReceived(seqs: readonly string[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.dataSource.query(`DELETE FROM inbound_event WHERE seq = ANY($1::bigint[]) AND status = 'received'`, [seqs]);
  }

  /** Lock up to `limit` pending events in arrival order; concurrent engines skip each other's. */
  async claimPending(manager: EntityManager, limit: number): Promise<InboundEventRow[]> {
    return manager.query(
      `SELECT seq, source, event_id AS "eventId", envelope, received_at AS "receivedAt", request_id AS "requestId", traceparent FROM inbound_event
       WHERE status = 'pending' ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markProcessed(manager: EntityManager, outcomes: { seq: string; decisionCount: number }[]): Promise<void> {
    if (outcomes.length === 0) return;
    await manager.query(
      `UPDATE inbound_event e SET status = 'processed', processed_at = now(), decision_count = o.decision_count
       FROM jsonb_to_recordset($1::jsonb) AS o(seq bigint, decision_count int) WHERE e.seq = o.seq`,
      [JSON.stringify(outcomes.map((o) => ({ seq: o.seq, decision_count: o.decisionCount })))],
    );
  }

  /** What is known of these identities: status and content hash per eventKey. */
  async known(identities: readonly { source: string; id: string }[]): Promise<Map<string, { status: InboundEventStatus; contentHash: string | null }>> {
    if (identities.length === 0) return new Map();
    const rows: { source: string; event_id: string; status: InboundEventStatus; content_hash: string | null }[] = await this.dataSource.query(
      `SELECT e.source, e.event_id, e.status, e.content_hash
       FROM jsonb_to_recordset($1::jsonb) AS input(source text, event_id text)
       JOIN inbound_event e ON e.source = input.source AND e.event_id = input.event_id`,
      [JSON.stringify(identities.map((i) => ({ source: i.source, event_id: i.id })))],
    );
    return new Map(rows.map((r) => [eventKey(r.source, r.event_id), { status: r.status, contentHash: r.content_hash }]));
  }

  /**
   * Record events consumed from Kafka as processed, in the same transaction as their decisions
   * (this is what makes redelivery harmless). An event is first seen when its identity is new
   * or only `received` by the ingest with the same content; `reused` are identities already
   * known with other content (dead-lettered as EVENT.ID_REUSED); everything else is a redelivery.
   * Identities must be distinct within one call.
   */
  async markFirstSeen(manager: EntityManager, events: readonly (HashedInboundEventInput & { decisionCount: number })[]): Promise<{ fresh: Set<string>; reused: Set<string> }> {
    if (events.length === 0) return { fresh: new Set(), reused: new Set() };
    const rows = inputRows(events);
    const firstSeen: { source: string; event_id: string }[] = await manager.query(
      `INSERT INTO inbound_event AS e (source, event_id, type, subject_id, envelope, status, transport, processed_at, decision_count, content_hash, request_id, traceparent)
       SELECT source, event_id, type, subject_id, envelope, 'processed', 'kafka', now(), decision_count, content_hash, request_id, traceparent
       FROM jsonb_to_recordset($1::jsonb) AS x(${INPUT_COLUMNS}) ORDER BY ord
       ON CONFLICT ON CONSTRAINT uq_inbound_event_source_id DO UPDATE
         SET status = 'processed', processed_at = now(), decision_count = EXCLUDED.decision_count
         WHERE e.status = 'received' AND e.content_hash IS NOT DISTINCT FROM EXCLUDED.content_hash
       RETURNING source, event_id`,
      [rows],
    );
    const fresh = new Set(firstSeen.map((r) => eventKey(r.source, r.event_id)));
    const reused = new Set<string>();
    if (fresh.size < events.length) {
      // Rows from before content hashes were kept (NULL) count as the same content.
      const others: { source: string; event_id: string }[] = await manager.query(
        `SELECT e.source, e.event_id
         FROM jsonb_to_recordset($1::jsonb) AS input(${INPUT_COLUMNS})
         JOIN inbound_event e ON e.source = input.source AND e.event_id = input.event_id
         WHERE e.content_hash IS NOT NULL AND e.content_hash <> input.content_hash`,
        [rows],
      );
      for (const r of others) if (!fresh.has(eventKey(r.source, r.event_id))) reused.add(eventKey(r.source, r.event_id));
    }
    return { fresh, reused };
  }

  /** Record an event the engine made itself (an escalation); false if it was made before. */
  async recordInternal(manager: EntityManager, event: InboundEventInput): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, processed_at)
       VALUES ($1, $2, $3, $4, $5, 'processed', 'scheduler', now())
       ON CONFLICT ON CONSTRAINT uq_inbound_event_source_id DO NOTHING RETURNING seq`,
      [event.source, event.id, event.type, event.subject, event.envelope],
    );
    return rows.length === 1;
  }

  /**
   * Record events the engine made itself, in one statement; answers the keys (eventKey) of
   * those recorded now, leaving out the ones made before.
   */
  async recordInternalAll(manager: EntityManager, events: readonly InboundEventInput[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows: { source: string; eventId: string }[] = await manager.query(
      `INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, processed_at)
       SELECT e.source, e.event_id, e.type, e.subject_id, e.envelope, 'processed', 'scheduler', now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS e(source, event_id, type, subject_id, envelope, n)
       ORDER BY e.n
       ON CONFLICT ON CONSTRAINT uq_inbound_event_source_id DO NOTHING RETURNING source, event_id AS "eventId"`,
      [events.map((e) => e.source), events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.subject), events.map((e) => JSON.stringify(e.envelope))],
    );
    return new Set(rows.map((r) => eventKey(r.source, r.eventId)));
  }

  async countPending(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM inbound_event WHERE status = 'pending'`);
    return row.n;
  }
}

export function eventKey(source: string, id: string): string {
  return `${source}\u001f${id}`;
}

/** The receipt of an intake event: the one place the inbound row's input is built. */
export function inboxInput({ event, contentHash, trace }: IntakeEvent): HashedInboundEventInput {
  return { source: event.source, id: event.id, type: event.type, subject: event.subject, envelope: event as unknown as Record<string, unknown>, contentHash, trace };
}

/** Ids known before with the same content; throws EVENT.ID_REUSED for the first known with other content. */
export function knownBefore(events: readonly IntakeEvent[], outcomes: readonly ReceiptOutcome[]): Set<string> {
  const known = new Set<string>();
  outcomes.forEach((outcome, i) => {
    if (outcome.written) return;
    const { event, contentHash } = events[i];
    // A row from before hashes were kept (null) cannot be compared: it is taken as the same event.
    if (outcome.contentHash !== null && outcome.contentHash !== contentHash) throw idReusedError(event.source, event.id);
    known.add(event.id);
  });
  return known;
}
