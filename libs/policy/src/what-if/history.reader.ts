import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StoredDecisionParts } from './decision-footprint';

/** A decided event as the engine received it, with the decisions it made about it. */
export interface HistoricEvent {
  seq: string;
  source: string;
  eventId: string;
  envelope: Record<string, unknown>;
  /** The instant the engine decided it: its decisions' issue time, else when it was marked processed. */
  decidedAt: Date;
  /** What the engine recorded about it (a lifecycle event's result, a grant refused while blacklisted). */
  outcome: { status?: string; code?: string; memoranda?: string[] } | null;
  decisions: StoredDecisionParts[];
}

/** Events per page: one round trip for the events and one for their decisions. */
export const HISTORY_PAGE_SIZE = 2_000;

interface EventRow {
  seq: string;
  source: string;
  event_id: string;
  envelope: Record<string, unknown>;
  processed_at: Date | null;
  received_at: Date;
  outcome: HistoricEvent['outcome'];
}

interface DecisionRow {
  source: string;
  event_id: string;
  memorandum_id: string;
  issued_at: Date | null;
  created_at: Date;
  list_entries: StoredDecisionParts['listEntries'];
  measure_tasks: StoredDecisionParts['measureTasks'];
}

/**
 * Reads the history a what-if runs over: the events decided (status processed) among those
 * received in [from, to), in arrival order, a page at a time by keyset on `seq`, so a run
 * holds one page in memory whatever the period. Read-only.
 */
@Injectable()
export class HistoryReader {
  constructor(private readonly dataSource: DataSource) {}

  async count(from: Date, to: Date): Promise<number> {
    const [{ n }] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM inbound_event WHERE status = 'processed' AND received_at >= $1 AND received_at < $2`, [from, to])) as { n: number }[];
    return n;
  }

  /** The page after `afterSeq` ('0' for the first); empty when the period is read. */
  async page(from: Date, to: Date, afterSeq: string, limit = HISTORY_PAGE_SIZE): Promise<HistoricEvent[]> {
    const rows = (await this.dataSource.query(
      `SELECT seq::text AS seq, source, event_id, envelope, processed_at, received_at, outcome FROM inbound_event
       WHERE status = 'processed' AND received_at >= $1 AND received_at < $2 AND seq > $3::bigint ORDER BY inbound_event.seq LIMIT $4`,
      [from, to, afterSeq, limit],
    )) as EventRow[];
    return this.withDecisions(rows);
  }

  /** One decided event received in [from, to), by its CloudEvents identity, with its decisions and their stored explanations. */
  async event(source: string, eventId: string, from: Date, to: Date): Promise<(HistoricEvent & { explanations: Record<string, Record<string, Record<string, unknown>>> }) | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT seq::text AS seq, source, event_id, envelope, processed_at, received_at, outcome FROM inbound_event
       WHERE source = $1 AND event_id = $2 AND status = 'processed' AND received_at >= $3 AND received_at < $4`,
      [source, eventId, from, to],
    )) as EventRow[];
    if (rows.length === 0) return undefined;
    const [event] = await this.withDecisions(rows);
    const stored = (await this.dataSource.query(`SELECT memorandum_id, record FROM decision WHERE cause_event_source = $1 AND cause_event_id = $2`, [source, eventId])) as {
      memorandum_id: string;
      record: { explanations?: Record<string, unknown>; listEntries?: Array<{ explanation?: { rule: { name: string } } }>; measureTasks?: Array<{ explanation?: { rule: { name: string } } }> };
    }[];
    const explanations: Record<string, Record<string, Record<string, unknown>>> = Object.fromEntries(stored.map((d) => [d.memorandum_id, storedExplanations(d.record)]));
    return { ...event, explanations };
  }

  private async withDecisions(rows: readonly EventRow[]): Promise<HistoricEvent[]> {
    if (rows.length === 0) return [];
    const decisions = (await this.dataSource.query(
      // Only the parts a footprint compares: the explanations (the condition traces) stay in the database.
      `SELECT d.cause_event_source AS source, d.cause_event_id AS event_id, d.memorandum_id, d.issued_at, d.created_at,
              d.record->'listEntries' AS list_entries, d.record->'measureTasks' AS measure_tasks
       FROM decision d JOIN unnest($1::text[], $2::text[]) AS k(source, event_id) ON d.cause_event_source = k.source AND d.cause_event_id = k.event_id`,
      [rows.map((r) => r.source), rows.map((r) => r.event_id)],
    )) as DecisionRow[];
    const byEvent = new Map<string, DecisionRow[]>();
    for (const d of decisions) {
      const key = `${d.source}\u0000${d.event_id}`;
      const list = byEvent.get(key);
      if (list) list.push(d);
      else byEvent.set(key, [d]);
    }
    return rows.map((row) => {
      const own = byEvent.get(`${row.source}\u0000${row.event_id}`) ?? [];
      const issued = own.map((d) => d.issued_at ?? d.created_at)[0];
      return {
        seq: row.seq,
        source: row.source,
        eventId: row.event_id,
        envelope: row.envelope,
        decidedAt: new Date(issued ?? row.processed_at ?? row.received_at),
        outcome: row.outcome,
        decisions: own.map((d) => ({ memorandumId: d.memorandum_id, listEntries: d.list_entries, measureTasks: d.measure_tasks })),
      };
    });
  }
}

/** A stored decision's explanations by rule name: kept once in `explanations` (terms by reference), or on each item (records stored whole). */
function storedExplanations(record: { explanations?: Record<string, unknown>; listEntries?: Array<{ explanation?: { rule: { name: string } } }>; measureTasks?: Array<{ explanation?: { rule: { name: string } } }> }): Record<string, Record<string, unknown>> {
  if (record.explanations) return record.explanations as Record<string, Record<string, unknown>>;
  const found: Record<string, Record<string, unknown>> = {};
  for (const item of [...(record.listEntries ?? []), ...(record.measureTasks ?? [])]) if (item.explanation) found[item.explanation.rule.name] = item.explanation as unknown as Record<string, unknown>;
  return found;
}
