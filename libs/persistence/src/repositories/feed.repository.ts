import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FeedRecord } from '@app/decision-log';
import { FEED_RECORD_COLUMNS, FeedRecordRow } from '../columns/feed-record.columns';
import { IssuedDecisionRepository, issuedRecordKey } from './issued-decision.repository';
import { LifecycleChangeRepository, lifecycleRecordKey } from './lifecycle-change.repository';
import { markPublishedInRanges, SeqRange } from './published-ranges';

/** The traceparent of the request behind a record's decision (null for records of no decision, or from before it was kept). */
interface Traced {
  traceparent: string | null;
}

/** A feed record as a department reads it. */
export interface FeedRow extends FeedRecordRow, Traced {
  payload: FeedRecord;
}

/** An outbox row as the relay sends it: the payload as JSON text (stored, or rendered), never parsed. */
export interface OutboxRow extends FeedRecordRow, Traced {
  payloadJson: string;
}


/** An index row as read, before its record is rendered: stored payload (refusals, older rows) or none. */
type IndexRow<P> = FeedRecordRow & Traced & { decisionId: string; changeId: string | null; stored: P | null };

const INDEX_COLUMNS = `${FEED_RECORD_COLUMNS}, f.decision_id AS "decisionId", f.lifecycle_change_id AS "changeId",
  (SELECT d.traceparent FROM decision d WHERE d.id = f.decision_id) AS traceparent`;

function rowOf({ decisionId: _decisionId, changeId: _changeId, stored: _stored, ...row }: IndexRow<unknown>): FeedRecordRow & Traced {
  return row;
}

/**
 * Reads the department feed by cursor, and lets the relay drain what is not yet published. A
 * row without a stored payload is an index entry, its record rendered from what is stored once
 * (a decision.issued from its decision, a lifecycle record from its change), the same for the
 * feed and the topic.
 */
@Injectable()
export class FeedRepository {
  private readonly issued = new IssuedDecisionRepository();
  private readonly changes = new LifecycleChangeRepository();

  constructor(private readonly dataSource: DataSource) {}

  async readAfter(department: string, afterSeq: string, limit: number): Promise<FeedRow[]> {
    const rows: IndexRow<FeedRecord>[] = await this.dataSource.query(
      `SELECT ${INDEX_COLUMNS}, f.payload AS stored FROM feed_record f WHERE f.department = $1 AND f.seq > $2 ORDER BY f.seq LIMIT $3`,
      [department, afterSeq, limit],
    );
    const rendered = await this.renderMissing(this.dataSource.manager, rows);
    return rows.map((index) => ({ ...rowOf(index), payload: index.stored ?? rendered(index) }));
  }

  /**
   * Oldest unpublished records (one relay runs at a time; see OutboxRelay). The seqs are
   * picked first and only their payloads read: with stale statistics during a burst the
   * planner otherwise sorted every unpublished row's payload (hundreds of MB) to return 2,000.
   */
  async unpublished(manager: EntityManager, limit: number, excluding: readonly string[] = []): Promise<OutboxRow[]> {
    // `excluding`: the batch the relay is sending now (read ahead while its Kafka transaction commits).
    const rows: IndexRow<string>[] = await manager.query(
      `WITH next AS MATERIALIZED (SELECT seq FROM feed_record WHERE published_at IS NULL AND NOT (seq = ANY($2::bigint[])) ORDER BY seq LIMIT $1)
       SELECT ${INDEX_COLUMNS}, f.payload::text AS stored
       FROM next JOIN feed_record f ON f.seq = next.seq`,
      [limit, excluding],
    );
    const rendered = await this.renderMissing(manager, rows);
    const outbox = rows.map((index) => ({ ...rowOf(index), payloadJson: index.stored ?? JSON.stringify(rendered(index)) }));
    // Ordered here rather than by a second sort of the payloads in the database (it spilled to disk).
    return outbox.sort((a, b) => a.seq.length - b.seq.length || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  }

  /** Renders the records of the rows stored without a payload; a row that cannot be rendered is a broken invariant, not a record to skip. */
  private async renderMissing(manager: EntityManager, rows: readonly IndexRow<unknown>[]): Promise<(row: IndexRow<unknown>) => FeedRecord> {
    const missing = rows.filter((r) => r.stored === null);
    const issued = await this.issued.render(manager, missing.filter((r) => r.changeId === null));
    const changed = await this.changes.render(
      manager,
      missing.flatMap((r) => (r.changeId === null ? [] : [{ changeId: r.changeId, department: r.department }])),
    );
    return (row) => {
      const record = row.changeId === null ? issued.get(issuedRecordKey(row)) : changed.get(lifecycleRecordKey({ changeId: row.changeId, department: row.department }));
      if (!record) throw new Error(`feed record ${row.seq} has neither a payload nor a stored decision or change to render it from`);
      return record;
    };
  }

  async markPublished(manager: EntityManager, seqs: string[]): Promise<void> {
    if (seqs.length === 0) return;
    await manager.query(`UPDATE feed_record SET published_at = now() WHERE seq = ANY($1::bigint[])`, [seqs]);
  }

  /**
   * Marks published what is still unpublished in the given ranges (a relay checkpoint's, after a
   * restart); returns how many records that was.
   */
  markPublishedRanges(manager: EntityManager, ranges: readonly SeqRange[]): Promise<number> {
    return markPublishedInRanges(manager, 'feed_record', ranges);
  }
}
