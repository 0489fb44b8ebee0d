import type { RecordedLegalBasis } from '@app/rules';
import type { MeasureTaskState } from '../entities/measure-task.entity';

/**
 * A measure_task row as every repository reads it (the explanation, document number and
 * limitation columns stay behind). Each column comes in its JSON form (dates and instants as
 * text), so a row reads the same whether selected or gathered by json_agg (the credit check).
 */
export interface MeasureTaskRow {
  id: string;
  decisionId: string;
  listEntryId: string | null;
  memorandumId: string;
  measureCode: string;
  category: string;
  text: { zh: string; en: string };
  implementingDepartment: string;
  cooperatingDepartments: string[];
  /** Rows written before the instrument catalogue hold { instrument: <title>, article } instead. */
  legalBasis: RecordedLegalBasis[];
  targetRole: string;
  targetIdType: string;
  targetId: string;
  targetName: string;
  /** China dates, YYYY-MM-DD; validTo is the last day in force. */
  validFrom: string;
  validTo: string;
  state: MeasureTaskState;
  /** ISO instant (UTC, milliseconds), as Date.prototype.toISOString writes it. */
  endedAt: string | null;
  endReason: string | null;
  /** The task's own flag (a credit check also counts its list entry's). */
  disputed: boolean;
  feedbackDueOn: string | null;
  feedbackDueProvisional: boolean;
  /** ISO instant (UTC, milliseconds). */
  createdAt: string;
}

/** An instant as Date.prototype.toISOString writes it (both truncate to the millisecond). */
const isoInstant = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The SELECT (or RETURNING) list of MeasureTaskRow; the statement names measure_task `t`. */
export const MEASURE_TASK_COLUMNS = `t.id, t.decision_id AS "decisionId", t.list_entry_id AS "listEntryId", t.memorandum_id AS "memorandumId",
  t.measure_code AS "measureCode", t.category, t.text, t.implementing_department AS "implementingDepartment",
  t.cooperating_departments AS "cooperatingDepartments", t.legal_basis AS "legalBasis", t.target_role AS "targetRole",
  t.target_id_type AS "targetIdType", t.target_id AS "targetId", t.target_name AS "targetName",
  t.valid_from::text AS "validFrom", t.valid_to::text AS "validTo", t.state, ${isoInstant('t.ended_at')} AS "endedAt", t.end_reason AS "endReason",
  t.disputed, t.feedback_due_on::text AS "feedbackDueOn", t.feedback_due_provisional AS "feedbackDueProvisional", ${isoInstant('t.created_at')} AS "createdAt"`;

/**
 * Overdue (逾期未反馈): still active, due before `today` and never reported on. A task without
 * a due date (created before due dates existed) is never overdue. `today` is a parameter
 * placeholder such as `$2`; the statement names measure_task `t`.
 */
export const overdueTask = (today: string) =>
  `(t.state = 'active' AND t.feedback_due_on IS NOT NULL AND t.feedback_due_on < ${today}::date AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.task_id = t.id))`;
