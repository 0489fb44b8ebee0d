import { BilingualText, WorkingDayCalendar } from '@app/domain';

/**
 * The credit office's assessment of departments (the Lizhou plan): do they publish credit
 * information on time, and do they report back on the measures they must apply? Pure: the
 * figures in, the report and its CSV out.
 */
export interface DepartmentPerformance {
  department: { code: string; name: BilingualText };
  publication: {
    /** Events the department published that the engine received in the period. */
    events: number;
    /** Of those, received within the deadline (working days after data.decidedOn). */
    onTime: number;
    onTimeRate: number | null;
  };
  tasks: {
    /** Measure tasks created in the period that the department implements. */
    received: number;
    withFeedback: number;
    feedbackRate: number | null;
    /** From task creation to first feedback, over the period's tasks that have feedback. */
    medianTimeToFeedback: { workingDays: number | null; hours: number | null };
    /** Of the period's tasks: active, due before asOf and never reported on. */
    overdue: number;
    /** All the department's overdue tasks as of asOf, whenever they were created. */
    overdueBacklog: number;
  };
}

export interface PerformanceReport {
  period: { from: string; to: string };
  /** China date the overdue figures are counted at. */
  asOf: string;
  publicationDeadlineWorkingDays: number;
  departments: DepartmentPerformance[];
}

export interface PerformanceFigures {
  period: { from: string; to: string };
  asOf: string;
  publicationDeadlineWorkingDays: number;
  /** Departments to report, in this order; departments found only in the figures follow. */
  departments: readonly { code: string; name: BilingualText }[];
  publications: readonly { department: string; decidedOn: string | null; receivedOn: string; events: number }[];
  tasks: readonly { department: string; tasks: number; withFeedback: number; overdue: number }[];
  backlog: readonly { department: string; overdue: number }[];
  firstFeedback: readonly { department: string; createdOn: string; firstFeedbackOn: string; hours: number }[];
}

/** The middle value (mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function buildPerformanceReport(figures: PerformanceFigures, calendar: WorkingDayCalendar): PerformanceReport {
  const known = new Map(figures.departments.map((d) => [d.code, d.name]));
  const seen = [...figures.publications, ...figures.tasks, ...figures.backlog].map((row) => row.department).filter((code) => !known.has(code));
  const codes = [...known.keys(), ...new Set(seen)];

  const deadlines = new Map<string, string>();
  const deadlineOf = (decidedOn: string) => {
    let deadline = deadlines.get(decidedOn);
    if (deadline === undefined) deadlines.set(decidedOn, (deadline = calendar.addWorkingDays(decidedOn, figures.publicationDeadlineWorkingDays)));
    return deadline;
  };

  const departments = codes.map((code): DepartmentPerformance => {
    const publications = figures.publications.filter((p) => p.department === code);
    const events = sum(publications.map((p) => p.events));
    const onTime = sum(publications.filter((p) => p.decidedOn !== null && p.receivedOn <= deadlineOf(p.decidedOn)).map((p) => p.events));
    const tasks = figures.tasks.find((t) => t.department === code) ?? { tasks: 0, withFeedback: 0, overdue: 0 };
    const firsts = figures.firstFeedback.filter((f) => f.department === code);
    return {
      department: { code, name: known.get(code) ?? { zh: code, en: code } },
      publication: { events, onTime, onTimeRate: rate(onTime, events) },
      tasks: {
        received: tasks.tasks,
        withFeedback: tasks.withFeedback,
        feedbackRate: rate(tasks.withFeedback, tasks.tasks),
        medianTimeToFeedback: {
          workingDays: median(firsts.map((f) => calendar.workingDaysBetween(f.createdOn, f.firstFeedbackOn))),
          hours: round(median(firsts.map((f) => f.hours)), 2),
        },
        overdue: tasks.overdue,
        overdueBacklog: figures.backlog.find((b) => b.department === code)?.overdue ?? 0,
      },
    };
  });

  return { period: figures.period, asOf: figures.asOf, publicationDeadlineWorkingDays: figures.publicationDeadlineWorkingDays, departments };
}

export const PERFORMANCE_CSV_COLUMNS = [
  'department_code',
  'department_name_zh',
  'department_name_en',
  'period_from',
  'period_to',
  'as_of',
  'events_published',
  'events_on_time',
  'on_time_rate',
  'tasks_received',
  'tasks_with_feedback',
  'feedback_rate',
  'median_feedback_working_days',
  'median_feedback_hours',
  'overdue_tasks',
  'overdue_backlog',
] as const;

/** Byte order mark: without it Excel reads UTF-8 as the local code page and garbles Chinese names. */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180 CSV (CRLF line ends) with a header row, led by a UTF-8 BOM for Excel. */
export function renderPerformanceCsv(report: PerformanceReport): string {
  const rows = report.departments.map((d) => [
    d.department.code,
    d.department.name.zh,
    d.department.name.en,
    report.period.from,
    report.period.to,
    report.asOf,
    d.publication.events,
    d.publication.onTime,
    d.publication.onTimeRate,
    d.tasks.received,
    d.tasks.withFeedback,
    d.tasks.feedbackRate,
    d.tasks.medianTimeToFeedback.workingDays,
    d.tasks.medianTimeToFeedback.hours,
    d.tasks.overdue,
    d.tasks.overdueBacklog,
  ]);
  return UTF8_BOM + [PERFORMANCE_CSV_COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break (quotes doubled); an
 * empty field for no value. Text that a spreadsheet would run as a formula gets a leading
 * apostrophe (OWASP's CSV-injection advice); numbers are written as they are.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4);
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
