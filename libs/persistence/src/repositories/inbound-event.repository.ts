import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface InboundEventRow {
  seq: string;
  source: string;
  eventId: string;
  envelope: Record<string, unknown>;
}

export interface InboundEventInput {
  source: string;
  id: string;
  type: string;
  subject: string;
  envelope: Record<string, unknown>;
}

/** The inbox: accepted events, each once by CloudEvents identity (source, id). */
@Injectable()
export class InboundEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Durably accept an event for the engine; false when (source, id) was accepted before. */
  async enqueue(event: InboundEventInput): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport)
       VALUES ($1, $2, $3, $4, $5, 'pending', 'http')
       ON CONFLICT ON CONSTRAINT uq_inbound_event_source_id DO NOTHING
       RETURNING seq`,
      [event.source, event.id, event.type, event.subject, event.envelope],
    );
    return rows.length === 1;
  }

  /** Lock up to `limit` pending events in arrival order; concurrent engines skip each other's. */
  async claimPending(manager: EntityManager, limit: number): Promise<InboundEventRow[]> {
    return manager.query(
      `SELECT seq, source, event_id AS "eventId", envelope FROM inbound_event
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

  /**
   * Record events consumed from Kafka as processed, returning the keys of those not seen
   * before: in the same transaction as their decisions, this is what makes redelivery harmless.
   */
  async markFirstSeen(manager: EntityManager, events: (InboundEventInput & { decisionCount: number })[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows: { source: string; event_id: string }[] = await manager.query(
      `INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, processed_at, decision_count)
       SELECT source, event_id, type, subject_id, envelope, 'processed', 'kafka', now(), decision_count
       FROM jsonb_to_recordset($1::jsonb) AS x(source text, event_id text, type text, subject_id text, envelope jsonb, decision_count int)
       ON CONFLICT ON CONSTRAINT uq_inbound_event_source_id DO NOTHING
       RETURNING source, event_id`,
      [JSON.stringify(events.map((e) => ({ source: e.source, event_id: e.id, type: e.type, subject_id: e.subject, envelope: e.envelope, decision_count: e.decisionCount })))],
    );
    return new Set(rows.map((r) => eventKey(r.source, r.event_id)));
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

  async countPending(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM inbound_event WHERE status = 'pending'`);
    return row.n;
  }
}

export function eventKey(source: string, id: string): string {
  return `${source}\u001f${id}`;
}
