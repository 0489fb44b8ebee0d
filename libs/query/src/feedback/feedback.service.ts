import { Inject, Injectable } from '@nestjs/common';
import { chinaDate, Clock, Department } from '@app/domain';
import { FeedbackRepository, FeedbackRow, isDuplicateFeedback, MeasureTaskRow, MeasureTaskState, TaskListRow } from '@app/persistence';
import type { RecordedLegalBasis } from '@app/rules';
import { AUDITED_ENDPOINTS, normaliseUserId, QueryAuditService } from '../audit/query-audit.service';
import { CLOCK } from '@app/engine';
import { isCursorInstant, UUID } from '../paging/cursor-instant';
import { parseFeedbackReport } from './feedback.dto';
import { FeedbackError } from './feedback.errors';
import { pageLimit } from '../paging/page-request';

export interface FeedbackView {
  id: string;
  taskId: string;
  department: string;
  outcome: FeedbackRow['outcome'];
  reason: string | null;
  businessReference: string;
  appliedOn: string;
  operator: string | null;
  acknowledgedRevoked: boolean;
  reportedAt: string;
}

export interface TaskView {
  id: string;
  decisionId: string;
  listEntryId: string | null;
  memorandumId: string;
  measureCode: string;
  category: string;
  text: { zh: string; en: string };
  implementingDepartment: string;
  cooperatingDepartments: string[];
  target: { role: string; idType: string; id: string; name: string };
  validFrom: string;
  validTo: string;
  state: MeasureTaskState;
  endedAt: string | null;
  endReason: string | null;
  disputed: boolean;
  feedbackDueOn: string | null;
  /** The due date may still move: it counts past the working-day calendar or over days awaiting a holiday notice. */
  feedbackDueProvisional: boolean;
  overdue: boolean;
  createdAt: string;
}

export interface TaskDetail extends TaskView {
  legalBasis: RecordedLegalBasis[];
  feedback: FeedbackView[];
}

export interface TaskPage {
  department: string;
  tasks: (TaskView & { feedbackOutcomes: FeedbackRow['outcome'][] })[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface TaskQuery {
  state?: string;
  overdue?: string;
  after?: string;
  limit?: string;
}

export const MAX_TASK_PAGE = 500;
const STATES: readonly MeasureTaskState[] = ['active', 'expired', 'revoked'];
const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Implementing departments report what they did with each measure task (反馈), once per
 * outcome, and read their tasks with that history and the due date. A task names its target,
 * so every read of tasks is logged, with the targets, before it is returned.
 */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly repository: FeedbackRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: QueryAuditService,
  ) {}

  async report(department: Department, taskId: string, body: unknown): Promise<FeedbackView> {
    const report = parseFeedbackReport(body, this.today());
    if (!UUID.test(taskId)) throw notFound(taskId);
    try {
      const stored = await this.repository.inTransaction(async (manager) => {
        // Share-locked: a concurrent revocation waits for this report or is seen by it, never half of each.
        const task = await this.repository.lockTask(manager, taskId);
        if (!task) throw notFound(taskId);
        if (task.implementingDepartment !== department.code) {
          throw new FeedbackError(
            'FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT',
            `only the implementing department "${task.implementingDepartment}" may report feedback on task ${taskId}`,
            { taskId, implementingDepartment: task.implementingDepartment },
          );
        }
        const ended = task.state !== 'active';
        if (ended && !report.acknowledgeRevoked) {
          throw new FeedbackError(
            'FEEDBACK.TASK_ENDED',
            `task ${taskId} is ${task.state}${task.endReason ? ` (${task.endReason})` : ''}: stop applying the measure; to record feedback on it anyway, send acknowledgeRevoked: true`,
            { taskId, state: task.state, endReason: task.endReason, endedAt: task.endedAt },
          );
        }
        return this.repository.insert(manager, {
          taskId,
          department: department.code,
          outcome: report.outcome,
          reason: report.reason,
          businessReference: report.businessReference,
          appliedOn: report.appliedOn,
          operator: report.operator,
          // The flag records that the reporter knew the task had ended; on an active task there is nothing to acknowledge.
          acknowledgedRevoked: ended,
        });
      });
      return toFeedbackView(stored);
    } catch (error) {
      if (isDuplicateFeedback(error)) {
        throw new FeedbackError('FEEDBACK.DUPLICATE', `feedback "${report.outcome}" on task ${taskId} was already reported; each outcome is reported once`, {
          taskId,
          outcome: report.outcome,
        });
      }
      throw error;
    }
  }

  /** A task with its feedback history: for its implementing department and its cooperating departments only. */
  async read(department: Department, taskId: string, userId?: string): Promise<TaskDetail> {
    normaliseUserId(userId);
    const task = UUID.test(taskId) ? await this.repository.findTask(taskId) : undefined;
    if (!task) throw notFound(taskId);
    if (task.implementingDepartment !== department.code && !task.cooperatingDepartments.includes(department.code)) {
      throw new FeedbackError('TASK.NOT_PARTICIPATING', `department "${department.code}" neither implements nor cooperates on task ${taskId}`, { taskId });
    }
    const feedback = await this.repository.feedbackOf(taskId);
    const today = this.today();
    const overdue = task.state === 'active' && task.feedbackDueOn !== null && task.feedbackDueOn < today && feedback.length === 0;
    const detail: TaskDetail = { ...toTaskView(task, overdue), legalBasis: task.legalBasis, feedback: feedback.map(toFeedbackView) };
    return this.audit.logRead({ department: department.code, userId }, AUDITED_ENDPOINTS.taskDetail, detail, 1);
  }

  /** The department's own tasks (it implements them), oldest first, a page at a time. */
  async list(department: Department, query: TaskQuery, userId?: string): Promise<TaskPage> {
    normaliseUserId(userId);
    const state = query.state === undefined || query.state === '' ? undefined : (query.state as MeasureTaskState);
    if (state !== undefined && !STATES.includes(state)) throw badFilter('state', `state must be one of ${STATES.join(', ')}`);
    const overdue = query.overdue === undefined || query.overdue === '' ? undefined : query.overdue === 'true' ? true : query.overdue === 'false' ? false : null;
    if (overdue === null) throw badFilter('overdue', 'overdue must be true or false');
    const limit = pageLimit(query.limit === undefined || query.limit === '' ? undefined : Number(query.limit), { fallback: 100, max: MAX_TASK_PAGE }, (message) => badFilter('limit', message));
    const after = query.after === undefined || query.after === '' ? undefined : decodeCursor(query.after);

    const rows = await this.repository.listTasks(department.code, { state, overdue, today: this.today(), after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const answer: TaskPage = {
      department: department.code,
      tasks: page.map((row: TaskListRow) => ({ ...toTaskView(row, row.overdue), feedbackOutcomes: row.feedbackOutcomes })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].position) : null,
    };
    return this.audit.logRead({ department: department.code, userId }, AUDITED_ENDPOINTS.taskList, answer, answer.tasks.length);
  }

  private today(): string {
    return chinaDate(this.clock.now());
  }
}

function toTaskView(task: MeasureTaskRow, overdue: boolean): TaskView {
  return {
    id: task.id,
    decisionId: task.decisionId,
    listEntryId: task.listEntryId,
    memorandumId: task.memorandumId,
    measureCode: task.measureCode,
    category: task.category,
    text: task.text,
    implementingDepartment: task.implementingDepartment,
    cooperatingDepartments: task.cooperatingDepartments,
    target: { role: task.targetRole, idType: task.targetIdType, id: task.targetId, name: task.targetName },
    validFrom: task.validFrom,
    validTo: task.validTo,
    state: task.state,
    endedAt: task.endedAt,
    endReason: task.endReason,
    disputed: task.disputed,
    feedbackDueOn: task.feedbackDueOn,
    feedbackDueProvisional: task.feedbackDueProvisional,
    overdue,
    createdAt: task.createdAt,
  };
}

function toFeedbackView(row: FeedbackRow): FeedbackView {
  return {
    id: row.id,
    taskId: row.taskId,
    department: row.department,
    outcome: row.outcome,
    reason: row.reason,
    businessReference: row.businessReference,
    appliedOn: row.appliedOn,
    operator: row.operator,
    acknowledgedRevoked: row.acknowledgedRevoked,
    reportedAt: new Date(row.reportedAt).toISOString(),
  };
}

function notFound(taskId: string): FeedbackError {
  // Only a well-formed id is echoed: a path segment could be anything, a person's identifier included.
  if (!UUID.test(taskId)) return new FeedbackError('TASK.NOT_FOUND', 'no measure task with that id (task ids are UUIDs)');
  return new FeedbackError('TASK.NOT_FOUND', `no measure task ${taskId}`, { taskId });
}

function badFilter(path: string, message: string): FeedbackError {
  return new FeedbackError('REQUEST.BAD_TASK_FILTER', message, { violations: [{ path, message }] });
}

/** Cursors are opaque to clients: base64url of the row's position. */
function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!POSITION.test(position) || !isCursorInstant(`${position.slice(0, 26)}Z`)) throw badFilter('after', 'after must be a nextCursor returned by a previous page');
  return position;
}
