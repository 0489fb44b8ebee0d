import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MEASURE_TASK_COLUMNS, MeasureTaskRow, overdueTask } from '../columns/measure-task.columns';
import type { FeedbackOutcome } from '../entities/feedback.entity';
import type { MeasureTaskState } from '../entities/measure-task.entity';

export interface TaskListRow extends MeasureTaskRow {
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

const FEEDBACK_COLUMNS = `id, task_id AS "taskId", department, outcome, reason, business_reference AS "businessReference",
  applied_on::text AS "appliedOn", operator, acknowledged_revoked AS "acknowledgedRevoked", reported_at AS "reportedAt"`;

/** Postgres text form of a timestamp kept to the microsecond, so keyset paging never skips a row. */
const POSITION = `to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '|' || t.id::text`;

/** Measure tasks as their implementing departments see them, and their feedback. */
@Injectable()
export class FeedbackRepository {
  constructor(private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findTask(id: string): Promise<MeasureTaskRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${MEASURE_TASK_COLUMNS} FROM measure_task t WHERE t.id = $1`, [id]);
    return row;
  }

  /** The task, share-locked until the transaction ends: its state cannot change under a report being recorded. */
  async lockTask(manager: EntityManager, id: string): Promise<MeasureTaskRow | undefined> {
    const [row] = await manager.query(`SELECT ${MEASURE_TASK_COLUMNS} FROM measure_task t WHERE t.id = $1 FOR SHARE`, [id]);
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
    if (filter.overdue !== undefined) where.push(filter.overdue ? overdueTask('$2') : `NOT ${overdueTask('$2')}`);
    if (filter.after) {
      const [createdAt, id] = filter.after.split('|');
      where.push(`(t.created_at, t.id) > ($${params.push(`${createdAt}Z`)}::timestamptz, $${params.push(id)}::uuid)`);
    }
    return this.dataSource.query(
      `SELECT ${MEASURE_TASK_COLUMNS}, ${POSITION} AS position, ${overdueTask('$2')} AS overdue,
              COALESCE((SELECT json_agg(f.outcome ORDER BY f.reported_at, f.id) FROM feedback f WHERE f.task_id = t.id), '[]'::json) AS "feedbackOutcomes"
       FROM measure_task t WHERE ${where.join(' AND ')}
       ORDER BY t.created_at, t.id LIMIT $3`,
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
