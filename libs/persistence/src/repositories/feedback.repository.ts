import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FeedbackOutcome } from '../entities/feedback.entity';
import type { MeasureTaskEntity, MeasureTaskState } from '../entities/measure-task.entity';

/** A measure task as the feedback and task APIs read it: the entity's own columns. */
export type TaskRow = Pick<
  MeasureTaskEntity,
  | 'id'
  | 'decisionId'
  | 'listEntryId'
  | 'memorandumId'
  | 'measureCode'
  | 'category'
  | 'text'
  | 'implementingDepartment'
  | 'cooperatingDepartments'
  | 'legalBasis'
  | 'targetRole'
  | 'targetIdType'
  | 'targetId'
  | 'targetName'
  | 'validFrom'
  | 'validTo'
  | 'state'
  | 'endedAt'
  | 'endReason'
  | 'disputed'
  | 'feedbackDueOn'
  | 'feedbackDueProvisional'
  | 'createdAt'
>;

export interface TaskListRow extends TaskRow {
  /** Opaque position of the row in the listing order (created_at, id). */
  position: string;
  overdue: boolean;
  feedbackOutcomes: FeedbackOutcome[];
}

export interface FeedbackRow {
  id: string;
  taskId: string;
  department: string;
  outcome: FeedbackOutcome;
  reason: string | null;
  businessReference: string;
  appliedOn: string;
  operator: string | null;
  acknowledgedRevoked: boolean;
  reportedAt: Date;
}

export type FeedbackInput = Omit<FeedbackRow, 'id' | 'reportedAt'>;

export interface TaskFilter {
  state?: MeasureTaskState;
  overdue?: boolean;
  /** China date the overdue test compares feedback_due_on with (the injected clock's). */
  today: string;
  /** Position of the last row of the previous page. */
  after?: string;
  limit: number;
}

/** Inclusive lower, exclusive upper instant of a reporting period; optional department filter. */
export interface PeriodFilter {
  from: Date;
  until: Date;
  department?: string;
}

export interface PublicationCount {
  department: string;
  /** data.decidedOn of the events, null when missing or not a date. */
  decidedOn: string | null;
  /** China date the engine received them. */
  receivedOn: string;
  events: number;
}

export interface TaskCount {
  department: string;
  tasks: number;
  withFeedback: number;
  overdue: number;
}

export interface FirstFeedback {
  department: string;
  /** China dates of the task's creation and of its first feedback. */
  createdOn: string;
  firstFeedbackOn: string;
  hours: number;
}

const TASK_COLUMNS = `t.id, t.decision_id AS "decisionId", t.list_entry_id AS "listEntryId", t.memorandum_id AS "memorandumId",
  t.measure_code AS "measureCode", t.category, t.text, t.implementing_department AS "implementingDepartment",
  t.cooperating_departments AS "cooperatingDepartments", t.legal_basis AS "legalBasis", t.target_role AS "targetRole",
  t.target_id_type AS "targetIdType", t.target_id AS "targetId", t.target_name AS "targetName",
  t.valid_from::text AS "validFrom", t.valid_to::text AS "validTo", t.state, t.ended_at AS "endedAt", t.end_reason AS "endReason",
  t.disputed, t.feedback_due_on::text AS "feedbackDueOn", t.feedback_due_provisional AS "feedbackDueProvisional", t.created_at AS "createdAt"`;

const FEEDBACK_COLUMNS = `id, task_id AS "taskId", department, outcome, reason, business_reference AS "businessReference",
  applied_on::text AS "appliedOn", operator, acknowledged_revoked AS "acknowledgedRevoked", reported_at AS "reportedAt"`;

/**
 * Overdue (逾期未反馈): still active, due before `today` and never reported on. A task without
 * a due date (created before due dates existed) is never overdue. `$today` is a parameter.
 */
const overdue = (today: string) =>
  `(t.state = 'active' AND t.feedback_due_on IS NOT NULL AND t.feedback_due_on < ${today}::date AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.task_id = t.id))`;

/** China (UTC+8, no daylight saving) calendar date of a timestamptz column, as chinaDate() computes it. */
const chinaDate = (column: string) => `to_char((${column} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;

/** Postgres text form of a timestamp kept to the microsecond, so keyset paging never skips a row. */
const POSITION = `to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '|' || t.id::text`;

/** Measure tasks as their implementing departments see them, their feedback, and the assessment figures. */
@Injectable()
export class FeedbackRepository {
  constructor(private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findTask(id: string): Promise<TaskRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${TASK_COLUMNS} FROM measure_task t WHERE t.id = $1`, [id]);
    return row;
  }

  /** The task, share-locked until the transaction ends: its state cannot change under a report being recorded. */
  async lockTask(manager: EntityManager, id: string): Promise<TaskRow | undefined> {
    const [row] = await manager.query(`SELECT ${TASK_COLUMNS} FROM measure_task t WHERE t.id = $1 FOR SHARE`, [id]);
    return row;
  }

  /** Insert one report; a second report of the same outcome fails on uq_feedback_task_outcome (see isDuplicateFeedback). */
  async insert(manager: EntityManager, input: FeedbackInput): Promise<FeedbackRow> {
    const [row] = await manager.query(
      `INSERT INTO feedback (task_id, department, outcome, reason, business_reference, applied_on, operator, acknowledged_revoked)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${FEEDBACK_COLUMNS}`,
      [input.taskId, input.department, input.outcome, input.reason, input.businessReference, input.appliedOn, input.operator, input.acknowledgedRevoked],
    );
    return row;
  }

  async feedbackOf(taskId: string): Promise<FeedbackRow[]> {
    return this.dataSource.query(`SELECT ${FEEDBACK_COLUMNS} FROM feedback WHERE task_id = $1 ORDER BY reported_at, id`, [taskId]);
  }

  /** A department's own tasks in creation order, a page after `filter.after`. */
  async listTasks(department: string, filter: TaskFilter): Promise<TaskListRow[]> {
    const params: unknown[] = [department, filter.today, filter.limit];
    const where = ['t.implementing_department = $1'];
    if (filter.state) where.push(`t.state = $${params.push(filter.state)}`);
    if (filter.overdue !== undefined) where.push(filter.overdue ? overdue('$2') : `NOT ${overdue('$2')}`);
    if (filter.after) {
      const [createdAt, id] = filter.after.split('|');
      where.push(`(t.created_at, t.id) > ($${params.push(`${createdAt}Z`)}::timestamptz, $${params.push(id)}::uuid)`);
    }
    return this.dataSource.query(
      `SELECT ${TASK_COLUMNS}, ${POSITION} AS position, ${overdue('$2')} AS overdue,
              COALESCE((SELECT json_agg(f.outcome ORDER BY f.reported_at, f.id) FROM feedback f WHERE f.task_id = t.id), '[]'::json) AS "feedbackOutcomes"
       FROM measure_task t WHERE ${where.join(' AND ')}
       ORDER BY t.created_at, t.id LIMIT $3`,
      params,
    );
  }

  /** Events received in the period, counted by publishing department, decision date and day of receipt. */
  async publicationCounts(period: PeriodFilter): Promise<PublicationCount[]> {
    const params: unknown[] = [period.from, period.until];
    const byDepartment = period.department ? `AND source = $${params.push(`/departments/${period.department}`)}` : `AND source LIKE '/departments/%'`;
    return this.dataSource.query(
      `SELECT substring(source from 14) AS department,
              CASE WHEN envelope->'data'->>'decidedOn' ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN envelope->'data'->>'decidedOn' END AS "decidedOn",
              ${chinaDate('received_at')} AS "receivedOn",
              count(*)::int AS events
       FROM inbound_event
       WHERE received_at >= $1 AND received_at < $2 ${byDepartment}
       GROUP BY 1, 2, 3`,
      params,
    );
  }

  /** Tasks created in the period per implementing department: with feedback, and overdue as of `today`. */
  async taskCounts(period: PeriodFilter, today: string): Promise<TaskCount[]> {
    const params: unknown[] = [period.from, period.until, today];
    const byDepartment = period.department ? `AND t.implementing_department = $${params.push(period.department)}` : '';
    return this.dataSource.query(
      `SELECT t.implementing_department AS department, count(*)::int AS tasks,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM feedback f WHERE f.task_id = t.id))::int AS "withFeedback",
              count(*) FILTER (WHERE ${overdue('$3')})::int AS overdue
       FROM measure_task t
       WHERE t.created_at >= $1 AND t.created_at < $2 ${byDepartment}
       GROUP BY 1`,
      params,
    );
  }

  /** Every task overdue as of `today`, whenever it was created, per implementing department. */
  async overdueBacklog(today: string, department?: string): Promise<{ department: string; overdue: number }[]> {
    const params: unknown[] = [today];
    const byDepartment = department ? `AND t.implementing_department = $${params.push(department)}` : '';
    return this.dataSource.query(
      `SELECT t.implementing_department AS department, count(*)::int AS overdue
       FROM measure_task t WHERE ${overdue('$1')} ${byDepartment} GROUP BY 1`,
      params,
    );
  }

  /** For each task created in the period that has feedback: when it was created and first reported on. */
  async firstFeedback(period: PeriodFilter): Promise<FirstFeedback[]> {
    const params: unknown[] = [period.from, period.until];
    const byDepartment = period.department ? `AND t.implementing_department = $${params.push(period.department)}` : '';
    return this.dataSource.query(
      `SELECT t.implementing_department AS department, ${chinaDate('t.created_at')} AS "createdOn", ${chinaDate('f.first')} AS "firstFeedbackOn",
              (extract(epoch FROM f.first - t.created_at) / 3600)::float8 AS hours
       FROM measure_task t
       JOIN LATERAL (SELECT min(reported_at) AS first FROM feedback WHERE task_id = t.id) f ON f.first IS NOT NULL
       WHERE t.created_at >= $1 AND t.created_at < $2 ${byDepartment}`,
      params,
    );
  }
}

/** True when `error` is the unique violation of "once per outcome" (uq_feedback_task_outcome). */
export function isDuplicateFeedback(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const driver = e?.driverError ?? e;
  return driver?.code === '23505' && driver?.constraint === 'uq_feedback_task_outcome';
}
