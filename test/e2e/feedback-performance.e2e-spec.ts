import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ingestClient, queryClient, QuerySchemas } from '@credit-engine/client';
import { chinaDate } from '@app/domain';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import type { Problem } from '../support/problem';
import { appRoleEnv, openTestDatabase, truncateAll } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// Implementing departments report back on their measure tasks (反馈), and the credit office
// reads how each department does: the embedded loop, driven over HTTP as departments drive it.
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8'));

interface Measure {
  taskId: string;
  code: string;
  implementingDepartment: string;
}
interface FeedPage {
  records: { measures: Measure[] }[];
}
type ErrorBody = Problem;
interface Performance {
  period: { from: string; to: string };
  departments: {
    department: { code: string; name: { zh: string; en: string } };
    publication: { events: number; onTime: number; onTimeRate: number | null };
    tasks: { received: number; withFeedback: number; feedbackRate: number | null; medianTimeToFeedback: { workingDays: number | null; hours: number | null }; overdue: number; overdueBacklog: number };
  }[];
}

const DAY_MS = 86_400_000;

describe('feedback and department performance over HTTP', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  let measures: Measure[];
  const task = (code: string) => measures.find((m) => m.code === code && m.implementingDepartment === 'finance')!.taskId;

  beforeAll(async () => {
    db = await openTestDatabase();
    await truncateAll(db);
    // The apps run as the least-privilege role, as in production, and migrate as the owner.
    const env = { ...(await appRoleEnv(testDatabaseUrl())), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' };
    [ingest, engine, query] = await startEmbeddedApps(env);

    const published = await ingestClient(ingest.baseUrl, 'dev-court-token').POST('/v1/events', { body: listing });
    expect(published.response.status).toBe(202);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const page = (await (await get('/v1/feed?after=0', 'finance')).json()) as FeedPage;
      if (page.records.length > 0) {
        measures = page.records.flatMap((r) => r.measures);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no decision reached the finance feed:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  function get(path: string, department: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${query.baseUrl}${path}`, { headers: { authorization: `Bearer dev-${department}-token`, ...headers } });
  }

  function report(taskId: string, department: string, body: unknown): Promise<Response> {
    return fetch(`${query.baseUrl}/v1/tasks/${taskId}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${department}-token`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  const today = () => chinaDate(new Date());
  const applied = (): QuerySchemas['FeedbackReportDto'] => ({ outcome: 'applied', businessReference: '利州采〔2026〕18号', appliedOn: today(), operator: 'finance-clerk-07' });

  /** A copy of a real task, in a state the running apps would take days to reach. */
  async function seedTaskLike(taskId: string, changes: { state?: string; feedbackDueOn?: string }): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO measure_task (id, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, cooperating_departments, legal_basis,
                                 target_role, target_id_type, target_id, target_name, valid_from, valid_to, state, explanation, ended_at, end_reason, feedback_due_on)
       SELECT $2, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, cooperating_departments, legal_basis,
              target_role, target_id_type, target_id, target_name, valid_from, valid_to, $3, explanation,
              CASE WHEN $3 = 'active' THEN NULL ELSE now() END, CASE WHEN $3 = 'active' THEN NULL ELSE 'objection-revoked' END, $4::date
       FROM measure_task WHERE id = $1`,
      [taskId, id, changes.state ?? 'active', changes.feedbackDueOn ?? null],
    );
    return id;
  }

  it('records the finance bureau\'s feedback on its procurement task once', async () => {
    const taskId = task('JD-01');
    // Through the generated client: the body is typed by the OpenAPI document's FeedbackReportDto.
    const finance = queryClient(query.baseUrl, 'dev-finance-token');
    // @ts-expect-error `done` is no feedback outcome (applied, not-applicable, exempted, failed)
    expect((await finance.POST('/v1/tasks/{taskId}/feedback', { params: { path: { taskId } }, body: { ...applied(), outcome: 'done' } })).response.status).toBe(400);
    const { data: stored, response } = await finance.POST('/v1/tasks/{taskId}/feedback', { params: { path: { taskId } }, body: applied() });
    expect(response.status).toBe(201);
    expect(stored).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      taskId,
      department: 'finance',
      outcome: 'applied',
      reason: null,
      businessReference: '利州采〔2026〕18号',
      appliedOn: today(),
      operator: 'finance-clerk-07',
      acknowledgedRevoked: false,
      reportedAt: expect.any(String),
    });

    const again = await report(taskId, 'finance', applied());
    expect(again.status).toBe(409);
    expect((await again.json()) as ErrorBody).toMatchObject({ code: 'FEEDBACK.DUPLICATE', context: { taskId, outcome: 'applied' } });

    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM feedback WHERE task_id = $1`, [taskId]);
    expect(n).toBe(1);
  });

  it('lets only the implementing department report, on a task that exists, with a reason where one is due', async () => {
    const forbidden = await report(task('JD-01'), 'transport', applied());
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as ErrorBody).code).toBe('FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT');

    const unknown = await report(randomUUID(), 'finance', applied());
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).code).toBe('TASK.NOT_FOUND');

    const noReason = await report(task('JD-06'), 'finance', { ...applied(), outcome: 'exempted' });
    expect(noReason.status).toBe(400);
    const error = (await noReason.json()) as ErrorBody;
    expect(error.code).toBe('REQUEST.INVALID_FEEDBACK');
    expect(error.violations?.map((v) => v.path)).toEqual(['reason']);
    expect(error.detail).toContain('reason');

    const future = await report(task('JD-06'), 'finance', { ...applied(), appliedOn: chinaDate(new Date(Date.now() + 2 * DAY_MS)) });
    expect(future.status).toBe(400);
    expect(((await future.json()) as ErrorBody).violations?.map((v) => v.path)).toEqual(['appliedOn']);

    const extra = await report(task('JD-06'), 'finance', { ...applied(), approvedBy: 'someone' });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as ErrorBody).violations?.map((v) => v.path)).toEqual(['approvedBy']);

    const unauthenticated = await fetch(`${query.baseUrl}/v1/tasks/${task('JD-01')}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(applied()) });
    expect(unauthenticated.status).toBe(401);
  });

  it('refuses feedback on a revoked task unless the department acknowledges it has ended', async () => {
    const revoked = await seedTaskLike(task('JD-06'), { state: 'revoked' });
    const refused = await report(revoked, 'finance', { ...applied(), outcome: 'failed', reason: '采购已完成' });
    expect(refused.status).toBe(409);
    expect((await refused.json()) as ErrorBody).toMatchObject({ code: 'FEEDBACK.TASK_ENDED', context: { state: 'revoked', endReason: 'objection-revoked' } });

    const acknowledged = await report(revoked, 'finance', { ...applied(), outcome: 'failed', reason: '采购已完成', acknowledgeRevoked: true });
    expect(acknowledged.status).toBe(201);
    expect(await acknowledged.json()).toMatchObject({ outcome: 'failed', reason: '采购已完成', acknowledgedRevoked: true });
  });

  it('shows a task with its feedback history and due date to its implementing and cooperating departments only', async () => {
    const response = await get(`/v1/tasks/${task('JD-01')}`, 'finance');
    expect(response.status).toBe(200);
    const detail = (await response.json()) as { legalBasis: unknown[]; feedback: { outcome: string }[] };
    expect(detail).toMatchObject({ id: task('JD-01'), measureCode: 'JD-01', implementingDepartment: 'finance', state: 'active', overdue: false, target: { id: listing.subject } });
    expect(detail).toHaveProperty('feedbackDueOn');
    expect(detail.legalBasis.length).toBeGreaterThan(0);
    expect(detail.feedback.map((f) => f.outcome)).toEqual(['applied']);

    // JD-06 is implemented by finance with development & reform cooperating.
    expect((await get(`/v1/tasks/${task('JD-06')}`, 'development-reform')).status).toBe(200);
    const outsider = await get(`/v1/tasks/${task('JD-01')}`, 'tax');
    expect(outsider.status).toBe(403);
    expect(((await outsider.json()) as ErrorBody).code).toBe('TASK.NOT_PARTICIPATING');
  });

  it('lists the department\'s own active overdue tasks', async () => {
    const overdue = await seedTaskLike(task('JD-06'), { feedbackDueOn: chinaDate(new Date(Date.now() - 3 * DAY_MS)) });
    const response = await get('/v1/tasks?state=active&overdue=true', 'finance');
    expect(response.status).toBe(200);
    const page = (await response.json()) as { department: string; tasks: { id: string; overdue: boolean; implementingDepartment: string }[]; nextCursor: string | null };
    expect(page).toMatchObject({ department: 'finance', nextCursor: null });
    expect(page.tasks.map((t) => t.id)).toEqual([overdue]);

    const all = (await (await get('/v1/tasks?limit=1', 'finance')).json()) as { tasks: { implementingDepartment: string }[]; nextCursor: string | null };
    expect(all.tasks).toHaveLength(1);
    expect(all.nextCursor).not.toBeNull();
    expect((await get(`/v1/tasks?after=${all.nextCursor}&limit=500`, 'finance')).status).toBe(200);
    expect((await get('/v1/tasks?overdue=maybe', 'finance')).status).toBe(400);
  });

  it('reports department performance as JSON and as CSV with the same numbers', async () => {
    // A period around today (China dates), so a run across midnight still sees today's rows.
    const from = chinaDate(new Date(Date.now() - DAY_MS));
    const to = chinaDate(new Date(Date.now() + DAY_MS));
    const response = await get(`/v1/performance?from=${from}&to=${to}`, 'credit-office');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const performance = (await response.json()) as Performance;
    expect(performance.period).toEqual({ from, to });

    const finance = performance.departments.find((d) => d.department.code === 'finance')!;
    expect(finance.tasks.received).toBeGreaterThan(0);
    expect(finance.tasks.feedbackRate).toBeGreaterThan(0);
    expect(finance.tasks.feedbackRate).toBeLessThan(1);
    expect(finance.tasks.withFeedback).toBe(2);
    expect(finance.tasks.overdue).toBe(1);
    expect(finance.tasks.medianTimeToFeedback.workingDays).toBeGreaterThanOrEqual(0);
    const court = performance.departments.find((d) => d.department.code === 'court')!;
    expect(court.publication.events).toBe(1);
    expect(court.department.name.zh).toBe('区人民法院');

    for (const csvResponse of [await get(`/v1/performance.csv?from=${from}&to=${to}`, 'credit-office'), await get(`/v1/performance?from=${from}&to=${to}`, 'credit-office', { accept: 'text/csv' })]) {
      expect(csvResponse.status).toBe(200);
      expect(csvResponse.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const bytes = Buffer.from(await csvResponse.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
      const columns = header.split(',');
      expect(columns).toContain('department_name_zh');
      expect(rows).toHaveLength(performance.departments.length);
      const row = (code: string) => Object.fromEntries(columns.map((c, i) => [c, rows.find((r) => r.startsWith(`${code},`))!.split(',')[i]]));
      expect(row('finance')).toMatchObject({
        department_name_zh: finance.department.name.zh,
        department_name_en: finance.department.name.en,
        tasks_received: String(finance.tasks.received),
        tasks_with_feedback: String(finance.tasks.withFeedback),
        feedback_rate: String(finance.tasks.feedbackRate),
        overdue_tasks: String(finance.tasks.overdue),
      });
      expect(row('court')).toMatchObject({ department_name_zh: '区人民法院', events_published: '1', events_on_time: String(court.publication.onTime) });
    }

    const filtered = (await (await get(`/v1/performance?from=${from}&to=${to}&department=court`, 'credit-office')).json()) as Performance;
    expect(filtered.departments.map((d) => d.department.code)).toEqual(['court']);
    // Any other department reads its own performance only.
    const own = (await (await get(`/v1/performance?from=${from}&to=${to}`, 'finance')).json()) as Performance;
    expect(own.departments.map((d) => d.department.code)).toEqual(['finance']);
    const other = await get(`/v1/performance?from=${from}&to=${to}&department=court`, 'finance');
    expect(other.status).toBe(403);
    expect(((await other.json()) as ErrorBody).code).toBe('PERFORMANCE.OTHER_DEPARTMENT');
    expect((await get(`/v1/performance.csv?from=${from}&to=${to}&department=court`, 'tax')).status).toBe(403);

    const badPeriod = await get(`/v1/performance?from=${to}&to=${from}`, 'credit-office');
    expect(badPeriod.status).toBe(400);
    expect(((await badPeriod.json()) as ErrorBody).code).toBe('REQUEST.BAD_PERIOD');
    expect((await fetch(`${query.baseUrl}/v1/performance?from=${from}&to=${to}`)).status).toBe(401);
  });
});
