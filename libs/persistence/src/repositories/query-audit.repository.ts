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
 * The query log (查询日志). Rows are only ever inserted, each chained by hash to the one before
 * (a trigger draws the id and the hashes); the app role may not UPDATE, DELETE or TRUNCATE, and
 * a trigger refuses UPDATE and DELETE to the owner too, except inside purge_query_audit().
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
   * Deletes entries older than `days` before `now` through purge_query_audit(), the only way
   * rows leave the table. The function refuses a cutoff less than 1826 days before the
   * database's own clock, whatever `days` or `now` say: that refusal is an outcome here, any
   * other failure (the function missing or not executable, say) is thrown.
   */
  async purgeOlderThan(days: number, now: Date = new Date()): Promise<AuditPurgeResult> {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`purgeOlderThan: days must be a positive integer, got ${days}`);
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    try {
      // The first purge after a long gap may delete millions of rows: exempt from the sessions' statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS), or it would be cancelled every day.
      const [{ purged }] = await this.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL statement_timeout = 0');
        return (await manager.query(`SELECT purge_query_audit($1)::text AS purged`, [cutoff.toISOString()])) as { purged: string }[];
      });
      return { kind: 'purged', rows: Number(purged), cutoff };
    } catch (error) {
      if (isYoungRowsRefusal(error)) return { kind: 'refused', cutoff };
      throw error;
    }
  }
}

export type AuditPurgeResult = { kind: 'purged'; rows: number; cutoff: Date } | { kind: 'refused'; cutoff: Date };

/** purge_query_audit's own RAISE (42501 from inside the function), not a permission error on calling it. */
function isYoungRowsRefusal(error: unknown): boolean {
  const { code, where } = error as { code?: string; where?: string };
  return code === '42501' && typeof where === 'string' && where.includes('purge_query_audit');
}
