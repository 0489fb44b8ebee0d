import { CalendarError } from './calendar.errors';

/**
 * Working days as the State Council's holiday notices define them: weekends and public
 * holidays are off, except make-up working days (调休) that fall on a weekend. SLAs
 * (feedback due dates, objection decisions) count these, not calendar days.
 *
 * The calendar knows which days it covers: whole years, one after the other. Past its last
 * covered day it counts weekends only, and it says so: a due date that reaches beyond
 * coverage, or onto a day still awaiting the year's notice, is provisional.
 */
export interface WorkingDayCalendarDefinition {
  /** Days of the week that are normally off, 0 = Sunday … 6 = Saturday. */
  weekend: number[];
  /** Covered years ("2026", "2027", …), consecutive. */
  years: Record<string, CalendarYearDefinition>;
}

export interface CalendarYearDefinition {
  /** The State Council General Office notice the year's days were copied from; absent until it is published. */
  notice?: string;
  /** Public holidays (YYYY-MM-DD) that are off even on a weekday. */
  holidays: string[];
  /** Make-up working days (YYYY-MM-DD) that are worked even on a weekend. */
  workdays: string[];
  /** Days whose status still awaits the year's notice (补假, 调休): required while `notice` is absent, refused once it is there. */
  provisional?: ProvisionalDays[];
}

/** An inclusive range of days the notice may still change. */
export interface ProvisionalDays {
  from: string;
  to: string;
  note?: string;
}

/** Why a due date may still move: it counts past the covered years, or over a day awaiting its notice. */
export type ProvisionalReason = 'outside-coverage' | 'provisional-day';

export interface DueDate {
  date: string;
  /** Absent when every day counted is final. */
  provisional?: ProvisionalReason;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const YEAR = /^\d{4}$/;
const DAY_MS = 86_400_000;

/** A real YYYY-MM-DD day: 2026-02-30 is refused, not rolled over to March. */
const isDate = (d: unknown): d is string => {
  if (typeof d !== 'string' || !DATE.test(d)) return false;
  const ms = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === d;
};
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class WorkingDayCalendar {
  /** First and last covered day (YYYY-MM-DD). */
  readonly coveredFrom: string;
  readonly coveredThrough: string;
  /** Covered years still awaiting their State Council notice. */
  readonly provisionalYears: readonly string[];
  private readonly weekend: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  private readonly provisionalDays: ReadonlySet<string>;
  private readonly sortedProvisionalDays: readonly string[];

  constructor(definition: WorkingDayCalendarDefinition) {
    const problems = validate(definition);
    if (problems.length > 0) throw new CalendarError('CALENDAR.INVALID', `invalid working-day calendar: ${problems.join('; ')}`, { problems });
    const years = Object.keys(definition.years).sort();
    const entries = years.map((y) => definition.years[y]);
    this.coveredFrom = `${years[0]}-01-01`;
    this.coveredThrough = `${years[years.length - 1]}-12-31`;
    this.provisionalYears = years.filter((y) => definition.years[y].notice === undefined);
    this.weekend = new Set(definition.weekend);
    this.holidays = new Set(entries.flatMap((e) => e.holidays));
    this.workdays = new Set(entries.flatMap((e) => e.workdays));
    this.sortedProvisionalDays = [...new Set(entries.flatMap((e) => (e.provisional ?? []).flatMap((r) => daysOf(r.from, r.to))))].sort();
    this.provisionalDays = new Set(this.sortedProvisionalDays);
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    return !this.weekend.has(new Date(`${date}T00:00:00Z`).getUTCDay());
  }

  /** Whether the day's status may still change: outside the covered years, or awaiting its notice. */
  uncertainty(date: string): ProvisionalReason | undefined {
    if (date < this.coveredFrom || date > this.coveredThrough) return 'outside-coverage';
    return this.provisionalDays.has(date) ? 'provisional-day' : undefined;
  }

  /** The first day on or after `date` whose status may still change, with the reason. */
  nextUncertainDay(date: string): { date: string; reason: ProvisionalReason } {
    if (date < this.coveredFrom || date > this.coveredThrough) return { date, reason: 'outside-coverage' };
    const provisional = this.sortedProvisionalDays.find((d) => d >= date);
    return provisional ? { date: provisional, reason: 'provisional-day' } : { date: dayOf(Date.parse(`${this.coveredThrough}T00:00:00Z`) + DAY_MS), reason: 'outside-coverage' };
  }

  /** The date `count` working days after `date` (the start day itself is not counted). */
  addWorkingDays(date: string, count: number): string {
    return this.dueDate(date, count).date;
  }

  /**
   * The date `count` working days after `date`, provisional when it lands on or counts over a
   * day outside coverage (weekends only there) or a day awaiting its notice.
   */
  dueDate(date: string, count: number): DueDate {
    let cursor = Date.parse(`${date}T00:00:00Z`);
    let remaining = count;
    let provisional = count === 0 ? this.uncertainty(date) : undefined;
    while (remaining > 0) {
      cursor += DAY_MS;
      const day = dayOf(cursor);
      if (provisional !== 'outside-coverage') provisional = this.uncertainty(day) ?? provisional;
      if (this.isWorkingDay(day)) remaining--;
    }
    return provisional ? { date: dayOf(cursor), provisional } : { date: dayOf(cursor) };
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let cursor = Date.parse(`${from}T00:00:00Z`) + DAY_MS; cursor <= Date.parse(`${to}T00:00:00Z`); cursor += DAY_MS) {
      if (this.isWorkingDay(dayOf(cursor))) count++;
    }
    return count;
  }

  /** One line for the log: coverage and what still awaits a notice. */
  describe(): string {
    const pending = this.provisionalYears.length === 0 ? 'every year from its notice' : `${this.provisionalYears.join(', ')} awaiting the State Council notice (${this.sortedProvisionalDays.length} provisional days)`;
    return `covers ${this.coveredFrom} to ${this.coveredThrough}, ${pending}`;
  }
}

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let cursor = Date.parse(`${from}T00:00:00Z`); cursor <= Date.parse(`${to}T00:00:00Z`); cursor += DAY_MS) days.push(dayOf(cursor));
  return days;
}

/** Every problem of a definition, each naming where it is, so one edit can fix them all. */
function validate(definition: WorkingDayCalendarDefinition): string[] {
  const problems: string[] = [];
  const weekend = Array.isArray(definition?.weekend) ? definition.weekend : [];
  if (!Array.isArray(definition?.weekend)) problems.push('weekend must be an array of days 0–6');
  problems.push(...weekend.filter((d) => !Number.isInteger(d) || d < 0 || d > 6).map((d) => `weekend day ${d} is not 0–6`));
  const years = definition?.years !== null && typeof definition?.years === 'object' ? Object.keys(definition.years).sort() : [];
  if (years.length === 0) return [...problems, 'years must name at least one covered year'];
  for (const [index, year] of years.entries()) {
    if (!YEAR.test(year)) {
      problems.push(`years.${year}: not a four-digit year`);
      continue;
    }
    if (index > 0 && Number(year) !== Number(years[index - 1]) + 1) problems.push(`years.${year}: coverage has a gap, ${Number(years[index - 1]) + 1} is missing`);
    const entry = definition.years[year];
    const dates = (key: 'holidays' | 'workdays'): string[] => {
      const list = entry?.[key];
      if (!Array.isArray(list)) {
        problems.push(`years.${year}.${key} must be an array`);
        return [];
      }
      for (const d of list) {
        if (!isDate(d)) problems.push(`years.${year}.${key}: "${d}" is not a YYYY-MM-DD date`);
        else if (!d.startsWith(`${year}-`)) problems.push(`years.${year}.${key}: ${d} is not in ${year}`);
      }
      return list;
    };
    const holidays = dates('holidays');
    const workdays = new Set(dates('workdays'));
    problems.push(...holidays.filter((d) => workdays.has(d)).map((d) => `years.${year}: ${d} is both a holiday and a make-up working day`));
    const provisional = entry?.provisional ?? [];
    for (const [i, range] of provisional.entries()) {
      if (!isDate(range?.from) || !isDate(range?.to)) problems.push(`years.${year}.provisional[${i}]: from and to must be YYYY-MM-DD dates`);
      else if (range.from > range.to) problems.push(`years.${year}.provisional[${i}]: ${range.from} is after ${range.to}`);
      else if (!range.from.startsWith(`${year}-`) || !range.to.startsWith(`${year}-`)) problems.push(`years.${year}.provisional[${i}]: ${range.from}…${range.to} is not in ${year}`);
    }
    if (entry?.notice !== undefined && provisional.length > 0) problems.push(`years.${year}: copied from its notice, yet ${provisional.length} provisional ranges remain; remove them`);
    if (entry?.notice === undefined && provisional.length === 0) problems.push(`years.${year}: without its notice, the days awaiting it must be marked provisional`);
  }
  return problems;
}

/** The calendar date in China (UTC+8) of an instant: due dates are local days. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
