import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One row of query_audit as the chain sees it: its lane, its stored hashes and its canonical text. */
export interface AuditChainLink {
  id: string;
  at: Date;
  lane: number;
  prevHash: Buffer;
  hash: Buffer;
  /** `jsonb_strip_nulls(to_jsonb(row) - 'hash' - 'prev_hash')::text` in UTC, as the trigger hashes it. */
  canonical: string;
}

/** A lane's two ends: its last purged row (id 0 and the genesis hash before any purge) and its newest row. */
export interface AuditChainEnds {
  lane: number;
  anchorId: string;
  anchorHash: Buffer;
  headId: string;
  headHash: Buffer;
}

export interface AuditChainSnapshot {
  /** Every lane's ends, by lane. */
  ends(): Promise<AuditChainEnds[]>;
  /** Up to `limit` rows with ids above `afterId`, in id order (each lane's chain order). */
  links(afterId: string, limit: number): Promise<AuditChainLink[]>;
}

/**
 * Reads query_audit's hash chains for verification, in one read-only snapshot, so rows written
 * meanwhile neither appear half-way nor move the head. The canonical text is built here rather
 * than by the database's own hash function, so a replaced function would not hide a rewrite.
 */
@Injectable()
export class AuditChainRepository {
  constructor(private readonly dataSource: DataSource) {}

  async inSnapshot<T>(work: (snapshot: AuditChainSnapshot) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // The canonical text of a timestamptz depends on the session's time zone; the trigger hashes in UTC.
      await runner.query(`SET LOCAL TimeZone = 'UTC'`);
      return await work({
        ends: () =>
          runner.query(
            `SELECT lane, anchor_id::text AS "anchorId", anchor_hash AS "anchorHash", head_id::text AS "headId", head_hash AS "headHash" FROM query_audit_chain ORDER BY lane`,
          ) as Promise<AuditChainEnds[]>,
        links: (afterId, limit) =>
          runner.query(
            `SELECT q.id::text AS id, q.at, q.chain_lane AS lane, q.prev_hash AS "prevHash", q.hash,
                    jsonb_strip_nulls(to_jsonb(q) - 'hash' - 'prev_hash')::text AS canonical
             FROM query_audit q WHERE q.id > $1::bigint ORDER BY q.id LIMIT $2`,
            [afterId, limit],
          ) as Promise<AuditChainLink[]>,
      });
    } finally {
      await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}
