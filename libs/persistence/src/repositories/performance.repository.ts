import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { overdueTask } from '../columns/measure-task.columns';

/** Inclusive lower, exclusive upper instant of a reporting period; optional department filter. */
export interface PeriodFilter {
  from: Date;
  until: Date;
  department?: string;
}

/**
 * Rows over the whole period, or split by ISO week in China time as well (the district page's
 * charts over time): each row then names its week by the week's Monday.
 */
export type PerformanceGrouping = 'period' | 'week';

/** The ISO week (Monday, YYYY-MM-DD) a row was counted in, when grouped by week. */
interface InWeek {
  week?: string;
}

export interface PublicationCount extends InWeek {
  department: string;
  /** data.decidedOn of the events, null when missing or not a date. */
  decidedOn: string | null;
  /** China date the engine received them. */
  receivedOn: string;
  events: number;
}

export interface TaskCount extends InWeek {
  department: string;
  tasks: number;
  withFeedback: number;
  overdue: number;
}

export interface FirstFeedback extends InWeek {
  department: string;
  /** China dates of the task's creation and of its first feedback. */
  createdOn: string;
  firstFeedbackOn: string;
  hours: number;
}

/** China (UTC+8, no daylight saving) calendar date of a timestamptz column, as chinaDate() computes it. */
const chinaDate = (column: string) => `to_char((${column} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;
/** Monday (YYYY-MM-DD) of the ISO week, in China time, of a timestamptz column: date_trunc's weeks are ISO weeks. */
const chinaWeek = (column: string) => `to_char(date_trunc('week', (${column} AT TIME ZONE 'UTC') + interval '8 hours'), 'YYYY-MM-DD')`;
/** The week column, last in the SELECT list, when grouped by week. */
const weekColumn = (grouping: PerformanceGrouping, column: string) => (grouping === 'week' ? `, ${chinaWeek(column)} AS week` : '');
/** GROUP BY the key output columns, and the week column (at its position in the SELECT list) when grouped by week. */
const groupBy = (grouping: PerformanceGrouping, keys: string, weekPosition: number) => `GROUP BY ${keys}${grouping === 'week' ? `, ${weekPosition}` : ''}`;

/** The figures departments are assessed on (绩效): publications from the inbox, measure tasks and their feedback, per department. */
@Injectable()
export class PerformanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Events received in the period, counted by publishing department, decision date and day of receipt. */
  async publicationCounts(period: PeriodFilter, grouping: PerformanceGrouping = 'period'): Promise<PublicationCount[]> {
    const params: unknown[] = [period.from, period.until];
    const byDepartment = period.department ? `AND source = $${params.push(`/departments/${period.department}`)}` : `AND source LIKE '/departments/%'`;
    return this.dataSource.query(
      `SELECT substring(source from 14) AS department,
              CASE WHEN envelope->'data'->>'decidedOn' ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN envelope->'data'->>'decidedOn' END AS "decidedOn",
              ${chinaDate('received_at')} AS "receivedOn",
              count(*)::int AS events${weekColumn(grouping, 'received_at')}
       FROM inbound_event
       WHERE received_at >= $1 AND received_at < $2 ${byDepartment}
       ${groupBy(grouping, '1, 2, 3', 5)}`,
      params,
    );
  }

  /** Tasks created in the period per implementing department: with feedback, and overdue as of `today`. */
  async taskCounts(period: PeriodFilter, today: string, grouping: PerformanceGrouping = 'period'): Promise<TaskCount[]> {
    const params: unknown[] = [period.from, period.until, today];
    const byDepartment = period.department ? `AND t.implementing_department = $${params.push(period.department)}` : '';
    return this.dataSource.query(
      `SELECT t.implementing_department AS department, count(*)::int AS tasks,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM feedback f WHERE f.task_id = t.id))::int AS "withFeedback",
              count(*) FILTER (WHERE ${overdueTask('$3')})::int AS overdue${weekColumn(grouping, 't.created_at')}
       FROM measure_task t
       WHERE t.created_at >= $1 AND t.created_at < $2 ${byDepartment}
       ${groupBy(grouping, '1', 5)}`,
      params,
    );
  }

  /** Every task overdue as of `today`, whenever it was created, per implementing department. */
  async overdueBacklog(today: string, department?: string): Promise<{ department: string; overdue: number }[]> {
    const params: unknown[] = [today];
    const byDepartment = department ? `AND t.implementing_department = $${params.push(department)}` : '';
    return this.dataSource.query(
      `SELECT t.implementing_department AS department, count(*)::int AS overdue
       FROM measure_task t WHERE ${overdueTask('$1')} ${byDepartment} GROUP BY 1`,
      params,
    );
  }

  /** For each task created in the period that has feedback: when it was created and first reported on. */
  async firstFeedback(period: PeriodFilter, grouping: PerformanceGrouping = 'period'): Promise<FirstFeedback[]> {
    const params: unknown[] = [period.from, period.until];
    const byDepartment = period.department ? `AND t.implementing_department = $${params.push(period.department)}` : '';
    return this.dataSource.query(
      `SELECT t.implementing_department AS department, ${chinaDate('t.created_at')} AS "createdOn", ${chinaDate('f.first')} AS "firstFeedbackOn",
              (extract(epoch FROM f.first - t.created_at) / 3600)::float8 AS hours${weekColumn(grouping, 't.created_at')}
       FROM measure_task t
       JOIN LATERAL (SELECT min(reported_at) AS first FROM feedback WHERE task_id = t.id) f ON f.first IS NOT NULL
       WHERE t.created_at >= $1 AND t.created_at < $2 ${byDepartment}`,
      params,
    );
  }
}
