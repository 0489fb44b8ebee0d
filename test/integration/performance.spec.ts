import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { Clock, Department, DepartmentRegistry } from '@app/domain';
import { CalendarService, CatalogueService } from '@app/engine';
import { FeedbackService, PerformanceService, QueryAuditService } from '@app/query';
import { FeedbackRepository, PerformanceRepository, QueryAuditRepository } from '@app/persistence';
import { openTestDatabase, truncateAll } from '../support/database';

const root = join(__dirname, '../..');
const registry = new DepartmentRegistry(JSON.parse(readFileSync(join(root, 'config/departments.json'), 'utf8')).departments);
// The service needs only the departments registry of the catalogue; loading the rule files too would test nothing here.
const catalogue = { departments: registry } as unknown as CatalogueService;
// The credit office assesses every department; the others read their own performance.
const creditOffice = registry.get('credit-office');
// Monday 2026-10-12, 10:00 in China: the first Monday after the National Day holiday.
const clock: Clock = { now: () => new Date('2026-10-12T10:00:00+08:00') };
const calendars = new CalendarService(loadAppConfig({ CALENDAR_FILE: join(root, 'config/calendar.json') }), clock);

interface TaskSeed {
  department?: string;
  createdAt: string;
  state?: 'active' | 'expired' | 'revoked';
  dueOn?: string | null;
  feedbackAt?: string[];
}

describe('PerformanceService (real PostgreSQL, fixed clock)', () => {
  let db: DataSource;
  let performance: PerformanceService;
  let feedback: FeedbackService;

  beforeAll(async () => {
    db = await openTestDatabase();
    performance = new PerformanceService(new PerformanceRepository(db), catalogue, calendars, loadAppConfig({}), clock);
    feedback = new FeedbackService(new FeedbackRepository(db), clock, new QueryAuditService(new QueryAuditRepository(db), loadAppConfig({}), clock));
  });

  beforeEach(async () => {
    await truncateAll(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const seedTask = async (seed: TaskSeed): Promise<string> => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO measure_task (id, decision_id, memorandum_id, measure_code, category, text, implementing_department, legal_basis,
                                 target_role, target_id_type, target_id, target_name, valid_from, valid_to, state, explanation, feedback_due_on, created_at)
       VALUES ($1, $2, 'judgment-debtors', 'JD-01', 'restrict', '{"zh":"限制","en":"restrict"}', $3, '[]', 'subject', 'USCC', '91510802MA62XK0U3U',
               '广元市利州区某某建材有限公司', '2026-09-01', '2028-08-31', $4, '{}', $5, $6)`,
      [id, randomUUID(), seed.department ?? 'finance', seed.state ?? 'active', seed.dueOn ?? null, seed.createdAt],
    );
    for (const [index, at] of (seed.feedbackAt ?? []).entries()) {
      await db.query(
        `INSERT INTO feedback (task_id, department, outcome, business_reference, applied_on, reported_at) VALUES ($1, $2, $3, 'ref', $4::timestamptz::date, $4)`,
        [id, seed.department ?? 'finance', index === 0 ? 'applied' : 'failed', at],
      );
    }
    return id;
  };

  const seedEvent = async (department: string, decidedOn: string, receivedAt: string): Promise<void> => {
    const id = randomUUID();
    const envelope = { specversion: '1.0', id, source: `/departments/${department}`, type: 'credit.list-entry.added.v1', data: { decidedOn } };
    await db.query(
      `INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, received_at) VALUES ($1, $2, $3, 'x', $4, 'processed', 'http', $5)`,
      [envelope.source, id, envelope.type, envelope, receivedAt],
    );
  };

  const departmentOf = (report: Awaited<ReturnType<PerformanceService['report']>>, code: string) => report.departments.find((d) => d.department.code === code)!;

  it('counts tasks, feedback rate, overdue tasks and the median time to feedback in working days across a weekend', async () => {
    // Friday 09:00 → Monday 09:00: 72 hours, but one working day. Later feedback does not move the first.
    await seedTask({ createdAt: '2026-09-25T09:00:00+08:00', dueOn: '2026-10-09', feedbackAt: ['2026-09-28T09:00:00+08:00', '2026-10-09T09:00:00+08:00'] });
    // Same day: three hours, no working day.
    await seedTask({ createdAt: '2026-09-29T10:00:00+08:00', dueOn: '2026-10-13', feedbackAt: ['2026-09-29T13:00:00+08:00'] });
    // Thursday → Monday: Friday and Monday are two working days; 96 hours.
    await seedTask({ createdAt: '2026-09-10T09:00:00+08:00', dueOn: '2026-09-20', feedbackAt: ['2026-09-14T09:00:00+08:00'] });
    await seedTask({ createdAt: '2026-09-29T11:00:00+08:00', dueOn: '2026-10-09' }); // overdue: due before today, never reported
    await seedTask({ createdAt: '2026-09-30T09:00:00+08:00', dueOn: '2026-10-12' }); // due today: not yet overdue
    await seedTask({ createdAt: '2026-09-30T23:30:00+08:00', dueOn: null }); // no due date (before due dates existed): never overdue
    await seedTask({ createdAt: '2026-09-30T09:00:00+08:00', dueOn: '2026-10-01', state: 'revoked' }); // ended: not overdue
    await seedTask({ createdAt: '2026-10-01T00:10:00+08:00', dueOn: '2026-10-09' }); // 1 October in China: outside the period, in the backlog
    await seedTask({ createdAt: '2026-08-14T09:00:00+08:00', dueOn: '2026-08-25' }); // overdue, from before the period
    await seedTask({ department: 'transport', createdAt: '2026-09-15T09:00:00+08:00', dueOn: '2026-09-25' });

    const report = await performance.report(creditOffice, { from: '2026-09-01', to: '2026-09-30' });
    expect(report).toMatchObject({ period: { from: '2026-09-01', to: '2026-09-30' }, asOf: '2026-10-12', publicationDeadlineWorkingDays: 7 });
    expect(departmentOf(report, 'finance')).toEqual({
      department: { code: 'finance', name: { zh: expect.any(String), en: expect.any(String) } },
      publication: { events: 0, onTime: 0, onTimeRate: null },
      tasks: { received: 7, withFeedback: 3, feedbackRate: 0.4286, medianTimeToFeedback: { workingDays: 1, hours: 72 }, overdue: 1, overdueBacklog: 3 },
    });
    expect(departmentOf(report, 'transport').tasks).toMatchObject({ received: 1, withFeedback: 0, feedbackRate: 0, overdue: 1, overdueBacklog: 1 });
    expect(departmentOf(report, 'court').tasks).toMatchObject({ received: 0, feedbackRate: null, medianTimeToFeedback: { workingDays: null, hours: null } });
    expect(report.departments.map((d) => d.department.code)).toEqual(registry.all().map((d) => d.code));
  });

  it('medians over an even number of tasks take the mean of the middle two', async () => {
    await seedTask({ createdAt: '2026-09-25T09:00:00+08:00', feedbackAt: ['2026-09-28T09:00:00+08:00'] }); // 1 working day, 72 h
    await seedTask({ createdAt: '2026-09-29T10:00:00+08:00', feedbackAt: ['2026-09-29T13:00:00+08:00'] }); // 0, 3 h
    const report = await performance.report(creditOffice, { from: '2026-09-01', to: '2026-09-30', department: 'finance' });
    expect(report.departments).toHaveLength(1);
    expect(report.departments[0].tasks.medianTimeToFeedback).toEqual({ workingDays: 0.5, hours: 37.5 });
  });

  it('counts events published and on time within 7 working days of the decision, across the National Day holiday', async () => {
    // Decided Monday 28 September: the seventh working day after is Tuesday 13 October (1–7 October off, Saturday 10 October worked).
    await seedEvent('court', '2026-09-28', '2026-10-13T17:00:00+08:00');
    await seedEvent('court', '2026-09-28', '2026-10-14T09:00:00+08:00');
    await seedEvent('court', '2026-10-09', '2026-10-09T09:00:00+08:00');
    await seedEvent('court', '2026-09-28', '2026-09-30T23:00:00+08:00'); // received in September: not in the period
    await seedEvent('tax', '2026-10-09', '2026-10-09T09:00:00+08:00');

    const report = await performance.report(creditOffice, { from: '2026-10-01', to: '2026-10-31' });
    expect(departmentOf(report, 'court').publication).toEqual({ events: 3, onTime: 2, onTimeRate: 0.6667 });
    expect(departmentOf(report, 'tax').publication).toEqual({ events: 1, onTime: 1, onTimeRate: 1 });

    const court = await performance.report(creditOffice, { from: '2026-10-01', to: '2026-10-31', department: 'court' });
    expect(court.departments.map((d) => d.department.code)).toEqual(['court']);
    expect(court.departments[0].publication.events).toBe(3);
  });

  it('refuses a bad period and an unknown department', async () => {
    await expect(performance.report(creditOffice, { from: '2026-10-31', to: '2026-10-01' })).rejects.toMatchObject({ code: 'REQUEST.BAD_PERIOD' });
    await expect(performance.report(creditOffice, { from: '2026-10-01' })).rejects.toMatchObject({ code: 'REQUEST.BAD_PERIOD', context: { violations: [{ path: 'to' }] } });
    await expect(performance.report(creditOffice, { from: '2026-10-01', to: '2026-10-31', department: 'nope' })).rejects.toMatchObject({ code: 'DEPARTMENT.UNKNOWN' });
  });

  it('gives a department its own performance only', async () => {
    const finance = registry.get('finance');
    const own = await performance.report(finance, { from: '2026-10-01', to: '2026-10-31' });
    expect(own.departments.map((d) => d.department.code)).toEqual(['finance']);
    expect((await performance.report(finance, { from: '2026-10-01', to: '2026-10-31', department: 'finance' })).departments).toHaveLength(1);
    await expect(performance.report(finance, { from: '2026-10-01', to: '2026-10-31', department: 'court' })).rejects.toMatchObject({ code: 'PERFORMANCE.OTHER_DEPARTMENT' });
  });

  it('lists a department\'s own overdue tasks a page at a time', async () => {
    const finance: Department = registry.get('finance');
    const overdue = [];
    for (let day = 1; day <= 5; day++) overdue.push(await seedTask({ createdAt: `2026-09-0${day}T09:00:00+08:00`, dueOn: '2026-09-20' }));
    await seedTask({ createdAt: '2026-09-06T09:00:00+08:00', dueOn: '2026-09-20', feedbackAt: ['2026-09-07T09:00:00+08:00'] });
    await seedTask({ department: 'transport', createdAt: '2026-09-06T09:00:00+08:00', dueOn: '2026-09-20' });

    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await feedback.list(finance, { state: 'active', overdue: 'true', after, limit: '2' });
      expect(page.tasks.every((t) => t.overdue && t.implementingDepartment === 'finance')).toBe(true);
      seen.push(...page.tasks.map((t) => t.id));
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(overdue);
    expect((await feedback.list(finance, {})).tasks).toHaveLength(6);
    expect((await feedback.list(finance, { overdue: 'false' })).tasks.map((t) => t.feedbackOutcomes)).toEqual([['applied']]);
    await expect(feedback.list(finance, { after: 'not-a-cursor' })).rejects.toMatchObject({ code: 'REQUEST.BAD_TASK_FILTER' });
  });
});
