import { WorkingDayCalendar } from '@app/domain';
import { buildWeeklyPerformance, isoWeek, mondayOf, weeksOfPeriod, WeeklyFigures } from './weekly-performance';

const calendar = new WorkingDayCalendar({ weekend: [0, 6], years: { '2026': { notice: 'test', holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] } } });

describe('ISO weeks', () => {
  it('starts a week on Monday', () => {
    expect(mondayOf('2026-11-23')).toBe('2026-11-23'); // a Monday
    expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // the Sunday after
    expect(mondayOf('2026-12-01')).toBe('2026-11-30');
    expect(mondayOf('1970-01-01')).toBe('1969-12-29');
  });

  it("numbers a week in the year its Thursday is in (ISO 8601's week-numbering year)", () => {
    expect(isoWeek('2026-11-30')).toBe('2026-W49');
    expect(isoWeek('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeek('2027-01-01')).toBe('2026-W53'); // a Friday: 2026 has 53 weeks
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
    expect(isoWeek('2024-12-30')).toBe('2025-W01'); // a Monday, in the week of 2 January 2025
  });

  it('cuts the first and last week to the period', () => {
    expect(weeksOfPeriod('2026-11-25', '2026-12-08')).toEqual([
      { week: '2026-W48', from: '2026-11-25', to: '2026-11-29', monday: '2026-11-23' },
      { week: '2026-W49', from: '2026-11-30', to: '2026-12-06', monday: '2026-11-30' },
      { week: '2026-W50', from: '2026-12-07', to: '2026-12-08', monday: '2026-12-07' },
    ]);
    expect(weeksOfPeriod('2026-12-01', '2026-12-01')).toEqual([{ week: '2026-W49', from: '2026-12-01', to: '2026-12-01', monday: '2026-11-30' }]);
  });
});

describe('buildWeeklyPerformance', () => {
  const figures: WeeklyFigures = {
    period: { from: '2026-09-21', to: '2026-10-04' },
    asOf: '2026-10-12',
    publicationDeadlineWorkingDays: 7,
    departments: [
      { code: 'court', name: { zh: '区人民法院', en: "District People's Court" } },
      { code: 'finance', name: { zh: '区财政局', en: 'District Finance Bureau' } },
    ],
    publications: [
      { week: '2026-09-21', department: 'court', decidedOn: '2026-09-21', receivedOn: '2026-09-22', events: 3 },
      // Decided Friday 25 September: its seventh working day is 12 October (the holiday in between), so 9 October is on time.
      { week: '2026-09-28', department: 'court', decidedOn: '2026-09-25', receivedOn: '2026-10-04', events: 1 },
      { week: '2026-09-28', department: 'court', decidedOn: '2026-09-01', receivedOn: '2026-09-29', events: 1 },
    ],
    tasks: [
      { week: '2026-09-21', department: 'finance', tasks: 4, withFeedback: 3, overdue: 1 },
      { week: '2026-09-28', department: 'finance', tasks: 2, withFeedback: 0, overdue: 2 },
      { week: '2026-09-28', department: 'unregistered', tasks: 1, withFeedback: 0, overdue: 0 },
    ],
    firstFeedback: [
      { week: '2026-09-21', department: 'finance', createdOn: '2026-09-21', firstFeedbackOn: '2026-09-22', hours: 20 },
      { week: '2026-09-21', department: 'finance', createdOn: '2026-09-21', firstFeedbackOn: '2026-09-24', hours: 70 },
      { week: '2026-09-21', department: 'finance', createdOn: '2026-09-25', firstFeedbackOn: '2026-09-28', hours: 72 },
    ],
  };

  it("gives each department one entry per week, each measured as the period report measures its period", () => {
    const weekly = buildWeeklyPerformance(figures, calendar);
    expect(weekly.weeks).toEqual([
      { week: '2026-W39', from: '2026-09-21', to: '2026-09-27' },
      { week: '2026-W40', from: '2026-09-28', to: '2026-10-04' },
    ]);
    expect(weekly.departments.map((d) => d.department.code)).toEqual(['court', 'finance', 'unregistered']);
    const [court, finance, unregistered] = weekly.departments;
    expect(court.weeks.map((w) => w.publication)).toEqual([
      { events: 3, onTime: 3, onTimeRate: 1 },
      { events: 2, onTime: 1, onTimeRate: 0.5 },
    ]);
    expect(finance.weeks).toEqual([
      { week: '2026-W39', publication: { events: 0, onTime: 0, onTimeRate: null }, tasks: { received: 4, withFeedback: 3, feedbackRate: 0.75, medianTimeToFeedback: { workingDays: 1, hours: 70 }, overdue: 1 } },
      { week: '2026-W40', publication: { events: 0, onTime: 0, onTimeRate: null }, tasks: { received: 2, withFeedback: 0, feedbackRate: 0, medianTimeToFeedback: { workingDays: null, hours: null }, overdue: 2 } },
    ]);
    expect(unregistered.department.name).toEqual({ zh: 'unregistered', en: 'unregistered' });
    expect(unregistered.weeks.map((w) => w.tasks.received)).toEqual([0, 1]);
  });
});
