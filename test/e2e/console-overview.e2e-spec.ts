import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppProcess, freePort } from '../support/app-process';
import { ConsoleBrowser } from '../support/console-browser';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// The district page's API as the credit office reads it: the period's report, the same measures
// by ISO week, decisions a day, dead letters by reason and the releases on the timeline.
// Its own database: the figures are exact, and other suites truncate the shared one.
describe('the console overview API', () => {
  let db: DataSource;
  let consoleApp: AppProcess;
  let office: ConsoleBrowser;

  const seedTask = async (createdAt: string, dueOn: string, feedbackAt?: string): Promise<void> => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO measure_task (id, decision_id, memorandum_id, measure_code, category, text, implementing_department, legal_basis,
                                 target_role, target_id_type, target_id, target_name, valid_from, valid_to, state, explanation, feedback_due_on, created_at)
       VALUES ($1, $2, 'judgment-debtors', 'JD-01', 'restrict', '{"zh":"限制","en":"restrict"}', 'finance', '[]', 'subject', 'USCC', '91510802MA62XK0U3U',
               '广元市利州区某某建材有限公司', '2026-11-01', '2028-10-31', 'active', '{}', $3, $4)`,
      [id, randomUUID(), dueOn, createdAt],
    );
    if (feedbackAt) {
      await db.query(`INSERT INTO feedback (task_id, department, outcome, business_reference, applied_on, reported_at) VALUES ($1, 'finance', 'applied', 'ref', $2::timestamptz::date, $2)`, [id, feedbackAt]);
    }
  };

  const seedEvent = async (decidedOn: string, receivedAt: string): Promise<void> => {
    const id = randomUUID();
    const envelope = { specversion: '1.0', id, source: '/departments/court', type: 'credit.list-entry.added.v1', data: { decidedOn } };
    await db.query(`INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, received_at) VALUES ($1, $2, $3, 'x', $4, 'processed', 'http', $5)`, [
      envelope.source,
      id,
      envelope.type,
      envelope,
      receivedAt,
    ]);
  };

  const seedRelease = (version: number, createdAt: string, approval?: { approver: string; effectiveAt: string }) =>
    // Approved a day before it takes effect, with the lead the approving server asked for (the database checks both).
    db.query(`INSERT INTO rule_release (version, revision, content, author, created_at, approver, approved_at, effective_at, approval_lead_ms)
              VALUES ($1, $2, '{"memoranda":{}}', 'editor', $3, $4, $5::timestamptz - interval '1 day', $5, CASE WHEN $4::text IS NULL THEN NULL ELSE 10000 END)`, [
      version,
      `revision-${version}`,
      createdAt,
      approval?.approver ?? null,
      approval?.effectiveAt ?? null,
    ]);

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('console_overview');
    db = await openTestDatabase(url);
    await truncateAll(db);
    // W46 (9–15 November 2026): two finance tasks, one reported on after a working day (24 h), one overdue; the court publishes on time.
    await seedTask('2026-11-09T09:00:00+08:00', '2026-11-20', '2026-11-10T09:00:00+08:00');
    await seedTask('2026-11-12T09:00:00+08:00', '2026-11-19');
    await seedEvent('2026-11-09', '2026-11-10T09:00:00+08:00');
    // W47 (16–22 November): one task reported on the same day (6 h); the court publishes late (decided 20 October).
    await seedTask('2026-11-17T09:00:00+08:00', '2026-11-27', '2026-11-17T15:00:00+08:00');
    await seedEvent('2026-10-20', '2026-11-18T09:00:00+08:00');
    // Releases: one effective before the period, one effective in it, a draft made in it, one effective after it.
    await seedRelease(1, '2026-10-01T09:00:00+08:00', { approver: 'approver', effectiveAt: '2026-10-02T09:00:00+08:00' });
    await seedRelease(2, '2026-11-10T09:00:00+08:00', { approver: 'approver', effectiveAt: '2026-11-11T20:00:00+08:00' });
    await seedRelease(3, '2026-11-20T10:00:00+08:00');
    await seedRelease(4, '2026-11-21T10:00:00+08:00', { approver: 'approver', effectiveAt: '2026-11-23T00:00:00+08:00' });
    for (const [department, code, at] of [
      ['court', 'SUBJECT.BAD_CHECK_DIGIT', '2026-11-10T09:00:00+08:00'],
      ['court', 'SUBJECT.BAD_CHECK_DIGIT', '2026-11-19T09:00:00+08:00'],
      [null, 'EVENT.MALFORMED_JSON', '2026-11-12T09:00:00+08:00'],
      ['court', 'EVENT.MALFORMED_JSON', '2026-11-23T09:00:00+08:00'], // after the period
    ]) {
      await db.query(`INSERT INTO dead_letter (error_code, message, preview, size_bytes, department, received_at) VALUES ($1, 'refused', '{}', 2, $2, $3)`, [code, department, at]);
    }
    consoleApp = await AppProcess.start('console', await appRoleEnv(url), await freePort());
    office = new ConsoleBrowser(consoleApp.baseUrl);
    expect((await office.signIn('office', 'dev-office-password')).status).toBe(200);
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await db?.destroy();
  });

  it("answers the period's report as before, and beside it the measures by week, dead letters by reason and the releases on the timeline", async () => {
    const { status, body } = await office.call('GET', '/api/v1/overview?from=2026-11-09&to=2026-11-22');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['deadLetters', 'decisionsPerDay', 'lists', 'performance', 'releases', 'weekly']);
    // The period's report is unchanged: the weeks add up to it.
    const finance = body.performance.departments.find((d: { department: { code: string } }) => d.department.code === 'finance');
    expect(finance.tasks).toMatchObject({ received: 3, withFeedback: 2, feedbackRate: 0.6667, overdue: 1 });

    expect(body.weekly.weeks).toEqual([
      { week: '2026-W46', from: '2026-11-09', to: '2026-11-15' },
      { week: '2026-W47', from: '2026-11-16', to: '2026-11-22' },
    ]);
    const weeksOf = (code: string) => body.weekly.departments.find((d: { department: { code: string } }) => d.department.code === code).weeks;
    expect(weeksOf('finance').map((w: { tasks: unknown }) => w.tasks)).toEqual([
      { received: 2, withFeedback: 1, feedbackRate: 0.5, medianTimeToFeedback: { workingDays: 1, hours: 24 }, overdue: 1 },
      { received: 1, withFeedback: 1, feedbackRate: 1, medianTimeToFeedback: { workingDays: 0, hours: 6 }, overdue: 0 },
    ]);
    expect(weeksOf('court').map((w: { publication: unknown }) => w.publication)).toEqual([
      { events: 1, onTime: 1, onTimeRate: 1 },
      { events: 1, onTime: 0, onTimeRate: 0 },
    ]);

    expect(body.deadLetters).toEqual([
      { department: { code: 'court', name: { zh: '区人民法院', en: expect.any(String) } }, errorCode: 'SUBJECT.BAD_CHECK_DIGIT', deadLetters: 2 },
      { department: null, errorCode: 'EVENT.MALFORMED_JSON', deadLetters: 1 },
    ]);
    expect(body.releases).toEqual([
      {
        version: 2,
        status: 'superseded',
        author: 'editor',
        approver: 'approver',
        createdAt: '2026-11-10T01:00:00.000Z',
        effectiveAt: '2026-11-11T12:00:00.000Z',
        rolledBackFrom: null,
        at: '2026-11-11T12:00:00.000Z',
      },
      { version: 3, status: 'draft', author: 'editor', approver: null, createdAt: '2026-11-20T02:00:00.000Z', effectiveAt: null, rolledBackFrom: null, at: '2026-11-20T02:00:00.000Z' },
    ]);
  });

  it('defaults to the last 30 days, and refuses a backwards, malformed or too long period with its stable code', async () => {
    const { body } = await office.call('GET', '/api/v1/overview');
    expect(body.weekly.period).toEqual(body.performance.period);
    expect(body.weekly.weeks[0].from).toBe(body.performance.period.from);
    expect(body.weekly.weeks.at(-1).to).toBe(body.performance.period.to);
    expect(await office.call('GET', '/api/v1/overview?from=2026-11-22&to=2026-11-09')).toMatchObject({ status: 400, body: { code: 'REQUEST.BAD_PERIOD' } });
    expect(await office.call('GET', '/api/v1/overview?from=2026-11&to=2026-11-09')).toMatchObject({ status: 400, body: { code: 'REQUEST.BAD_PERIOD' } });
    expect(await office.call('GET', '/api/v1/overview?from=0001-01-01&to=2026-11-09')).toMatchObject({ status: 400, body: { code: 'REQUEST.BAD_PERIOD' } });
  });
});
