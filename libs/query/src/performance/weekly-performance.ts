import { BilingualText, WorkingDayCalendar } from '@app/domain';
import { buildPerformanceReport, DepartmentPerformance, PerformanceFigures } from './performance-report';

/** An ISO week (Monday to Sunday, China time) as far as it lies in the period. */
export interface PeriodWeek {
  /** ISO 8601 week, e.g. 2026-W48 (its year is the ISO week-numbering year). */
  week: string;
  /** The week's first and last day inside the period (China dates, both included). */
  from: string;
  to: string;
}

/** A department's figures for one week: the period report's measures, computed the same way over the week's rows. */
export interface DepartmentWeek {
  week: string;
  publication: DepartmentPerformance['publication'];
  /** As in the period report, without the backlog (which counts every task whenever created, so belongs to no week). */
  tasks: Omit<DepartmentPerformance['tasks'], 'overdueBacklog'>;
}

/** The department measures week by week over a period: one entry per department, each with one per week of `weeks`, in that order. */
export interface WeeklyPerformance {
  period: { from: string; to: string };
  asOf: string;
  publicationDeadlineWorkingDays: number;
  weeks: PeriodWeek[];
  departments: Array<{ department: { code: string; name: BilingualText }; weeks: DepartmentWeek[] }>;
}

/** The period report's figures with each row's ISO week (its Monday) from PerformanceRepository's weekly grouping; no backlog. */
export type WeeklyFigures = Omit<PerformanceFigures, 'backlog' | 'publications' | 'tasks' | 'firstFeedback'> & {
  publications: ReadonlyArray<PerformanceFigures['publications'][number] & { week: string }>;
  tasks: ReadonlyArray<PerformanceFigures['tasks'][number] & { week: string }>;
  firstFeedback: ReadonlyArray<PerformanceFigures['firstFeedback'][number] & { week: string }>;
};

const DAY_MS = 86_400_000;
/** The longest period read week by week: two years, leap day included (≈ 105 weeks a department). */
export const MAX_WEEKLY_DAYS = 731;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Days from `from` to `to`, both included. */
export function daysInPeriod(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** Monday of the ISO week a date is in. */
export function mondayOf(date: string): string {
  const day = dayNumber(date);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
  return dateOf(day - ((day + 3) % 7));
}

/** The ISO week of a date, written YYYY-Www: the week belongs to the year its Thursday is in. */
export function isoWeek(date: string): string {
  const thursday = dayNumber(mondayOf(date)) + 3;
  const year = dateOf(thursday).slice(0, 4);
  const week = Math.floor((thursday - dayNumber(`${year}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO weeks a period touches, each cut to the period (the first and last may be short), with the Monday rows name them by. */
export function weeksOfPeriod(from: string, to: string): Array<PeriodWeek & { monday: string }> {
  const weeks: Array<PeriodWeek & { monday: string }> = [];
  for (let monday = dayNumber(mondayOf(from)); monday <= dayNumber(to); monday += 7) {
    const first = dateOf(monday);
    const last = dateOf(monday + 6);
    weeks.push({ week: isoWeek(first), from: first < from ? from : first, to: last > to ? to : last, monday: first });
  }
  return weeks;
}

/**
 * The period report, week by week: each week's rows go through buildPerformanceReport as a
 * period of their own, so a week's on-time rate, feedback rate, median and overdue count mean
 * exactly what the period report's do. Every week lists the same departments in the same order.
 */
export function buildWeeklyPerformance(figures: WeeklyFigures, calendar: WorkingDayCalendar): WeeklyPerformance {
  const known = new Set(figures.departments.map((d) => d.code));
  const unknown = [...new Set([...figures.publications, ...figures.tasks].map((row) => row.department).filter((code) => !known.has(code)))];
  const departments = [...figures.departments, ...unknown.map((code) => ({ code, name: { zh: code, en: code } }))];
  const weeks = weeksOfPeriod(figures.period.from, figures.period.to);
  const publications = byWeek(figures.publications);
  const tasks = byWeek(figures.tasks);
  const firstFeedback = byWeek(figures.firstFeedback);
  const reports = weeks.map((w) =>
    buildPerformanceReport(
      {
        period: { from: w.from, to: w.to },
        asOf: figures.asOf,
        publicationDeadlineWorkingDays: figures.publicationDeadlineWorkingDays,
        departments,
        publications: publications.get(w.monday) ?? [],
        tasks: tasks.get(w.monday) ?? [],
        backlog: [],
        firstFeedback: firstFeedback.get(w.monday) ?? [],
      },
      calendar,
    ),
  );
  return {
    period: figures.period,
    asOf: figures.asOf,
    publicationDeadlineWorkingDays: figures.publicationDeadlineWorkingDays,
    weeks: weeks.map(({ week, from, to }) => ({ week, from, to })),
    departments: departments.map((department, index) => ({
      department,
      weeks: reports.map((report, w) => {
        const { overdueBacklog: _backlog, ...tasks } = report.departments[index].tasks;
        return { week: weeks[w].week, publication: report.departments[index].publication, tasks };
      }),
    })),
  };
}

function byWeek<T extends { week: string }>(rows: readonly T[]): Map<string, T[]> {
  const weeks = new Map<string, T[]>();
  for (const row of rows) {
    const week = weeks.get(row.week);
    if (week) week.push(row);
    else weeks.set(row.week, [row]);
  }
  return weeks;
}
