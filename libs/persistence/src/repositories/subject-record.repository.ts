import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { LIST_ENTRY_COLUMNS, ListEntryRow } from '../columns/list-entry.columns';
import { MEASURE_TASK_COLUMNS, MeasureTaskRow } from '../columns/measure-task.columns';
import type { QueryAuditInput } from './query-audit.repository';

export interface SubjectKey {
  idType: string;
  id: string;
}

/** A measure in force as a credit check reads it: the task's row and what the check shows with it. */
export interface CurrentMeasureRow extends MeasureTaskRow {
  /** The parts of the stored explanation a check shows (the facts and conditions stay in the decision). */
  explanation: { memorandum: { id?: string; version?: string; documentNumber?: string } | null; rule: unknown; ruleSetRevision: unknown };
  /** The listed subject the measure stems from (for a related person, the organisation), with its list entry's dispute flag. */
  listEntry: { id: string; listCode: string; subjectKind: string; subjectId: string; subjectName: string; disputed: boolean } | null;
}

/** A credit check to answer and log: who asks, about whom, for which measures, on which China date. */
export interface LoggedCheck {
  subject: SubjectKey;
  department: string;
  measureCodes: readonly string[];
  /** China calendar date, YYYY-MM-DD. */
  today: string;
  /**
   * Whether `record` may say that something is in force for another department: `caller` keeps the
   * answer to what the caller itself sees, so that it cannot tell a person on file from an unknown one.
   */
  recordScope: 'platform' | 'caller';
  /**
   * Refuse the check, reading and logging nothing, when the same department and user already
   * checked this many other natural persons in the minute up to `audit.at`. Null: not counted
   * (organisations; a check without a user id is never counted).
   */
  burstLimit: number | null;
  /** The query_audit row; its department, subject and subjects are the check's, its result count is counted by the statement. */
  audit: Omit<QueryAuditInput, 'department' | 'subjectId' | 'subjectIdType' | 'subjects' | 'resultCount'>;
}

export type LoggedCheckResult =
  | {
      outcome: 'answered';
      /** The query_audit row's id. */
      checkId: string;
      entries: ListEntryRow[];
      measures: CurrentMeasureRow[];
      /** Whether anything is in force about the subject (within `recordScope`): false means 无记录 (no record). */
      record: boolean;
      /** What the audit row names as returned: the subject and every organisation a measure stems from. */
      subjects: string[];
    }
  | {
      outcome: 'burst-refused';
      /** Other subjects the same department and user checked in the window. */
      recentSubjects: number;
    };

export interface PublicListFilter {
  listTypes: string[];
  listCode?: string;
  hideNaturalPersons: boolean;
  /** China calendar date, YYYY-MM-DD. */
  today: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

// A record is in force on `today` when active and valid_from ≤ today ≤ valid_to (valid_to is the last day in force).
// valid_to never passes last_usable_on (the planner and the migration cut it back), so nothing past its
// limitation is in force even before the scheduler has recorded its end.
const IN_FORCE = (alias: string, today: string) => `${alias}.state = 'active' AND ${today}::date BETWEEN ${alias}.valid_from AND ${alias}.valid_to`;

// $1 subject id, $2 id type, $3 China date, $4 department, $5 measure codes, $6–$10 the audit row's at, user, purpose,
// approval item, endpoint, $11 burst limit (null: not counted), $12 whether `record` looks beyond the caller's own view.
// CTEs referenced more than once are computed once; the INSERT runs exactly once unless the burst is refused, and then
// nothing is read: a refused check learns nothing.
/** Exported for the credit-check bench's bare probe, which runs this very statement. */
export const CHECK_AND_LOG_SQL = `
WITH burst AS (
  SELECT count(DISTINCT qa.subject_id)::int AS "recentSubjects", coalesce(count(DISTINCT qa.subject_id) >= $11::int, false) AS refused
  FROM query_audit qa
  -- The literal type matches the partial index ix_query_audit_person_checks under a generic plan; a parameter would not.
  WHERE $11::int IS NOT NULL AND qa.department = $4 AND qa.user_id = $7::text AND qa.endpoint = $10::text
    AND qa.subject_id_type = 'RESIDENT_ID' AND qa.subject_id <> $1
    AND qa.at > $6::timestamptz - interval '1 minute' AND qa.at <= $6::timestamptz
), entries AS (
  SELECT ${LIST_ENTRY_COLUMNS}
  FROM list_entry le
  WHERE le.subject_id = $1 AND le.subject_id_type = $2 AND ${IN_FORCE('le', '$3')} AND NOT (SELECT refused FROM burst)
), measures AS (
  SELECT ${MEASURE_TASK_COLUMNS},
         jsonb_build_object('memorandum', t.explanation -> 'memorandum', 'rule', t.explanation -> 'rule', 'ruleSetRevision', t.explanation -> 'ruleSetRevision') AS explanation,
         CASE WHEN le.id IS NULL THEN NULL ELSE jsonb_build_object('id', le.id, 'listCode', le.list_code, 'subjectKind', le.subject_kind,
              'subjectId', le.subject_id, 'subjectName', le.subject_name, 'disputed', le.disputed) END AS "listEntry"
  FROM measure_task t
  LEFT JOIN list_entry le ON le.id = t.list_entry_id
  WHERE t.target_id = $1 AND t.target_id_type = $2
    AND (t.implementing_department = $4 OR t.cooperating_departments @> jsonb_build_array($4::text))
    AND t.measure_code = ANY($5::text[])
    AND ${IN_FORCE('t', '$3')}
    AND (t.list_entry_id IS NULL OR le.state = 'active')
    AND NOT (SELECT refused FROM burst)
), named AS (
  -- The subjects the answer names: the one checked, and the listed organisation of every measure targeting it in another role.
  SELECT array_agg(DISTINCT s ORDER BY s) AS subjects
  FROM (SELECT $1::text AS s UNION ALL SELECT m."listEntry" ->> 'subjectId' FROM measures m WHERE m."targetRole" <> 'subject' AND m."listEntry" IS NOT NULL) ids
), logged AS (
  INSERT INTO query_audit (at, department, user_id, purpose, approval_item, subject_id, subject_id_type, subjects, endpoint, result_count)
  SELECT $6::timestamptz, $4, $7::text, $8, $9, $1, $2, (SELECT subjects FROM named), $10::text, (SELECT count(*) FROM entries) + (SELECT count(*) FROM measures)
  WHERE NOT (SELECT refused FROM burst)
  RETURNING id
)
SELECT burst.refused, burst."recentSubjects", logged.id::text AS "checkId", (SELECT subjects FROM named) AS subjects,
       (SELECT coalesce(json_agg(e ORDER BY e."validFrom", e."listCode", e.id), '[]') FROM entries e) AS entries,
       (SELECT coalesce(json_agg(m ORDER BY m."measureCode", m."validFrom", m.id), '[]') FROM measures m) AS measures,
       (EXISTS (SELECT 1 FROM entries) OR EXISTS (SELECT 1 FROM measures)
        OR ($12::boolean AND NOT burst.refused
            AND EXISTS (SELECT 1 FROM measure_task mt WHERE mt.target_id = $1 AND mt.target_id_type = $2 AND ${IN_FORCE('mt', '$3')}))) AS record
FROM burst LEFT JOIN logged ON true`;

/** Named: each pooled connection parses and plans it once (a new text needs a new name). */
export const CHECK_AND_LOG_STATEMENT = 'credit-check-and-log-v2';

/** What applies to a subject now: reads for credit checks and for public disclosure. */
@Injectable()
export class SubjectRecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** TypeORM's pg pool, for a named prepared statement (DataSource.query cannot name one). */
  private pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * The whole credit check in one statement, so one round trip: the subject's list entries
   * in force, `department`'s measures in force among `measureCodes` (implemented or
   * cooperated on, targeting the subject in any role; a task whose list entry has ended is
   * not in force even if its own end has not been recorded yet), whether anything is in force
   * about the subject (false: 无记录), and the query_audit row of the check with its result
   * count and the subjects it names. The row commits with the statement, before the caller can
   * answer. A burst over `burstLimit` reads and logs nothing. The count sees only committed rows:
   * concurrent checks by one user can pass it together, so the limit is exact for one request at
   * a time and overshoots by at most the user's concurrency.
   */
  async checkAndLog(check: LoggedCheck): Promise<LoggedCheckResult> {
    const { subject, audit } = check;
    const { rows } = await this.pool().query<{
      refused: boolean;
      recentSubjects: number;
      checkId: string | null;
      subjects: string[] | null;
      entries: ListEntryRow[];
      measures: CurrentMeasureRow[];
      record: boolean;
    }>({
      name: CHECK_AND_LOG_STATEMENT,
      text: CHECK_AND_LOG_SQL,
      // An ISO instant rather than a Date: pg would format the Date in local time, field by field.
      values: [
        subject.id,
        subject.idType,
        check.today,
        check.department,
        check.measureCodes,
        audit.at.toISOString(),
        audit.userId,
        audit.purpose,
        audit.approvalItem,
        audit.endpoint,
        check.burstLimit,
        check.recordScope === 'platform',
      ],
    });
    const [row] = rows;
    if (row.refused) return { outcome: 'burst-refused', recentSubjects: row.recentSubjects };
    return { outcome: 'answered', checkId: row.checkId!, entries: row.entries, measures: row.measures, record: row.record, subjects: row.subjects ?? [subject.id] };
  }

  /** Entries in force on the given lists, in a stable order (created_at, id) for keyset paging. */
  async publicListEntries(filter: PublicListFilter): Promise<ListEntryRow[]> {
    return this.dataSource.query(
      `SELECT ${LIST_ENTRY_COLUMNS}
       FROM list_entry le
       WHERE le.list_type = ANY($1::text[])
         AND ($2::text IS NULL OR le.list_code = $2::text)
         AND (NOT $3::boolean OR le.subject_id_type <> 'RESIDENT_ID')
         AND ${IN_FORCE('le', '$4')}
         AND ($5::timestamptz IS NULL OR (le.created_at, le.id) > ($5::timestamptz, $6::uuid))
       ORDER BY le.created_at, le.id
       LIMIT $7`,
      [filter.listTypes, filter.listCode ?? null, filter.hideNaturalPersons, filter.today, filter.after?.createdAt ?? null, filter.after?.id ?? null, filter.limit],
    );
  }
}
