import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { Clock, DepartmentRegistry } from '@app/domain';
import { CalendarService, CatalogueService } from '@app/engine';
import { DistrictActivityRepository, PerformanceRepository } from '@app/persistence';
import { PerformanceService } from '@app/query';
import { openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

const root = join(__dirname, '../..');
const registry = new DepartmentRegistry(JSON.parse(readFileSync(join(root, 'config/departments.json'), 'utf8')).departments);
// The service needs only the departments registry of the catalogue.
const catalogue = { departments: registry } as unknown as CatalogueService;
const creditOffice = registry.get('credit-office');
// Monday 30 November 2026 in China: the overdue figures are counted as of this day.
const clock: Clock = { now: () => new Date('2026-11-30T10:00:00+08:00') };
const calendars = new CalendarService(loadAppConfig({ CALENDAR_FILE: join(root, 'config/calendar.json') }), clock);
// Two ISO weeks with no public holiday: W46 is 9–15 November 2026, W47 is 16–22 November.
const PERIOD = { from: '2026-11-09', to: '2026-11-22' };

// The district page's charts over time: the performance measures by ISO week in China time, grouped in SQL.
describe('department performance by week (real PostgreSQL, fixed clock)', () => {
  let db: DataSource;
  let performance: PerformanceService;

  beforeAll(async () => {
    // A database of its own: the period report's suite truncates the shared one.
    db = await openTestDatabase(await ownTestDatabaseUrl('weekly_performance'));
    await truncateAll(db);
    performance = new PerformanceService(new PerformanceRepository(db), catalogue, calendars, loadAppConfig({}), clock);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const seedTask = async (createdAt: string, dueOn: string | null, feedbackAt: string[] = [], department = 'finance'): Promise<void> => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO measure_task (id, decision_id, memorandum_id, measure_code, category, text, implementing_department, legal_basis,
                                 target_role, target_id_type, target_id, target_name, valid_from, valid_to, state, explanation, feedback_due_on, created_at)
       VALUES ($1, $2, 'judgment-debtors', 'JD-01', 'restrict', '{"zh":"限制","en":"restrict"}', $3, '[]', 'subject', 'USCC', '91510802MA62XK0U3U',
               '广元市利州区某某建材有限公司', '2026-11-01', '2028-10-31', 'active', '{}', $4, $5)`,
      [id, randomUUID(), department, dueOn, createdAt],
    );
    for (const [index, at] of feedbackAt.entries()) {
      await db.query(`INSERT INTO feedback (task_id, department, outcome, business_reference, applied_on, reported_at) VALUES ($1, $2, $3, 'ref', $4::timestamptz::date, $4)`, [
        id,
        department,
        index === 0 ? 'applied' : 'failed',
        at,
      ]);
    }
  };

  const seedEvent = async (department: string, decidedOn: string, receivedAt: string): Promise<void> => {
    const id = randomUUID();
    const envelope = { specversion: '1.0', id, source: `/departments/${department}`, type: 'credit.list-entry.added.v1', data: { decidedOn } };
    await db.query(`INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, received_at) VALUES ($1, $2, $3, 'x', $4, 'processed', 'http', $5)`, [
      envelope.source,
      id,
      envelope.type,
      envelope,
      receivedAt,
    ]);
  };

  it('gives each week its on-time rate, feedback rate, median time to feedback and overdue tasks, cutting weeks at China midnight', async () => {
    // W46, finance: three tasks reported on (1, 2 and 1 working days; 24, 54 and 72 hours) and one overdue.
    await seedTask('2026-11-09T09:00:00+08:00', '2026-11-20', ['2026-11-10T09:00:00+08:00']);
    await seedTask('2026-11-11T10:00:00+08:00', '2026-11-20', ['2026-11-13T16:00:00+08:00', '2026-11-14T09:00:00+08:00']); // the first report counts
    await seedTask('2026-11-13T09:00:00+08:00', '2026-11-24', ['2026-11-16T09:00:00+08:00']); // reported in W47: still W46's task
    await seedTask('2026-11-12T09:00:00+08:00', '2026-11-19'); // overdue
    // W47, finance: Monday 07:00 in China is Sunday in UTC, and still W47 here.
    await seedTask('2026-11-16T07:00:00+08:00', '2026-11-20'); // overdue
    await seedTask('2026-11-17T09:00:00+08:00', '2026-11-27', ['2026-11-17T15:00:00+08:00']); // 6 hours, the same day
    await seedTask('2026-11-22T23:59:00+08:00', '2026-12-10'); // not yet due
    // Outside the period by a minute on either side.
    await seedTask('2026-11-08T23:59:00+08:00', '2026-11-10');
    await seedTask('2026-11-23T00:00:00+08:00', '2026-11-25');

    // Court, W46: decided 20 October, received 12 November (its deadline, 7 working days on, was 29 October): late; the others on time.
    await seedEvent('court', '2026-11-09', '2026-11-10T09:00:00+08:00');
    await seedEvent('court', '2026-10-20', '2026-11-12T09:00:00+08:00');
    await seedEvent('court', '2026-11-13', '2026-11-15T23:00:00+08:00'); // Sunday night in China, Sunday afternoon in UTC
    // W47: Monday 07:30 in China, still Sunday (W46) in UTC.
    await seedEvent('court', '2026-11-16', '2026-11-16T07:30:00+08:00');

    const weekly = await performance.weekly(creditOffice, PERIOD);
    expect(weekly.weeks).toEqual([
      { week: '2026-W46', from: '2026-11-09', to: '2026-11-15' },
      { week: '2026-W47', from: '2026-11-16', to: '2026-11-22' },
    ]);
    expect(weekly.departments.map((d) => d.department.code)).toEqual(registry.all().map((d) => d.code));
    const of = (code: string) => weekly.departments.find((d) => d.department.code === code)!.weeks;

    expect(of('finance')).toEqual([
      { week: '2026-W46', publication: { events: 0, onTime: 0, onTimeRate: null }, tasks: { received: 4, withFeedback: 3, feedbackRate: 0.75, medianTimeToFeedback: { workingDays: 1, hours: 54 }, overdue: 1 } },
      { week: '2026-W47', publication: { events: 0, onTime: 0, onTimeRate: null }, tasks: { received: 3, withFeedback: 1, feedbackRate: 0.3333, medianTimeToFeedback: { workingDays: 0, hours: 6 }, overdue: 1 } },
    ]);
    expect(of('court').map((w) => w.publication)).toEqual([
      { events: 3, onTime: 2, onTimeRate: 0.6667 },
      { events: 1, onTime: 1, onTimeRate: 1 },
    ]);
    expect(of('tax').map((w) => [w.publication.onTimeRate, w.tasks.feedbackRate, w.tasks.medianTimeToFeedback.workingDays])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);

    // The weeks add up to the period report, which reads the same rows without the weekly split.
    const report = await performance.report(creditOffice, PERIOD);
    const finance = report.departments.find((d) => d.department.code === 'finance')!;
    expect(finance.tasks).toMatchObject({ received: 7, withFeedback: 4, overdue: 2 });
    expect(report.departments.find((d) => d.department.code === 'court')!.publication).toEqual({ events: 4, onTime: 3, onTimeRate: 0.75 });

    // A department named: its weeks only; a short period: its one (partial) week.
    const court = await performance.weekly(creditOffice, { ...PERIOD, department: 'court' });
    expect(court.departments.map((d) => d.department.code)).toEqual(['court']);
    const monday = await performance.weekly(creditOffice, { from: '2026-11-16', to: '2026-11-16' });
    expect(monday.weeks).toEqual([{ week: '2026-W47', from: '2026-11-16', to: '2026-11-16' }]);
    expect(monday.departments.find((d) => d.department.code === 'finance')!.weeks[0].tasks.received).toBe(1);
    expect(monday.departments.find((d) => d.department.code === 'court')!.weeks[0].publication.events).toBe(1);
    await expect(performance.weekly(creditOffice, { from: '2026-11-22', to: '2026-11-09' })).rejects.toMatchObject({ code: 'REQUEST.BAD_PERIOD' });
    // Two years (731 days, a leap day in them) at most: a longer period would answer thousands of weeks.
    expect((await performance.weekly(creditOffice, { from: '2025-11-23', to: '2027-11-23' })).weeks).toHaveLength(106);
    await expect(performance.weekly(creditOffice, { from: '2025-11-23', to: '2027-11-24' })).rejects.toMatchObject({ code: 'REQUEST.BAD_PERIOD', context: { violations: [{ path: 'to' }] } });
  });

  it('counts dead letters by department and error code, an unregistered department as none', async () => {
    const letter = (department: string | null, errorCode: string, receivedAt: string) =>
      db.query(`INSERT INTO dead_letter (error_code, message, preview, size_bytes, department, received_at) VALUES ($1, 'refused', '{}', 2, $2, $3)`, [errorCode, department, receivedAt]);
    await letter('court', 'SUBJECT.BAD_CHECK_DIGIT', '2026-11-10T09:00:00+08:00');
    await letter('court', 'SUBJECT.BAD_CHECK_DIGIT', '2026-11-22T23:59:00+08:00');
    await letter('court', 'ENGINE.PROCESSING_FAILED', '2026-11-12T09:00:00+08:00');
    await letter(null, 'SUBJECT.BAD_CHECK_DIGIT', '2026-11-11T09:00:00+08:00');
    await letter('not-registered', 'SUBJECT.BAD_CHECK_DIGIT', '2026-11-11T10:00:00+08:00');
    await letter('court', 'SUBJECT.BAD_CHECK_DIGIT', '2026-11-23T00:00:00+08:00'); // the next day: outside

    const counts = await new DistrictActivityRepository(db).deadLettersByReason(new Date('2026-11-09T00:00:00+08:00'), new Date('2026-11-23T00:00:00+08:00'), registry.all().map((d) => d.code));
    expect(counts).toEqual([
      { department: 'court', errorCode: 'ENGINE.PROCESSING_FAILED', deadLetters: 1 },
      { department: 'court', errorCode: 'SUBJECT.BAD_CHECK_DIGIT', deadLetters: 2 },
      { department: null, errorCode: 'SUBJECT.BAD_CHECK_DIGIT', deadLetters: 2 },
    ]);
  });
});
