import { WorkingDayCalendar } from '@app/domain';
import { buildPerformanceReport, csvCell, median, PerformanceFigures, renderPerformanceCsv, UTF8_BOM } from './performance-report';

// 2026-10-01…07 is the National Day holiday; 2026-10-10 (a Saturday) a make-up working day.
const calendar = new WorkingDayCalendar({
  weekend: [0, 6],
  years: { '2026': { notice: '国务院办公厅关于2026年部分节假日安排的通知', holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] } },
});

const figures = (overrides: Partial<PerformanceFigures> = {}): PerformanceFigures => ({
  period: { from: '2026-09-01', to: '2026-09-30' },
  asOf: '2026-10-12',
  publicationDeadlineWorkingDays: 7,
  departments: [
    { code: 'court', name: { zh: '区人民法院', en: "District People's Court" } },
    { code: 'finance', name: { zh: '区财政局', en: 'District Finance Bureau' } },
  ],
  publications: [],
  tasks: [],
  backlog: [],
  firstFeedback: [],
  ...overrides,
});

describe('median', () => {
  it('is the middle value, the mean of the two middle ones for an even count, and null for none', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([0, 0, 10, 10])).toBe(5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('csvCell', () => {
  it('quotes fields holding commas, quotes or line breaks and doubles the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvCell("District People's Court")).toBe("District People's Court");
  });

  it('writes numbers as they are and no value as an empty field', () => {
    expect(csvCell(0)).toBe('0');
    expect(csvCell(0.3333)).toBe('0.3333');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('keeps a spreadsheet from running text as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1)).toBe('-1');
  });
});

describe('buildPerformanceReport', () => {
  it('counts on-time publication in working days after the decision date, across a holiday', () => {
    // Decided 2026-09-28 (Mon): the 7 working days are 29, 30 Sep, 8, 9, 10 (Saturday, 调休), 12, 13 Oct.
    const deadline = calendar.addWorkingDays('2026-09-28', 7);
    const report = buildPerformanceReport(
      figures({
        publications: [
          { department: 'court', decidedOn: '2026-09-28', receivedOn: deadline, events: 2 },
          { department: 'court', decidedOn: '2026-09-28', receivedOn: calendar.addWorkingDays(deadline, 1), events: 1 },
          { department: 'court', decidedOn: '2026-09-28', receivedOn: '2026-09-28', events: 1 },
        ],
      }),
      calendar,
    );
    expect(deadline).toBe('2026-10-13');
    expect(report.departments[0].publication).toEqual({ events: 4, onTime: 3, onTimeRate: 0.75 });
    expect(report.departments[1].publication).toEqual({ events: 0, onTime: 0, onTimeRate: null });
  });

  it('gives the feedback rate, overdue counts and median times to feedback per department', () => {
    const report = buildPerformanceReport(
      figures({
        tasks: [{ department: 'finance', tasks: 3, withFeedback: 2, overdue: 1 }],
        backlog: [{ department: 'finance', overdue: 4 }],
        firstFeedback: [
          // Friday → Monday: one working day, 72 hours.
          { department: 'finance', createdOn: '2026-09-25', firstFeedbackOn: '2026-09-28', hours: 72 },
          // Same day: no working day, 3 hours.
          { department: 'finance', createdOn: '2026-09-29', firstFeedbackOn: '2026-09-29', hours: 3 },
        ],
      }),
      calendar,
    );
    const finance = report.departments.find((d) => d.department.code === 'finance')!;
    expect(finance.tasks).toEqual({ received: 3, withFeedback: 2, feedbackRate: 0.6667, medianTimeToFeedback: { workingDays: 0.5, hours: 37.5 }, overdue: 1, overdueBacklog: 4 });
    expect(report.departments.find((d) => d.department.code === 'court')!.tasks.feedbackRate).toBeNull();
  });

  it('keeps figures of a department no longer in the registry', () => {
    const report = buildPerformanceReport(figures({ backlog: [{ department: 'old-bureau', overdue: 1 }] }), calendar);
    expect(report.departments.map((d) => d.department)).toContainEqual({ code: 'old-bureau', name: { zh: 'old-bureau', en: 'old-bureau' } });
  });
});

describe('renderPerformanceCsv', () => {
  const report = buildPerformanceReport(
    figures({
      departments: [{ code: 'court', name: { zh: '区人民法院', en: 'Court, "District"\nLizhou' } }],
      publications: [{ department: 'court', decidedOn: '2026-09-01', receivedOn: '2026-09-01', events: 1 }],
    }),
    calendar,
  );
  const csv = renderPerformanceCsv(report);

  it('starts with a UTF-8 BOM and a header row, and ends lines with CRLF', () => {
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1).split('\r\n')[0]).toBe(
      'department_code,department_name_zh,department_name_en,period_from,period_to,as_of,events_published,events_on_time,on_time_rate,tasks_received,tasks_with_feedback,feedback_rate,median_feedback_working_days,median_feedback_hours,overdue_tasks,overdue_backlog',
    );
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('writes names in Chinese and English, escaped, and empty fields for rates of nothing', () => {
    expect(csv.slice(1).split('\r\n')[1]).toBe('court,区人民法院,"Court, ""District""\nLizhou",2026-09-01,2026-09-30,2026-10-12,1,1,1,0,0,,,,0,0');
  });
});
