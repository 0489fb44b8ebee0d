import { DomainError } from '../domain.errors';

/**
 * Working days as the State Council's holiday notices define them: weekends and public
 * holidays are off, except make-up working days (调休) that fall on a weekend. SLAs
 * (feedback due dates, objection decisions) count these, not calendar days.
 */
export interface WorkingDayCalendarDefinition {
  /** Days of the week that are normally off, 0 = Sunday … 6 = Saturday. */
  weekend: number[];
  /** Public holidays (YYYY-MM-DD) that are off even on a weekday. */
  holidays: string[];
  /** Make-up working days (YYYY-MM-DD) that are worked even on a weekend. */
  workdays: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export class WorkingDayCalendar {
  private readonly weekend: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;

  constructor(definition: WorkingDayCalendarDefinition) {
    const problems = [
      ...definition.weekend.filter((d) => !Number.isInteger(d) || d < 0 || d > 6).map((d) => `weekend day ${d} is not 0–6`),
      ...[...definition.holidays, ...definition.workdays].filter((d) => !DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))).map((d) => `"${d}" is not a YYYY-MM-DD date`),
      ...definition.holidays.filter((d) => definition.workdays.includes(d)).map((d) => `${d} is both a holiday and a make-up working day`),
    ];
    if (problems.length > 0) throw new DomainError('CALENDAR.INVALID', `invalid working-day calendar: ${problems.join('; ')}`, { problems });
    this.weekend = new Set(definition.weekend);
    this.holidays = new Set(definition.holidays);
    this.workdays = new Set(definition.workdays);
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    return !this.weekend.has(new Date(`${date}T00:00:00Z`).getUTCDay());
  }

  /** The date `count` working days after `date` (the start day itself is not counted). */
  addWorkingDays(date: string, count: number): string {
    let cursor = Date.parse(`${date}T00:00:00Z`);
    let remaining = count;
    while (remaining > 0) {
      cursor += DAY_MS;
      if (this.isWorkingDay(new Date(cursor).toISOString().slice(0, 10))) remaining--;
    }
    return new Date(cursor).toISOString().slice(0, 10);
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let cursor = Date.parse(`${from}T00:00:00Z`) + DAY_MS; cursor <= Date.parse(`${to}T00:00:00Z`); cursor += DAY_MS) {
      if (this.isWorkingDay(new Date(cursor).toISOString().slice(0, 10))) count++;
    }
    return count;
  }
}

/** The calendar date in China (UTC+8) of an instant: due dates are local days. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
