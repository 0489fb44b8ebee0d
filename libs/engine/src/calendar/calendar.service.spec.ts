import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig, loadAppConfig } from '@app/config';
import { Clock, WORKING_DAY_CALENDAR_SCHEMA } from '@app/domain';
import { loadWorkingDayCalendar } from '../calendar.provider';
import { CalendarHealthIndicator } from './calendar-health.indicator';
import { CalendarMetrics } from './calendar.metrics';
import { CalendarService } from './calendar.service';

const root = resolve(__dirname, '../../../..');
const projectCalendar = join(root, 'config/calendar.json');

class MovableClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

function serviceOnCopy(clock: Clock = new MovableClock(new Date('2026-12-01T02:00:00Z'))): { calendars: CalendarService; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'calendar-')), 'calendar.json');
  copyFileSync(projectCalendar, file);
  const config: AppConfig = { ...loadAppConfig({}), CALENDAR_FILE: file, CALENDAR_RELOAD_INTERVAL_MS: 0 };
  return { calendars: new CalendarService(config, clock), file };
}

/** Write and move the mtime forward, so the poll sees a change even within one clock tick. */
function edit(file: string, change: (calendar: any) => void): void {
  const calendar = JSON.parse(readFileSync(file, 'utf8'));
  change(calendar);
  writeFileSync(file, JSON.stringify(calendar, null, 2));
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
}

beforeAll(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));

describe('the project calendar (config/calendar.json)', () => {
  const calendar = loadWorkingDayCalendar(projectCalendar);

  it('covers 2026 from its notice and 2027 as far as it is known', () => {
    expect([calendar.coveredFrom, calendar.coveredThrough]).toEqual(['2026-01-01', '2027-12-31']);
    expect(calendar.provisionalYears).toEqual(['2027']);
  });

  it('has the 13 statutory days of 2027 off, and no invented make-up day', () => {
    const file = JSON.parse(readFileSync(projectCalendar, 'utf8'));
    expect(file.years['2027'].holidays).toHaveLength(13);
    expect(file.years['2027'].workdays).toEqual([]);
    for (const day of ['2027-01-01', '2027-02-05', '2027-02-08', '2027-04-05', '2027-06-09', '2027-09-15', '2027-10-01']) expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.isWorkingDay('2027-02-09')).toBe(true); // 补假 not yet placed: counted as a working day, provisional
    expect(calendar.dueDate('2027-02-03', 5)).toEqual({ date: '2027-02-12', provisional: 'provisional-day' });
    expect(calendar.dueDate('2027-03-01', 5)).toEqual({ date: '2027-03-08' });
  });

  it('has a JSON Schema file equal to the one the loader validates with', () => {
    expect(JSON.parse(readFileSync(join(root, 'config/calendar.schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(WORKING_DAY_CALENDAR_SCHEMA)));
  });
});

describe('loading a calendar file', () => {
  it('stops the boot naming CALENDAR_FILE and each problem', () => {
    const { file } = serviceOnCopy();
    writeFileSync(file, '{ not json');
    expect(() => loadWorkingDayCalendar(file)).toThrow(new RegExp(`^CALENDAR_FILE=${file}: cannot read the working-day calendar`));
  });

  it('names schema violations by path', () => {
    const { file } = serviceOnCopy();
    edit(file, (c) => {
      c.years['2027'].holyday = [];
      c.years['2026'].workdays.push('4 Jan');
    });
    expect(() => loadWorkingDayCalendar(file)).toThrow(/CALENDAR_FILE=.*\$\.years\.2026\.workdays\[6\]: must match pattern.*\$\.years\.2027: unknown property "holyday"/);
  });

  it('refuses a year with both its notice and provisional marks', () => {
    const { file } = serviceOnCopy();
    edit(file, (c) => (c.years['2027'].notice = '国务院办公厅关于2027年部分节假日安排的通知'));
    expect(() => loadWorkingDayCalendar(file)).toThrow(/\$\.years\.2027: a year has either its notice or provisional ranges, not both and not neither/);
  });
});

describe('CalendarService', () => {
  it('takes over a valid edit', () => {
    const { calendars, file } = serviceOnCopy();
    edit(file, (c) => (c.years['2028'] = { holidays: ['2028-01-01'], workdays: [], provisional: [{ from: '2028-01-01', to: '2028-01-03' }] }));
    expect(calendars.reloadIfChanged()).toBe(true);
    expect(calendars.current.coveredThrough).toBe('2028-12-31');
    expect(calendars.reloadIfChanged()).toBe(false); // unchanged since
  });

  it('refuses a broken edit, logs it and keeps counting on the last good calendar', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { calendars, file } = serviceOnCopy();
    const before = calendars.current;
    edit(file, (c) => (c.years['2029'] = { notice: 'n', holidays: [], workdays: [] }));
    expect(calendars.reloadIfChanged()).toBe(false);
    expect(calendars.current).toBe(before);
    expect(calendars.lastRefusal?.problems).toEqual([expect.stringMatching(/CALENDAR_FILE=.*years\.2029: coverage has a gap, 2028 is missing/)]);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/working-day calendar refused, still counting on the one that covers 2026-01-01 to 2027-12-31/));
    rmSync(file);
    expect(calendars.reloadIfChanged()).toBe(false);
    expect(calendars.current).toBe(before);
    error.mockRestore();
  });

  it('counts provisional due dates by reason and logs each reason once', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { calendars } = serviceOnCopy();
    calendars.recordProvisional('2026-12-28', { date: '2027-01-05', provisional: 'provisional-day' }, 40);
    calendars.recordProvisional('2026-12-28', { date: '2027-01-11', provisional: 'provisional-day' }, 2);
    calendars.recordProvisional('2027-12-28', { date: '2028-01-04', provisional: 'outside-coverage' }, 3);
    calendars.recordProvisional('2026-12-01', { date: '2026-12-08' }, 100);
    expect(calendars.provisionalDueDates).toEqual({ 'provisional-day': 42, 'outside-coverage': 3 });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1][0]).toMatch(/past the calendar's last covered day 2027-12-31 on weekends only/);
    warn.mockRestore();
  });

  it('reports coverage, and warns once today + horizon passes it', () => {
    const clock = new MovableClock(new Date('2026-12-01T02:00:00Z'));
    const { calendars } = serviceOnCopy(clock);
    expect(calendars.coverage()).toEqual({ coveredThrough: '2027-12-31', daysCovered: 395, horizonDays: 60, nextUncertainDay: '2027-01-01', nextUncertainReason: 'provisional-day' });
    clock.set('2027-11-15T02:00:00Z');
    expect(calendars.coverage()).toMatchObject({ daysCovered: 46, nextUncertainDay: '2028-01-01', nextUncertainReason: 'outside-coverage', warning: expect.stringMatching(/ends on 2027-12-31, within 60 days/) });
    clock.set('2028-01-02T02:00:00Z');
    expect(calendars.coverage()).toMatchObject({ daysCovered: -2, warning: expect.stringMatching(/ended on 2027-12-31: due dates count weekends only/) });
  });

  it('is reported by readiness without failing it, and scraped as metrics', async () => {
    const clock = new MovableClock(new Date('2027-11-15T02:00:00Z'));
    const { calendars } = serviceOnCopy(clock);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    calendars.recordProvisional('2027-12-28', { date: '2028-01-04', provisional: 'outside-coverage' }, 3);
    expect(new CalendarHealthIndicator(calendars, new HealthIndicatorService()).check()).toEqual({
      calendar: expect.objectContaining({ status: 'up', coveredThrough: '2027-12-31', daysCovered: 46, warning: expect.any(String) }),
    });
    const scraped = await new CalendarMetrics(calendars, clock).registry.metrics();
    expect(scraped).toContain('credit_calendar_covered_through_days 46');
    expect(scraped).toContain('credit_calendar_next_provisional_day_days 47');
    expect(scraped).toContain('credit_calendar_provisional_due_dates_total{reason="outside-coverage"} 3');
    expect(scraped).toContain('credit_calendar_provisional_due_dates_total{reason="provisional-day"} 0');
  });
});
