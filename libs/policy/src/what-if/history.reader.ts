import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdentifierType } from '@app/domain';
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

/** Sequence numbers per page (at most that many events): three round trips (events with their decisions, measure tasks, list entries). */
export const HISTORY_PAGE_SIZE = 2_000;

/** The decided events of a period: how many, and the first and last of their sequence numbers (0 and 0 for none). */
export interface HistoryExtent {
  total: number;
  firstSeq: number;
  lastSeq: number;
}

interface EventRow {
  seq: string;
  source: string;
  event_id: string;
  envelope: Record<string, unknown>;
  processed_at: Date | null;
  received_at: Date;
  outcome: HistoricEvent['outcome'];
  decisions: Array<{ id: string; memorandumId: string; issuedAt: string }> | null;
}

interface TaskRow {
  decision_id: string;
  measure_code: string;
  implementing_department: string;
  target_id_type: IdentifierType;
  target_id: string;
  valid_from: string;
  valid_to: string;
}

interface EntryRow {
  decision_id: string;
  list_code: string;
  list_type: string;
  subject_id: string;
  valid_from: string;
  valid_to: string;
}

// Each event's decisions by the cause index; their rows by decision id. The decision records themselves
// (with the condition traces, several KB each) are read for a drill-down only.
const EVENT_PAGE = `
  SELECT e.seq::text AS seq, e.source, e.event_id, e.envelope, e.processed_at, e.received_at, e.outcome,
         (SELECT json_agg(json_build_object('id', d.id, 'memorandumId', d.memorandum_id, 'issuedAt', coalesce(d.issued_at, d.created_at)))
            FROM decision d WHERE d.cause_event_source = e.source AND d.cause_event_id = e.event_id) AS decisions
  FROM inbound_event e`;

/**
 * Reads the history a what-if runs over: the events decided (status processed) among those
 * received in [from, to), in arrival order, a page at a time by keyset on `seq`, so a run
 * holds one page in memory whatever the period. Read-only.
 */
@Injectable()
export class HistoryReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * How many events the period holds, and its first and last sequence numbers. The one statement
   * that reads the whole period (received_at has no index, so a scan of inbound_event): over years
   * of history it can outlast DATABASE_STATEMENT_TIMEOUT_MS, and the run would fail every time.
   * A what-if is bounded background work (one run at a time, read-only), so this statement alone
   * runs without the limit, in a transaction of its own (SET LOCAL: the pooled connection keeps
   * its limit). The pages after it read bounded ranges of the primary key and keep the limit.
   */
  async extent(from: Date, to: Date): Promise<HistoryExtent> {
    const [row] = await this.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL statement_timeout = 0');
      return (await manager.query(
        `SELECT count(*)::int AS total, coalesce(min(seq), 0)::text AS first, coalesce(max(seq), 0)::text AS last FROM inbound_event WHERE status = 'processed' AND received_at >= $1 AND received_at < $2`,
        [from, to],
      )) as { total: number; first: string; last: string }[];
    });
    return { total: row.total, firstSeq: Number(row.first), lastSeq: Number(row.last) };
  }

  /**
   * The decided events of the period with sequence numbers in (afterSeq, throughSeq]: a range of
   * the primary key, so a page never sorts or skips over what came before it.
   */
  async page(from: Date, to: Date, afterSeq: number, throughSeq: number): Promise<HistoricEvent[]> {
    const rows = (await this.dataSource.query(
      `${EVENT_PAGE} WHERE e.seq > $3::bigint AND e.seq <= $4::bigint AND e.status = 'processed' AND e.received_at >= $1 AND e.received_at < $2 ORDER BY e.seq`,
      [from, to, afterSeq, throughSeq],
    )) as EventRow[];
    return this.withDecisions(rows);
  }

  /** One decided event received in [from, to), by its CloudEvents identity, with its decisions and their stored explanations. */
  async event(source: string, eventId: string, from: Date, to: Date): Promise<(HistoricEvent & { explanations: Record<string, Record<string, Record<string, unknown>>> }) | undefined> {
    const rows = (await this.dataSource.query(`${EVENT_PAGE} WHERE e.source = $1 AND e.event_id = $2 AND e.status = 'processed' AND e.received_at >= $3 AND e.received_at < $4`, [source, eventId, from, to])) as EventRow[];
    if (rows.length === 0) return undefined;
    const [event] = await this.withDecisions(rows);
    const stored = (await this.dataSource.query(`SELECT memorandum_id, record FROM decision WHERE cause_event_source = $1 AND cause_event_id = $2`, [source, eventId])) as { memorandum_id: string; record: StoredRecord }[];
    const explanations: Record<string, Record<string, Record<string, unknown>>> = Object.fromEntries(stored.map((d) => [d.memorandum_id, storedExplanations(d.record)]));
    return { ...event, explanations };
  }

  private async withDecisions(rows: readonly EventRow[]): Promise<HistoricEvent[]> {
    const ids = rows.flatMap((row) => (row.decisions ?? []).map((d) => d.id));
    const [tasks, entries] =
      ids.length === 0
        ? [[], []]
        : ((await Promise.all([
            this.dataSource.query(
              `SELECT decision_id, measure_code, implementing_department, target_id_type, target_id, valid_from::text AS valid_from, valid_to::text AS valid_to FROM measure_task WHERE decision_id = ANY($1::uuid[])`,
              [ids],
            ),
            this.dataSource.query(`SELECT decision_id, list_code, list_type, subject_id, valid_from::text AS valid_from, valid_to::text AS valid_to FROM list_entry WHERE decision_id = ANY($1::uuid[])`, [ids]),
          ])) as [TaskRow[], EntryRow[]]);
    const measures = groupBy(tasks, (t) => t.decision_id);
    const listEntries = groupBy(entries, (e) => e.decision_id);
    return rows.map((row) => {
      const decisions = row.decisions ?? [];
      return {
        seq: row.seq,
        source: row.source,
        eventId: row.event_id,
        envelope: row.envelope,
        decidedAt: new Date(decisions[0]?.issuedAt ?? row.processed_at ?? row.received_at),
        outcome: row.outcome,
        decisions: decisions.map((d) => ({
          memorandumId: d.memorandumId,
          listEntries: (listEntries.get(d.id) ?? []).map((e) => ({ listCode: e.list_code, listType: e.list_type, subjectId: e.subject_id, validFrom: e.valid_from, validTo: e.valid_to })),
          measures: (measures.get(d.id) ?? []).map((t) => ({ measureCode: t.measure_code, implementingDepartment: t.implementing_department, targetIdType: t.target_id_type, targetId: t.target_id, validFrom: t.valid_from, validTo: t.valid_to })),
        })),
      };
    });
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

type StoredRecord = { explanations?: Record<string, unknown>; listEntries?: Array<{ explanation?: { rule: { name: string } } }>; measureTasks?: Array<{ explanation?: { rule: { name: string } } }> };

/** A stored decision's explanations by rule name: kept once in `explanations` (terms by reference), or on each item (records stored whole). */
function storedExplanations(record: StoredRecord): Record<string, Record<string, unknown>> {
  if (record.explanations) return record.explanations as Record<string, Record<string, unknown>>;
  const found: Record<string, Record<string, unknown>> = {};
  for (const item of [...(record.listEntries ?? []), ...(record.measureTasks ?? [])]) if (item.explanation) found[item.explanation.rule.name] = item.explanation as unknown as Record<string, unknown>;
  return found;
}
