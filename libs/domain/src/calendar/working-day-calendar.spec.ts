import { chinaDate, WorkingDayCalendar } from './working-day-calendar';

// 2026 Spring Festival as announced: 2026-02-15..23 off, make-up working days 2026-02-14 (Sat) and 2026-02-28 (Sat).
const calendar = new WorkingDayCalendar({
  weekend: [0, 6],
  holidays: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'],
  workdays: ['2026-02-14', '2026-02-28'],
});

describe('WorkingDayCalendar', () => {
  it('knows weekends, holidays and make-up working days', () => {
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休
    expect(calendar.isWorkingDay('2026-02-15')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-02-18')).toBe(false); // Wednesday, holiday
  });

  it('adds working days across a holiday', () => {
    expect(calendar.addWorkingDays('2026-02-12', 3)).toBe('2026-02-24'); // Fri 13, Sat 14 (调休), Tue 24
    expect(calendar.addWorkingDays('2026-11-27', 5)).toBe('2026-12-04');
    expect(calendar.addWorkingDays('2026-11-27', 0)).toBe('2026-11-27');
  });

  it('counts working days between dates', () => {
    expect(calendar.workingDaysBetween('2026-02-12', '2026-02-24')).toBe(3);
    expect(calendar.workingDaysBetween('2026-02-24', '2026-02-12')).toBe(0);
  });

  it('refuses a malformed calendar, naming each problem', () => {
    expect(() => new WorkingDayCalendar({ weekend: [7], holidays: ['2026-13-01'], workdays: [] })).toThrow(/weekend day 7.*2026-13-01/);
    expect(() => new WorkingDayCalendar({ weekend: [], holidays: ['2026-01-01'], workdays: ['2026-01-01'] })).toThrow(/both a holiday and a make-up/);
  });

  it('takes the China calendar date of an instant', () => {
    expect(chinaDate(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
  });
});
