import { chinaDate, WorkingDayCalendar, WorkingDayCalendarDefinition } from './working-day-calendar';

const NOTICE_2026 = '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)';

// 2026 Spring Festival as announced: 2026-02-15..23 off, make-up working days 2026-02-14 (Sat) and 2026-02-28 (Sat).
const year2026 = { notice: NOTICE_2026, holidays: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'], workdays: ['2026-02-14', '2026-02-28'] };
const calendar = new WorkingDayCalendar({ weekend: [0, 6], years: { '2026': year2026 } });

// 2027 before its notice: statutory days only, the New Year weekend and the Spring Festival weeks provisional.
const withProvisional2027 = new WorkingDayCalendar({
  weekend: [0, 6],
  years: {
    '2026': year2026,
    '2027': {
      holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'],
      workdays: [],
      provisional: [
        { from: '2027-01-01', to: '2027-01-03' },
        { from: '2027-01-30', to: '2027-02-21' },
      ],
    },
  },
});

const broken = (definition: unknown) => () => new WorkingDayCalendar(definition as WorkingDayCalendarDefinition);

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

  it('covers whole years, and says through which day', () => {
    expect([calendar.coveredFrom, calendar.coveredThrough]).toEqual(['2026-01-01', '2026-12-31']);
    expect(withProvisional2027.coveredThrough).toBe('2027-12-31');
    expect(withProvisional2027.provisionalYears).toEqual(['2027']);
    expect(calendar.provisionalYears).toEqual([]);
  });

  it('gives final due dates inside coverage', () => {
    expect(calendar.dueDate('2026-11-27', 5)).toEqual({ date: '2026-12-04' });
    expect(calendar.dueDate('2026-12-24', 5)).toEqual({ date: '2026-12-31' }); // lands on the last covered day
  });

  it('counts weekends only past the last covered day, and marks the due date provisional', () => {
    // Tue 29, Wed 30, Thu 31 Dec, then 2027 uncovered: Fri 1 Jan counts as a working day (New Year unknown here), Mon 4.
    expect(calendar.dueDate('2026-12-28', 5)).toEqual({ date: '2027-01-04', provisional: 'outside-coverage' });
    expect(calendar.dueDate('2027-03-01', 0)).toEqual({ date: '2027-03-01', provisional: 'outside-coverage' });
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true);
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false);
  });

  it('marks a due date provisional when it lands on or counts over a day awaiting its notice', () => {
    // Mon 28 … Thu 31 Dec, Fri 1 Jan is a statutory holiday (provisional range), Mon 4 Jan.
    expect(withProvisional2027.dueDate('2026-12-25', 5)).toEqual({ date: '2027-01-04', provisional: 'provisional-day' });
    // Crossing the Spring Festival range: 除夕 Fri 5 and 初三 Mon 8 Feb are off, 补假 unknown.
    expect(withProvisional2027.dueDate('2027-02-03', 3)).toEqual({ date: '2027-02-10', provisional: 'provisional-day' });
    expect(withProvisional2027.dueDate('2027-02-21', 0)).toEqual({ date: '2027-02-21', provisional: 'provisional-day' });
    // Between the ranges: final.
    expect(withProvisional2027.dueDate('2027-01-11', 5)).toEqual({ date: '2027-01-18' });
    // Past 2027 the reason is coverage, whatever was crossed before.
    expect(withProvisional2027.dueDate('2027-12-28', 5)).toEqual({ date: '2028-01-04', provisional: 'outside-coverage' });
  });

  it('finds the next day whose status may still change', () => {
    expect(withProvisional2027.nextUncertainDay('2026-12-01')).toEqual({ date: '2027-01-01', reason: 'provisional-day' });
    expect(withProvisional2027.nextUncertainDay('2027-01-10')).toEqual({ date: '2027-01-30', reason: 'provisional-day' });
    expect(withProvisional2027.nextUncertainDay('2027-03-01')).toEqual({ date: '2028-01-01', reason: 'outside-coverage' });
    expect(calendar.nextUncertainDay('2027-03-01')).toEqual({ date: '2027-03-01', reason: 'outside-coverage' });
  });

  it('refuses a malformed calendar, naming each problem', () => {
    expect(broken({ weekend: [7], years: { '2026': { notice: NOTICE_2026, holidays: ['2026-13-01'], workdays: [] } } })).toThrow(/weekend day 7.*"2026-13-01" is not a YYYY-MM-DD date/);
    expect(broken({ weekend: [], years: { '2026': { notice: NOTICE_2026, holidays: ['2026-01-01'], workdays: ['2026-01-01'] } } })).toThrow(/both a holiday and a make-up/);
    expect(broken({ weekend: [0, 6], years: {} })).toThrow(/at least one covered year/);
  });

  it('refuses gaps in coverage and dates outside their year', () => {
    const year = (y: string) => ({ notice: `notice ${y}`, holidays: [], workdays: [] });
    expect(broken({ weekend: [0, 6], years: { '2026': year('2026'), '2028': year('2028') } })).toThrow(/years.2028: coverage has a gap, 2027 is missing/);
    expect(broken({ weekend: [0, 6], years: { '2026': { ...year('2026'), holidays: ['2027-01-01'] } } })).toThrow(/years.2026.holidays: 2027-01-01 is not in 2026/);
  });

  it('requires provisional marks without the notice, and refuses them with it', () => {
    expect(broken({ weekend: [0, 6], years: { '2027': { holidays: ['2027-01-01'], workdays: [] } } })).toThrow(/years.2027: without its notice, the days awaiting it must be marked provisional/);
    expect(broken({ weekend: [0, 6], years: { '2027': { notice: 'n', holidays: [], workdays: [], provisional: [{ from: '2027-01-01', to: '2027-01-03' }] } } })).toThrow(
      /years.2027: copied from its notice, yet 1 provisional ranges remain; remove them/,
    );
    expect(broken({ weekend: [0, 6], years: { '2027': { holidays: [], workdays: [], provisional: [{ from: '2027-02-21', to: '2027-01-30' }] } } })).toThrow(/2027-02-21 is after 2027-01-30/);
  });

  it('takes the China calendar date of an instant', () => {
    expect(chinaDate(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
  });
});
