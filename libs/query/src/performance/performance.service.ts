import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { BilingualText, chinaDate, Clock, Department, isCalendarDate } from '@app/domain';
import { PerformanceRepository, PeriodFilter } from '@app/persistence';
import { CalendarService, CatalogueService, CLOCK } from '@app/engine';
import { buildPerformanceReport, PerformanceReport } from './performance-report';
import { PerformanceError } from './performance.errors';
import { buildWeeklyPerformance, daysInPeriod, MAX_WEEKLY_DAYS, WeeklyPerformance } from './weekly-performance';

export interface PerformanceQuery {
  from?: string;
  to?: string;
  department?: string;
}

const DAY_MS = 86_400_000;

/**
 * Department performance for a period of China calendar days, from the inbox, the measure
 * tasks and their feedback. Overdue figures are counted at the injected clock's China date.
 */
@Injectable()
export class PerformanceService {
  constructor(
    private readonly repository: PerformanceRepository,
    private readonly catalogue: CatalogueService,
    private readonly calendars: CalendarService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A department reads its own performance; the credit office, which assesses them, reads every
   * department's (all of them unless it names one).
   */
  async report(caller: Department, query: PerformanceQuery): Promise<PerformanceReport> {
    const { period, asOf, filter, departments } = this.scope(caller, query);
    const [publications, tasks, backlog, firstFeedback] = await Promise.all([
      this.repository.publicationCounts(filter),
      this.repository.taskCounts(filter, asOf),
      this.repository.overdueBacklog(asOf, filter.department),
      this.repository.firstFeedback(filter),
    ]);
    return buildPerformanceReport(
      { period, asOf, publicationDeadlineWorkingDays: this.config.PUBLICATION_DEADLINE_WORKING_DAYS, departments, publications, tasks, backlog, firstFeedback },
      this.calendars.current,
    );
  }

  /** The same measures, read the same way, week by week (ISO weeks in China time) over the period. */
  async weekly(caller: Department, query: PerformanceQuery): Promise<WeeklyPerformance> {
    const { period, asOf, filter, departments } = this.scope(caller, query);
    if (daysInPeriod(period.from, period.to) > MAX_WEEKLY_DAYS) {
      const violations = [{ path: 'to', message: `a period read week by week is at most ${MAX_WEEKLY_DAYS} days long` }];
      throw new PerformanceError('REQUEST.BAD_PERIOD', `the period is from=YYYY-MM-DD&to=YYYY-MM-DD (China dates, both included): ${violations[0].message}`, { violations });
    }
    const [publications, tasks, firstFeedback] = await Promise.all([
      this.repository.publicationCounts(filter, 'week'),
      this.repository.taskCounts(filter, asOf, 'week'),
      this.repository.firstFeedback(filter, 'week'),
    ]);
    return buildWeeklyPerformance(
      { period, asOf, publicationDeadlineWorkingDays: this.config.PUBLICATION_DEADLINE_WORKING_DAYS, departments, publications: inWeeks(publications), tasks: inWeeks(tasks), firstFeedback: inWeeks(firstFeedback) },
      this.calendars.current,
    );
  }

  /** Who reads what: the period, the clock's China date, the rows' filter and the departments to report. */
  private scope(caller: Department, query: PerformanceQuery): { period: { from: string; to: string }; asOf: string; filter: PeriodFilter; departments: { code: string; name: BilingualText }[] } {
    const { from, to } = period(query);
    if (!caller.assessesDepartments && query.department !== undefined && query.department !== caller.code) {
      throw new PerformanceError('PERFORMANCE.OTHER_DEPARTMENT', `department "${caller.code}" reads its own performance only; the credit office reads every department's`, { department: caller.code });
    }
    const named = caller.assessesDepartments ? query.department : caller.code;
    const department = named ? this.catalogue.departments.get(named) : undefined;
    // China has had no daylight saving since 1991: a China day is [00:00+08:00, next 00:00+08:00).
    const filter: PeriodFilter = {
      from: new Date(`${from}T00:00:00+08:00`),
      until: new Date(Date.parse(`${to}T00:00:00+08:00`) + DAY_MS),
      department: department?.code,
    };
    const departments = (department ? [department] : this.catalogue.departments.all()).map((d) => ({ code: d.code, name: d.name }));
    return { period: { from, to }, asOf: chinaDate(this.clock.now()), filter, departments };
  }
}

/** Rows read with the weekly grouping, which always names the week. */
function inWeeks<T extends { week?: string }>(rows: T[]): Array<T & { week: string }> {
  return rows.map((row) => {
    if (row.week === undefined) throw new Error('a row read by week names no week');
    return row as T & { week: string };
  });
}

function period(query: PerformanceQuery): { from: string; to: string } {
  const violations = [
    ...(isCalendarDate(query.from) ? [] : [{ path: 'from', message: 'from must be a calendar date written YYYY-MM-DD' }]),
    ...(isCalendarDate(query.to) ? [] : [{ path: 'to', message: 'to must be a calendar date written YYYY-MM-DD' }]),
  ];
  if (violations.length === 0 && query.from! > query.to!) violations.push({ path: 'to', message: 'to may not be before from' });
  if (violations.length > 0) {
    throw new PerformanceError('REQUEST.BAD_PERIOD', `the period is from=YYYY-MM-DD&to=YYYY-MM-DD (China dates, both included): ${violations.map((v) => v.message).join('; ')}`, {
      violations,
    });
  }
  return { from: query.from!, to: query.to! };
}
