import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FeedRecord, FeedRecordKind } from '@app/decision-log';

export interface FeedRow {
  seq: string;
  recordId: string;
  department: string;
  kind: FeedRecordKind;
  subjectId: string;
  payload: FeedRecord;
  createdAt: Date;
}

/** An outbox row as the relay sends it: the payload as stored JSON text, never parsed. */
export type OutboxRow = Omit<FeedRow, 'payload'> & { payloadJson: string };

/** Reads the department feed by cursor, and lets the relay drain what is not yet published. */
@Injectable()
export class FeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  async readAfter(department: string, afterSeq: string, limit: number): Promise<FeedRow[]> {
    return this.dataSource.query(
      `SELECT seq::text, record_id AS "recordId", department, kind, subject_id AS "subjectId", payload, created_at AS "createdAt"
       FROM feed_record WHERE department = $1 AND seq > $2 ORDER BY feed_record.seq LIMIT $3`,
      [department, afterSeq, limit],
    );
  }

  /**
   * Oldest unpublished records (one relay runs at a time; see OutboxRelay). The seqs are
   * picked first and only their payloads read: with stale statistics during a burst the
   * planner otherwise sorted every unpublished row's payload (hundreds of MB) to return 2,000.
   */
  async unpublished(manager: EntityManager, limit: number): Promise<OutboxRow[]> {
    const rows: OutboxRow[] = await manager.query(
      `WITH next AS MATERIALIZED (SELECT seq FROM feed_record WHERE published_at IS NULL ORDER BY seq LIMIT $1)
       SELECT f.seq::text, f.record_id AS "recordId", f.department, f.kind, f.subject_id AS "subjectId", f.payload::text AS "payloadJson", f.created_at AS "createdAt"
       FROM next JOIN feed_record f ON f.seq = next.seq`,
      [limit],
    );
    // Ordered here rather than by a second sort of the payloads in the database (it spilled to disk).
    return rows.sort((a, b) => a.seq.length - b.seq.length || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  }

  async markPublished(manager: EntityManager, seqs: string[]): Promise<void> {
    if (seqs.length === 0) return;
    await manager.query(`UPDATE feed_record SET published_at = now() WHERE seq = ANY($1::bigint[])`, [seqs]);
  }
}
