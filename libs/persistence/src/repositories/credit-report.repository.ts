import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryAuditInput } from './query-audit.repository';

/** A credit_report row as every reader takes it: the report as issued, bytes and all. */
export interface CreditReportRow {
  number: string;
  /** ISO instant (UTC, milliseconds). */
  issuedAt: string;
  /** The China date the report's content is as of. */
  asOf: string;
  department: string;
  userId: string | null;
  purpose: string;
  use: string;
  subjectIdType: string;
  subjectId: string;
  subjectKind: string | null;
  subjectName: string | null;
  /** scrypt$<salt>$<hash>, hex: the verification code itself is never stored. */
  codeHash: string;
  /** The typed report model the documents were rendered from (CreditReport in libs/query). */
  model: unknown;
  pdf: Buffer;
  html: Buffer;
  pdfSha256: string;
  htmlSha256: string;
  /** The query_audit row of the issue. */
  auditId: string;
}

export type CreditReportInput = Omit<CreditReportRow, 'auditId' | 'issuedAt'> & { issuedAt: Date };

const isoInstant = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const REPORT_COLUMNS = `r.number, ${isoInstant('r.issued_at')} AS "issuedAt", r.as_of::text AS "asOf", r.department, r.user_id AS "userId", r.purpose, r.use,
  r.subject_id_type AS "subjectIdType", r.subject_id AS "subjectId", r.subject_kind AS "subjectKind", r.subject_name AS "subjectName",
  r.code_hash AS "codeHash", r.model, r.pdf, r.html, r.pdf_sha256 AS "pdfSha256", r.html_sha256 AS "htmlSha256", r.audit_id::text AS "auditId"`;
/** Everything but the documents' bytes: verification reads only this. */
const SUMMARY_COLUMNS = REPORT_COLUMNS.replace('r.pdf, r.html, ', '');

/** Issued credit reports (信用报告), kept as issued; the facts they are made of are read by the repositories that own them, in one snapshot. */
@Injectable()
export class CreditReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `read` in one REPEATABLE READ, read-only transaction: every fact of a report is read
   * from the same snapshot, so the report is what the records said at one instant.
   */
  snapshot<T>(read: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return read(manager);
    });
  }

  /** The next report sequence number (a failed issue leaves a gap, as sequences do). */
  async nextNumber(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT nextval('credit_report_number_seq')::text AS n`);
    return Number(row.n);
  }

  /** The report and the query_audit row of its issue, in one transaction: no report exists without its audit row. */
  async issue(report: CreditReportInput, audit: QueryAuditInput): Promise<CreditReportRow> {
    return this.dataSource.transaction(async (manager) => {
      const [logged] = await manager.query(
        `INSERT INTO query_audit (at, department, user_id, purpose, approval_item, subject_id, subject_id_type, subjects, endpoint, result_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id::text`,
        [audit.at, audit.department, audit.userId, audit.purpose, audit.approvalItem, audit.subjectId, audit.subjectIdType, audit.subjects, audit.endpoint, audit.resultCount],
      );
      const [row] = await manager.query(
        `INSERT INTO credit_report AS r (number, issued_at, as_of, department, user_id, purpose, use, subject_id_type, subject_id, subject_kind, subject_name,
           code_hash, model, pdf, html, pdf_sha256, html_sha256, audit_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         RETURNING ${REPORT_COLUMNS}`,
        [
          report.number, report.issuedAt, report.asOf, report.department, report.userId, report.purpose, report.use, report.subjectIdType, report.subjectId,
          report.subjectKind, report.subjectName, report.codeHash, JSON.stringify(report.model), report.pdf, report.html, report.pdfSha256, report.htmlSha256, logged.id,
        ],
      );
      return row as CreditReportRow;
    });
  }

  /**
   * Other natural persons `userId` of `department` read in the minute up to `at` through `endpoints`
   * (the shared burst limit of checks, reviews and reports), and of those, how many by a report
   * (`reportEndpoint`). Counted over query_audit (the partial index on persons' rows), committed rows
   * only: concurrent requests by one user can pass together, as with the credit check's.
   */
  async recentPersonReads(department: string, userId: string, at: Date, subjectId: string, endpoints: readonly string[], reportEndpoint: string): Promise<{ reads: number; reports: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(DISTINCT subject_id)::int AS reads, count(DISTINCT subject_id) FILTER (WHERE endpoint = $6)::int AS reports FROM query_audit
       WHERE subject_id_type = 'RESIDENT_ID' AND department = $1 AND user_id = $2 AND endpoint = ANY($5::text[]) AND subject_id <> $3
         AND at > $4::timestamptz - interval '1 minute' AND at <= $4::timestamptz`,
      [department, userId, subjectId, at.toISOString(), endpoints, reportEndpoint],
    );
    return { reads: row.reads, reports: row.reports };
  }

  /** Reports `department` was issued in the minute up to `at`, on any subject (the issue limit); committed rows only. */
  async recentIssues(department: string, at: Date): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM credit_report WHERE department = $1 AND issued_at > $2::timestamptz - interval '1 minute' AND issued_at <= $2::timestamptz`,
      [department, at.toISOString()],
    );
    return row.n;
  }

  /** One report with its documents. */
  async find(number: string): Promise<CreditReportRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${REPORT_COLUMNS} FROM credit_report r WHERE r.number = $1`, [number]);
    return row;
  }

  /** Only the verification code's hash: verification reads the rest after the code matched. */
  async findCodeHash(number: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query(`SELECT code_hash AS "codeHash" FROM credit_report WHERE number = $1`, [number]);
    return row?.codeHash;
  }

  /** One report without its documents' bytes (verification needs only the hashes). */
  async findSummary(number: string): Promise<Omit<CreditReportRow, 'pdf' | 'html'> | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${SUMMARY_COLUMNS} FROM credit_report r WHERE r.number = $1`, [number]);
    return row;
  }
}
