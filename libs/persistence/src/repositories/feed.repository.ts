import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface FeedRow {
  seq: string;
  recordId: string;
  department: string;
  kind: string;
  subjectId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

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

  /** Oldest unpublished records (one relay runs at a time; see OutboxRelay). */
  async unpublished(manager: EntityManager, limit: number): Promise<FeedRow[]> {
    return manager.query(
      `SELECT seq::text, record_id AS "recordId", department, kind, subject_id AS "subjectId", payload, created_at AS "createdAt"
       FROM feed_record WHERE published_at IS NULL ORDER BY feed_record.seq LIMIT $1`,
      [limit],
    );
  }

  async markPublished(manager: EntityManager, seqs: string[]): Promise<void> {
    if (seqs.length === 0) return;
    await manager.query(`UPDATE feed_record SET published_at = now() WHERE seq = ANY($1::bigint[])`, [seqs]);
  }
}
