import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import { openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// A working-day calendar that has run out: the apps run on CALENDAR_FILE covering last year
// only, so today's due dates count weekends only and must say they are provisional, on the
// task API, in readiness and in /metrics. Then the file is edited while the apps run.
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8'));
const OTHER_ENTERPRISE = '91510802MA6T7E1QXE';
const thisYear = Number(chinaDate(new Date()).slice(0, 4));
const year = (y: number) => ({ notice: `test notice for ${y}`, holidays: [], workdays: [] });

interface FeedPage {
  records: { decisionId: string; measures: { taskId: string; implementingDepartment: string }[] }[];
  nextCursor: string;
}
interface TaskPage {
  tasks: { id: string; decisionId: string; feedbackDueOn: string; feedbackDueProvisional: boolean }[];
}

describe('a working-day calendar that has run out', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  let calendarFile: string;
  let cursor = '0';

  function writeCalendar(content: unknown): void {
    writeFileSync(calendarFile, typeof content === 'string' ? content : JSON.stringify(content));
    const later = new Date(Date.now() + 5000);
    utimesSync(calendarFile, later, later);
  }

  beforeAll(async () => {
    // Its own database: the suite reads every finance task and must not see other suites truncate theirs.
    const url = await ownTestDatabaseUrl('calendar');
    db = await openTestDatabase(url);
    await truncateAll(db);
    calendarFile = join(mkdtempSync(join(tmpdir(), 'calendar-e2e-')), 'calendar.json');
    writeCalendar({ weekend: [0, 6], years: { [thisYear - 1]: year(thisYear - 1) } });
    [ingest, engine, query] = await startEmbeddedApps({ DATABASE_URL: url, TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', CALENDAR_FILE: calendarFile, CALENDAR_RELOAD_INTERVAL_MS: '100' });
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const get = (app: AppProcess, path: string) => fetch(`${app.baseUrl}${path}`, { headers: { authorization: 'Bearer dev-finance-token' } });

  /** Publish a listing and return the finance bureau's tasks of the decision it caused. */
  async function listAndReadTasks(subject: string): Promise<TaskPage['tasks']> {
    const event = { ...listing, id: randomUUID(), subject, data: { ...listing.data, subject: { ...listing.data.subject, id: subject }, documentNumber: `（${thisYear}）川0802执${Date.now() % 10000}号` } };
    const published = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
    });
    expect(published.status).toBe(202);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const page = (await (await get(query, `/v1/feed?after=${cursor}`)).json()) as FeedPage;
      if (page.records.length > 0) {
        cursor = page.nextCursor;
        const decisionId = page.records[0].decisionId;
        const tasks = ((await (await get(query, '/v1/tasks?limit=500')).json()) as TaskPage).tasks.filter((t) => t.decisionId === decisionId);
        expect(tasks.length).toBeGreaterThan(0);
        return tasks;
      }
      if (Date.now() > deadline) throw new Error(`no decision reached the finance feed:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function waitForLog(app: AppProcess, pattern: RegExp): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(app.log)) {
      if (Date.now() > deadline) throw new Error(`${app.name} never logged ${pattern}:\n${app.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('stores due dates past coverage as provisional, shows them on GET /v1/tasks, and logs it once', async () => {
    const tasks = await listAndReadTasks(listing.data.subject.id);
    expect(tasks.every((t) => t.feedbackDueProvisional)).toBe(true);
    const detail = await (await get(query, `/v1/tasks/${tasks[0].id}`)).json();
    expect(detail).toMatchObject({ feedbackDueOn: tasks[0].feedbackDueOn, feedbackDueProvisional: true });
    const [{ provisional }] = await db.query(`SELECT bool_and(feedback_due_provisional) AS provisional FROM measure_task WHERE id = ANY($1::uuid[])`, [tasks.map((t) => t.id)]);
    expect(provisional).toBe(true);
    expect(engine.log.match(/feedback due dates are provisional/g)).toHaveLength(1);
  });

  it('reports the lapsed coverage in readiness without failing it, and in /metrics', async () => {
    const health = await fetch(`${engine.baseUrl}/health`);
    expect(health.status).toBe(200);
    const { details } = (await health.json()) as { details: { calendar: Record<string, unknown> } };
    expect(details.calendar).toMatchObject({ status: 'up', coveredThrough: `${thisYear - 1}-12-31`, nextUncertainReason: 'outside-coverage', warning: expect.stringMatching(/ended on/) });
    expect(details.calendar.daysCovered).toBeLessThan(0);

    const metrics = await (await fetch(`${engine.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^credit_calendar_covered_through_days -\d+$/m);
    expect(metrics).toMatch(/^credit_calendar_provisional_due_dates_total\{reason="outside-coverage"\} [1-9]\d*$/m);
  });

  it('refuses a broken edit while running, then counts on a valid one', async () => {
    writeCalendar('{ "weekend": [0, 6], "years": { }');
    await waitForLog(engine, /working-day calendar refused/);
    const health = (await (await fetch(`${engine.baseUrl}/health`)).json()) as { details: { calendar: { coveredThrough: string; lastRefusal?: { problems: string[] } } } };
    expect(health.details.calendar.coveredThrough).toBe(`${thisYear - 1}-12-31`);
    expect(health.details.calendar.lastRefusal?.problems[0]).toContain(`CALENDAR_FILE=${calendarFile}`);

    writeCalendar({ weekend: [0, 6], years: { [thisYear - 1]: year(thisYear - 1), [thisYear]: year(thisYear), [thisYear + 1]: year(thisYear + 1) } });
    // Reloads are logged at "log", below the apps' test log level: readiness shows the new coverage, in both apps that count days.
    for (const app of [engine, query]) {
      const deadline = Date.now() + 10_000;
      while (((await (await fetch(`${app.baseUrl}/health`)).json()) as { details: { calendar: { coveredThrough: string } } }).details.calendar.coveredThrough !== `${thisYear + 1}-12-31`) {
        if (Date.now() > deadline) throw new Error(`${app.name} never took over the edited calendar:\n${app.log.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const tasks = await listAndReadTasks(OTHER_ENTERPRISE);
    expect(tasks.map((t) => t.feedbackDueProvisional)).toEqual(tasks.map(() => false));
  });
});
