import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface QueryAuditInput {
  at: Date;
  department: string;
  userId: string | null;
  purpose: string | null;
  approvalItem: string | null;
  /** The subject a check asked about, and its identifier type. */
  subjectId: string | null;
  subjectIdType: string | null;
  /** Full identifiers of every subject the answer named, sorted and distinct. */
  subjects: string[] | null;
  endpoint: string;
  resultCount: number;
}

export interface QueryAuditRow extends QueryAuditInput {
  id: string;
}

export interface QueryAuditFilter {
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** An id returned by a previous page. */
  afterId?: string;
  limit: number;
}

const COLUMNS = `id::text, at, department, user_id AS "userId", purpose, approval_item AS "approvalItem", subject_id AS "subjectId",
  subject_id_type AS "subjectIdType", subjects, endpoint, result_count AS "resultCount"`;

/**
 * The query log (查询日志). Rows are only ever inserted; a trigger refuses UPDATE and DELETE,
 * except a DELETE in a transaction that has set `credit.audit_purge` (the retention purge).
 */
@Injectable()
export class QueryAuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(input: QueryAuditInput): Promise<QueryAuditRow> {
    const [row] = await this.dataSource.query(
      `INSERT INTO query_audit (at, department, user_id, purpose, approval_item, subject_id, subject_id_type, subjects, endpoint, result_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [input.at, input.department, input.userId, input.purpose, input.approvalItem, input.subjectId, input.subjectIdType, input.subjects, input.endpoint, input.resultCount],
    );
    return row as QueryAuditRow;
  }

  /** Who read a subject's data, oldest first: for answering the subject (PIPL art. 45), through the GIN index on `subjects`. */
  async readsOf(subjectId: string, limit = 1000): Promise<QueryAuditRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM query_audit WHERE subjects @> ARRAY[$1::text] ORDER BY query_audit.id LIMIT $2`, [subjectId, limit]);
  }

  /** One department's own queries, oldest first, by id (the cursor; qualified, as the output column is its text form). */
  async listForDepartment(department: string, filter: QueryAuditFilter): Promise<QueryAuditRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM query_audit
       WHERE department = $1
         AND ($2::timestamptz IS NULL OR at >= $2::timestamptz)
         AND ($3::timestamptz IS NULL OR at < $3::timestamptz)
         AND ($4::bigint IS NULL OR id > $4::bigint)
       ORDER BY query_audit.id LIMIT $5`,
      [department, filter.from ?? null, filter.to ?? null, filter.afterId ?? null, filter.limit],
    );
  }

  /**
   * Deletes entries older than `days` before `now`, in one transaction that identifies
   * itself to the append-only trigger. Returns how many were deleted.
   */
  async purgeOlderThan(days: number, now: Date = new Date()): Promise<number> {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`purgeOlderThan: days must be a positive integer, got ${days}`);
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    return this.dataSource.transaction(async (manager) => {
      // SET LOCAL: the permission ends with this transaction, so no other statement on the pooled connection inherits it.
      await manager.query(`SET LOCAL credit.audit_purge = 'on'`);
      const [, affected] = (await manager.query(`DELETE FROM query_audit WHERE at < $1`, [cutoff])) as [unknown, number];
      return affected;
    });
  }
}
