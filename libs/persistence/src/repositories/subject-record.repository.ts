import type { RecordedLegalBasis } from '@app/rules';
import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { AssociationSanctionFact } from '@app/rules';
import { associationSanctionFact, AssociationSanctionRow, associationSanctionsSql } from '../columns/association-sanction.columns';
import { LIST_ENTRY_COLUMNS, ListEntryRow } from '../columns/list-entry.columns';
import { MEASURE_TASK_COLUMNS, MeasureTaskRow } from '../columns/measure-task.columns';
import { GroupCommit } from '../group-commit';
import type { StoredCreditClass } from './credit-class.repository';

/** A stored class as the credit check reads it. */
export type CheckedClassRow = Pick<StoredCreditClass, 'modelId' | 'class' | 'basis' | 'modelVersion' | 'modelRevision' | 'explanation' | 'changedAt'>;
import type { QueryAuditInput } from './query-audit.repository';
import { AuditedEndpoint } from './audited-endpoints';
import { breachWithdrawalSql, COMMITMENT_COLUMNS, CommitmentRecord, CommitmentRow, countedBreachSql, WITHDRAWING_END_REASONS, withinLimitationSql } from './commitment.repository';

export interface SubjectKey {
  idType: string;
  id: string;
}

/**
 * Whose records a report reads: every department's (`platform`, an organisation), or only what the
 * calling department holds itself (a natural person, PIPL 最小必要, as the credit check's `caller` scope).
 */
export type ReportScope = { of: 'platform' } | { of: 'caller'; department: string };

/** The department a `caller` scope keeps to, or null for `platform`: the SQL's one parameter. */
export function scopeDepartment(scope: ReportScope): string | null {
  return scope.of === 'caller' ? scope.department : null;
}

// A task the department $n implements or cooperates on (the credit check's measure scope); true when $n is null.
const HELD_BY = (t: string, n: string) => `(${n}::text IS NULL OR ${t}.implementing_department = ${n}::text OR ${t}.cooperating_departments @> jsonb_build_array(${n}::text))`;

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
  /** The audited endpoints whose natural-person reads count towards the burst (the check's and the applicant review's together). */
  burstEndpoints: readonly AuditedEndpoint[];
  /** Also read the subject's closed commitments (within `recordScope`), for the applicant review. */
  commitmentHistory: boolean;
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
      /** The subject's stored credit classes, one per model (credit_class), read in the same statement. */
      classes: CheckedClassRow[];
      /**
       * Associations' decided sanctions of an organisation (`platform` scope) that may still be within
       * their publicity period (selfDisciplineRecordOf decides with the registry's months); none for `caller`.
       */
      sanctions: AssociationSanctionFact[];
      /** What the audit row names as returned: the subject and every organisation a measure stems from. */
      subjects: string[];
      /** The calling department's open credit commitments of the subject, earliest due first. */
      openCommitments: CommitmentRow[];
      /** The subject's commitments by how they stand, within `recordScope`. */
      commitmentRecord: CommitmentRecord;
      /** Closed commitments within the five-year limit and `recordScope`, latest first; empty unless `commitmentHistory`. */
      commitmentHistory: ClosedCommitmentRow[];
    }
  | {
      outcome: 'burst-refused';
      /** Other subjects the same department and user checked in the window. */
      recentSubjects: number;
    };

/** A kept or broken commitment as the applicant review lists it. */
export interface ClosedCommitmentRow {
  id: string;
  department: string;
  reference: string;
  approvalItemCode: string;
  approvalItemName: string;
  dueOn: string;
  state: 'kept' | 'breached';
  /** Fulfilled on, or broken on. */
  closedOn: string;
  breachKind: 'reported' | 'overdue' | null;
  /** Kept after all: an overdue breach its department corrected. Told only to that department (to others it is kept). */
  corrected: boolean;
  /** How a breach was taken back (removed, repaired, objection-revoked), or null. Only the recording department is shown a breach taken back. */
  withdrawnBy: (typeof WITHDRAWING_END_REASONS)[number] | null;
}

/** Closed commitments an applicant review lists at most (latest first): five years of an applicant's approvals, bounded. */
export const COMMITMENT_HISTORY_LIMIT = 100;
/** An administrative penalty (credit.penalty.imposed.v1) whose measures against the subject are still in force, i.e. within its publicity. */
export interface PenaltyInPublicityRow {
  decisionId: string;
  /** The deciding department's source, e.g. /departments/environment. */
  source: string;
  eventId: string;
  penaltyType: string;
  severity: string;
  reason: string;
  documentNumber: string;
  decidedOn: string;
  fineAmountYuan: number | null;
  memorandumId: string;
  /** China dates: the first day of its measures, the last day any of them is in force. */
  validFrom: string;
  publicUntil: string;
  /** The legal basis of each measure, as recorded (may repeat across measures). */
  legalBasis: RecordedLegalBasis[];
  disputed: boolean;
}

/** How the records name a subject: the latest name and kind any department gave it. */
export interface SubjectIdentityRow {
  name: string | null;
  kind: string | null;
}

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

// $1 the checks of a group, a JSON array of CheckParameters. Each check is read and logged as the single-check
// statement did: `burst_limit` null is not counted, `platform` says whether `record` looks beyond the caller's own view,
// and a refused check reads and logs nothing (it learns nothing). CTEs referenced more than once are computed once; the
// INSERT runs once for the group, its rows in the order of the checks, so that the ids the chain trigger draws (under
// the lane's lock, one after another) follow that order and give each check its own row back.
/** Exported for the credit-check bench's bare probe, which runs this very statement (a group of one check a request). */
export const CHECKS_AND_LOG_SQL = `
WITH checks AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS c(ord int, subject_id text, id_type text, today date, department text, measure_codes text[],
    at timestamptz, user_id text, purpose text, approval_item text, endpoint text, burst_limit int, burst_endpoints text[], platform boolean, history boolean)
), judged AS (
  SELECT c.*, burst.recent, burst.refused
  FROM checks c CROSS JOIN LATERAL (
    SELECT count(DISTINCT qa.subject_id)::int AS recent, coalesce(count(DISTINCT qa.subject_id) >= c.burst_limit, false) AS refused
    FROM query_audit qa
    -- The literal type matches the partial index ix_query_audit_person_checks.
    WHERE c.burst_limit IS NOT NULL AND qa.department = c.department AND qa.user_id = c.user_id AND qa.endpoint = ANY(c.burst_endpoints)
      AND qa.subject_id_type = 'RESIDENT_ID' AND qa.subject_id <> c.subject_id
      AND qa.at > c.at - interval '1 minute' AND qa.at <= c.at
  ) burst
), entries AS (
  SELECT j.ord, e
  FROM judged j CROSS JOIN LATERAL (
    SELECT ${LIST_ENTRY_COLUMNS}
    FROM list_entry le
    WHERE le.subject_id = j.subject_id AND le.subject_id_type = j.id_type AND ${IN_FORCE('le', 'j.today')}
  ) e
  WHERE NOT j.refused
), measures AS (
  SELECT j.ord, m
  FROM judged j CROSS JOIN LATERAL (
    SELECT ${MEASURE_TASK_COLUMNS},
           jsonb_build_object('memorandum', t.explanation -> 'memorandum', 'rule', t.explanation -> 'rule', 'ruleSetRevision', t.explanation -> 'ruleSetRevision') AS explanation,
           CASE WHEN le.id IS NULL THEN NULL ELSE jsonb_build_object('id', le.id, 'listCode', le.list_code, 'subjectKind', le.subject_kind,
                'subjectId', le.subject_id, 'subjectName', le.subject_name, 'disputed', le.disputed) END AS "listEntry"
    FROM measure_task t
    LEFT JOIN list_entry le ON le.id = t.list_entry_id
    WHERE t.target_id = j.subject_id AND t.target_id_type = j.id_type
      AND (t.implementing_department = j.department OR t.cooperating_departments @> jsonb_build_array(j.department))
      AND t.measure_code = ANY(j.measure_codes)
      AND ${IN_FORCE('t', 'j.today')}
      AND (t.list_entry_id IS NULL OR le.state = 'active')
  ) m
  WHERE NOT j.refused
), sanctions AS (
  -- A natural person's check shows only what the caller holds itself: no association's sanctions.
  SELECT j.ord, s
  FROM judged j CROSS JOIN LATERAL (${associationSanctionsSql('j.subject_id', 'j.id_type', 'j.today')}) s
  WHERE NOT j.refused AND j.platform
), named AS (
  -- The subjects each answer names: the one checked, and the listed organisation of every measure targeting it in another role.
  SELECT j.ord, (
    SELECT array_agg(DISTINCT s ORDER BY s)
    FROM (SELECT j.subject_id AS s UNION ALL SELECT (x.m)."listEntry" ->> 'subjectId' FROM measures x WHERE x.ord = j.ord AND (x.m)."targetRole" <> 'subject' AND (x.m)."listEntry" IS NOT NULL) ids
  ) AS subjects
  FROM judged j
), logged AS (
  INSERT INTO query_audit (at, department, user_id, purpose, approval_item, subject_id, subject_id_type, subjects, endpoint, result_count)
  SELECT j.at, j.department, j.user_id, j.purpose, j.approval_item, j.subject_id, j.id_type, n.subjects, j.endpoint,
         (SELECT count(*) FROM entries x WHERE x.ord = j.ord) + (SELECT count(*) FROM measures x WHERE x.ord = j.ord)
  FROM judged j JOIN named n ON n.ord = j.ord
  WHERE NOT j.refused
  ORDER BY j.ord
  RETURNING id
), logged_in_order AS (
  SELECT id, row_number() OVER (ORDER BY id) AS n FROM logged
), answered_in_order AS (
  SELECT ord, row_number() OVER (ORDER BY ord) AS n FROM judged WHERE NOT refused
)
SELECT j.ord, j.refused, j.recent AS "recentSubjects", l.id::text AS "checkId", n.subjects,
       (SELECT coalesce(json_agg(x.e ORDER BY (x.e)."validFrom", (x.e)."listCode", (x.e).id), '[]') FROM entries x WHERE x.ord = j.ord) AS entries,
       (SELECT coalesce(json_agg(x.m ORDER BY (x.m)."measureCode", (x.m)."validFrom", (x.m).id), '[]') FROM measures x WHERE x.ord = j.ord) AS measures,
       (SELECT coalesce(json_agg(x.s ORDER BY (x.s)."eventId"), '[]') FROM sanctions x WHERE x.ord = j.ord) AS sanctions,
       (EXISTS (SELECT 1 FROM entries x WHERE x.ord = j.ord) OR EXISTS (SELECT 1 FROM measures x WHERE x.ord = j.ord)
        OR (j.platform AND NOT j.refused
            AND EXISTS (SELECT 1 FROM measure_task mt WHERE mt.target_id = j.subject_id AND mt.target_id_type = j.id_type AND ${IN_FORCE('mt', 'j.today')}))) AS record,
       (SELECT coalesce(json_agg(c ORDER BY c."dueOn", c.id), '[]')
        FROM (SELECT ${COMMITMENT_COLUMNS} FROM credit_commitment cc
              WHERE NOT j.refused AND cc.subject_id = j.subject_id AND cc.subject_id_type = j.id_type AND cc.department = j.department AND cc.state = 'open') c) AS "openCommitments",
       (SELECT json_build_object('open', count(*) FILTER (WHERE cc.state = 'open'), 'kept', count(*) FILTER (WHERE cc.state = 'kept'), 'broken', count(*) FILTER (WHERE ${countedBreachSql('cc', 'j.today')}))
        FROM credit_commitment cc
        WHERE NOT j.refused AND cc.subject_id = j.subject_id AND cc.subject_id_type = j.id_type AND (j.platform OR cc.department = j.department)) AS "commitmentRecord",
       (SELECT coalesce(json_agg(h ORDER BY h."closedOn" DESC, h.id), '[]')
        FROM (SELECT cc.id, cc.department, cc.reference, cc.approval_item_code AS "approvalItemCode", cc.approval_item_name AS "approvalItemName", cc.due_on::text AS "dueOn",
                     cc.state, cc.closed_on::text AS "closedOn", cc.breach_kind AS "breachKind", cc.corrected_at IS NOT NULL AND cc.department = j.department AS corrected,
                     CASE WHEN cc.state = 'breached' THEN ${breachWithdrawalSql('cc')} END AS "withdrawnBy"
              FROM credit_commitment cc
              WHERE j.history AND NOT j.refused AND cc.subject_id = j.subject_id AND cc.subject_id_type = j.id_type AND (j.platform OR cc.department = j.department)
                -- A breach taken back (repaired, removed, revoked on objection) is no longer published (DOMAIN §4): only its recording
                -- department still sees it; to the others a corrected breach is simply kept.
                AND (cc.department = j.department OR cc.state <> 'breached' OR ${breachWithdrawalSql('cc')} IS NULL)
                AND cc.state <> 'open' AND ${withinLimitationSql('cc.closed_on', 'j.today')}
              ORDER BY cc.closed_on DESC, cc.id LIMIT ${COMMITMENT_HISTORY_LIMIT}) h) AS "commitmentHistory",
       (SELECT coalesce(json_agg(json_build_object('modelId', c.model_id, 'class', c.class, 'basis', c.basis, 'modelVersion', c.model_version, 'modelRevision', c.model_revision,
                 'explanation', c.explanation, 'changedAt', to_char(c.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY c.model_id), '[]')
        FROM credit_class c WHERE NOT j.refused AND c.subject_id = j.subject_id AND c.subject_id_type = j.id_type) AS classes
FROM judged j
JOIN named n ON n.ord = j.ord
LEFT JOIN answered_in_order a ON a.ord = j.ord
LEFT JOIN logged_in_order l ON l.n = a.n
ORDER BY j.ord`;

export const CHECKS_AND_LOG_STATEMENT = 'credit-checks-and-log-v4';

/** One check of a group, as CHECKS_AND_LOG_SQL reads it (an ISO instant rather than a Date: pg would format a Date in local time). */
interface CheckParameters {
  ord: number;
  subject_id: string;
  id_type: string;
  today: string;
  department: string;
  measure_codes: readonly string[];
  at: string;
  user_id: string | null;
  purpose: string | null;
  approval_item: string | null;
  endpoint: string;
  burst_limit: number | null;
  burst_endpoints: readonly string[];
  platform: boolean;
  history: boolean;
}

interface CheckRow {
  ord: number;
  refused: boolean;
  recentSubjects: number;
  checkId: string | null;
  subjects: string[] | null;
  entries: ListEntryRow[];
  measures: CurrentMeasureRow[];
  sanctions: AssociationSanctionRow[];
  record: boolean;
  openCommitments: CommitmentRow[];
  commitmentRecord: CommitmentRecord;
  commitmentHistory: ClosedCommitmentRow[];
  classes: CheckedClassRow[];
}

/**
 * Checks in flight at once, and at most this many in one statement. Five is half the pool: the
 * other reads keep connections while checks queue, and a queue forms groups, whose one commit
 * (one WAL flush) serves them all.
 */
const CHECK_GROUPS = { maxInFlight: 5, maxGroupSize: 64 };

/** What applies to a subject now: reads for credit checks and for public disclosure. */
@Injectable()
export class SubjectRecordRepository {
  private readonly checks = new GroupCommit<LoggedCheck, LoggedCheckResult>((group) => this.checkGroup(group), CHECK_GROUPS);

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
   * count and the subjects it names. Checks arriving while others are in flight share one
   * statement, so one multi-row INSERT and one commit (group commit); each row commits with its
   * statement, before the caller can answer, and a failed statement fails each of its checks.
   * A burst over `burstLimit` reads and logs nothing. The count sees only committed rows:
   * concurrent checks by one user (in one group or in groups in flight together) can pass it
   * together, so the limit is exact for one request at a time and overshoots by at most the
   * user's concurrency.
   */
  async checkAndLog(check: LoggedCheck): Promise<LoggedCheckResult> {
    return this.checks.submit(check);
  }

  private async checkGroup(group: readonly LoggedCheck[]): Promise<LoggedCheckResult[]> {
    const parameters: CheckParameters[] = group.map((check, ord) => ({
      ord,
      subject_id: check.subject.id,
      id_type: check.subject.idType,
      today: check.today,
      department: check.department,
      measure_codes: check.measureCodes,
      at: check.audit.at.toISOString(),
      user_id: check.audit.userId,
      purpose: check.audit.purpose,
      approval_item: check.audit.approvalItem,
      endpoint: check.audit.endpoint,
      burst_limit: check.burstLimit,
      burst_endpoints: check.burstEndpoints,
      platform: check.recordScope === 'platform',
      history: check.commitmentHistory,
    }));
    // Named: each pooled connection parses and plans it once, then only binds and executes.
    const { rows } = await this.pool().query<CheckRow>({ name: CHECKS_AND_LOG_STATEMENT, text: CHECKS_AND_LOG_SQL, values: [JSON.stringify(parameters)] });
    return rows.map((row) =>
      row.refused
        ? { outcome: 'burst-refused', recentSubjects: row.recentSubjects }
        : {
            outcome: 'answered',
            checkId: row.checkId!,
            entries: row.entries,
            measures: row.measures,
            record: row.record,
            subjects: row.subjects ?? [group[row.ord].subject.id],
            openCommitments: row.openCommitments,
            commitmentRecord: row.commitmentRecord,
            commitmentHistory: row.commitmentHistory,
            classes: row.classes,
            sanctions: row.sanctions.map(associationSanctionFact),
          },
    );
  }

  /**
   * The list entries in force about the subject on `today`, read in the caller's transaction (a
   * credit report). `platform`: every list, every department. `caller`: the entries the department
   * identified itself or that ground one of its own measures in force on the subject.
   */
  async entriesInForce(manager: EntityManager, subject: SubjectKey, today: string, scope: ReportScope): Promise<ListEntryRow[]> {
    return manager.query(
      `SELECT ${LIST_ENTRY_COLUMNS} FROM list_entry le
       WHERE le.subject_id = $1 AND le.subject_id_type = $2 AND ${IN_FORCE('le', '$3')}
         AND ($4::text IS NULL OR le.identifying_department = $4::text
              OR EXISTS (SELECT 1 FROM measure_task t WHERE t.list_entry_id = le.id AND t.target_id = $1 AND t.target_id_type = $2 AND ${IN_FORCE('t', '$3')} AND ${HELD_BY('t', '$4')}))
       ORDER BY le.valid_from, le.list_code, le.id`,
      [subject.id, subject.idType, today, scopeDepartment(scope)],
    );
  }

  /** The measures in force targeting the subject on `today`, in any role, as a credit check reads one (a credit report): every department's, or the caller's own (implemented or cooperated on). */
  async measuresInForce(manager: EntityManager, subject: SubjectKey, today: string, scope: ReportScope): Promise<CurrentMeasureRow[]> {
    return manager.query(
      `SELECT ${MEASURE_TASK_COLUMNS},
              jsonb_build_object('memorandum', t.explanation -> 'memorandum', 'rule', t.explanation -> 'rule', 'ruleSetRevision', t.explanation -> 'ruleSetRevision') AS explanation,
              CASE WHEN le.id IS NULL THEN NULL ELSE jsonb_build_object('id', le.id, 'listCode', le.list_code, 'subjectKind', le.subject_kind,
                   'subjectId', le.subject_id, 'subjectName', le.subject_name, 'disputed', le.disputed) END AS "listEntry"
       FROM measure_task t
       LEFT JOIN list_entry le ON le.id = t.list_entry_id
       WHERE t.target_id = $1 AND t.target_id_type = $2 AND ${IN_FORCE('t', '$3')}
         AND (t.list_entry_id IS NULL OR le.state = 'active') AND ${HELD_BY('t', '$4')}
       ORDER BY t.measure_code, t.valid_from, t.id`,
      [subject.id, subject.idType, today, scopeDepartment(scope)],
    );
  }

  /**
   * Administrative penalties within their publicity on `today`: penalty decisions whose measures
   * against the subject itself are in force (as the credit classes count them), with the penalty
   * event's own fields only (its data also names related persons). `caller`: only the penalties
   * whose measures in force include the department's own, with the basis of those.
   */
  async penaltiesInPublicity(manager: EntityManager, subject: SubjectKey, today: string, scope: ReportScope): Promise<PenaltyInPublicityRow[]> {
    return manager.query(
      `SELECT t.decision_id AS "decisionId", ie.source, ie.event_id AS "eventId",
              ie.envelope -> 'data' ->> 'penaltyType' AS "penaltyType", ie.envelope -> 'data' ->> 'severity' AS severity,
              ie.envelope -> 'data' ->> 'reason' AS reason, ie.envelope -> 'data' ->> 'documentNumber' AS "documentNumber",
              ie.envelope -> 'data' ->> 'decidedOn' AS "decidedOn", (ie.envelope -> 'data' ->> 'fineAmountYuan')::numeric::float8 AS "fineAmountYuan",
              min(t.memorandum_id) AS "memorandumId", min(t.valid_from)::text AS "validFrom", max(t.valid_to)::text AS "publicUntil",
              coalesce(jsonb_agg(b ORDER BY t.measure_code) FILTER (WHERE b IS NOT NULL), '[]') AS "legalBasis", bool_or(t.disputed) AS disputed
       FROM measure_task t
       JOIN inbound_event ie ON ie.source = t.explanation -> 'causeEvent' ->> 'source' AND ie.event_id = t.explanation -> 'causeEvent' ->> 'id'
       LEFT JOIN LATERAL jsonb_array_elements(t.legal_basis) b ON true
       WHERE t.target_id = $1 AND t.target_id_type = $2 AND t.target_role = 'subject' AND ${IN_FORCE('t', '$3')}
         AND t.explanation -> 'causeEvent' ->> 'type' = 'credit.penalty.imposed.v1' AND ${HELD_BY('t', '$4')}
       GROUP BY t.decision_id, ie.source, ie.event_id, ie.envelope
       ORDER BY "decidedOn", "documentNumber", t.decision_id`,
      [subject.id, subject.idType, today, scopeDepartment(scope)],
    );
  }

  /**
   * The latest name and the latest kind the records give the subject (list entries, measures aimed
   * at it, commitments); nulls when none does. A measure task carries no kind, so the kind is the
   * latest non-null one; ties (rows of one transaction share created_at) break by source, then id,
   * so the same records always give the same identity. `caller`: only from the records that
   * department holds (the entries it identified or its measures stem from, its measures, its
   * commitments), so that a name never tells it the person is on file elsewhere.
   */
  async identityOf(manager: EntityManager, subject: SubjectKey, scope: ReportScope): Promise<SubjectIdentityRow> {
    const [row] = await manager.query(
      `WITH named AS (
         SELECT le.subject_name AS name, le.subject_kind AS kind, le.created_at AS at, 1 AS source, le.id::text AS id FROM list_entry le WHERE le.subject_id = $1 AND le.subject_id_type = $2
           AND ($3::text IS NULL OR le.identifying_department = $3::text OR EXISTS (SELECT 1 FROM measure_task t WHERE t.list_entry_id = le.id AND t.target_id = $1 AND t.target_id_type = $2 AND ${HELD_BY('t', '$3')}))
         UNION ALL SELECT t.target_name, NULL, t.created_at, 2, t.id::text FROM measure_task t WHERE t.target_id = $1 AND t.target_id_type = $2 AND ${HELD_BY('t', '$3')}
         UNION ALL SELECT cc.subject_name, cc.subject_kind, cc.recorded_at, 3, cc.id::text FROM credit_commitment cc WHERE cc.subject_id = $1 AND cc.subject_id_type = $2 AND ($3::text IS NULL OR cc.department = $3::text)
       )
       SELECT (SELECT name FROM named ORDER BY at DESC, source, id LIMIT 1) AS name,
              (SELECT kind FROM named WHERE kind IS NOT NULL ORDER BY at DESC, source, id LIMIT 1) AS kind`,
      [subject.id, subject.idType, scopeDepartment(scope)],
    );
    return { name: row?.name ?? null, kind: row?.kind ?? null };
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
