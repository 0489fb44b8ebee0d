import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCreditEvent } from '@app/domain';
import { loadRuleSet } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { AppProcess, freePort } from '../support/app-process';
import { ownTestDatabaseUrl, truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// What-if through the query API process as policy staff's tools call it: management token, a
// draft in the body, progress polled, the CSV downloaded, one event drilled into; on both platforms.
const MANAGEMENT_TOKEN = 'what-if-e2e-management-token';
const RULES_DIR = resolve('rules');

function ruleFiles(withoutMeasure?: string): { file: string; content: string }[] {
  return readdirSync(RULES_DIR)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.cases.json') && !name.includes('schema') && name !== 'instruments.json')
    .sort()
    .map((file) => {
      const memorandum = JSON.parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { rules: Array<{ measures: string[] }> };
      if (withoutMeasure) for (const rule of memorandum.rules) rule.measures = rule.measures.filter((code) => code !== withoutMeasure);
      return { file, content: JSON.stringify(memorandum, null, 2) };
    });
}

describe('what-if over HTTP (query-api process, real PostgreSQL)', () => {
  let url: string;
  let period: { from: string; to: string };
  let jd03: { tasks: number; decisions: number };
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    url = await ownTestDatabaseUrl('what_if_e2e');
    const harness = await startEngineHarness('2026-12-01T02:00:00Z', { DATABASE_URL: url });
    try {
      await truncateAll(harness.db);
      const from = new Date(Date.now() - 60_000);
      const generator = new CreditEventGenerator({ seed: 7, vocabulary: vocabularyFromRules(loadRuleSet(RULES_DIR).memoranda), strayPublisherRate: 0, eventTypeWeights: { 'credit.judgment-debtor.listed.v1': 60, 'credit.penalty.imposed.v1': 40 } });
      const events = generator.take(150).flatMap((raw) => {
        try {
          return [parseCreditEvent(raw)];
        } catch {
          return [];
        }
      });
      await harness.batches.processBatch(events, []);
      period = { from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
      const [row] = (await harness.db.query(`SELECT count(*)::int AS tasks, count(DISTINCT decision_id)::int AS decisions FROM measure_task WHERE measure_code = 'JD-03'`)) as { tasks: number; decisions: number }[];
      jd03 = row;
    } finally {
      await harness.close();
    }
    const env = { DATABASE_URL: url, MANAGEMENT_TOKEN_SHA256: createHash('sha256').update(MANAGEMENT_TOKEN).digest('hex') };
    apps.push(...(await Promise.all([AppProcess.start('query-api', { ...env, HTTP_PLATFORM: 'fastify' }, await freePort()), AppProcess.start('query-api', { ...env, HTTP_PLATFORM: 'express' }, await freePort())])));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
  });

  const call = (app: AppProcess, path: string, init: RequestInit = {}, token: string | undefined = MANAGEMENT_TOKEN) =>
    fetch(`${app.baseUrl}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) } });
  const start = (app: AppProcess, body: unknown, token?: string) => call(app, '/v1/what-if', { method: 'POST', body: JSON.stringify(body) }, token);

  async function finished(app: AppProcess, id: string): Promise<{ state: string; progress: { done: number; total: number }; summary: { decisions: Record<string, number>; byMeasure: unknown[]; byMemorandum: Array<{ examples: Array<{ source: string; eventId: string; subject: { id: string } }> }> } }> {
    for (;;) {
      const response = await call(app, `/v1/what-if/${id}`);
      expect(response.status).toBe(200);
      const run = (await response.json()) as Awaited<ReturnType<typeof finished>>;
      if (run.state !== 'running') return run;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it.each([0, 1])('runs a draft and shows the measure it drops, the CSV and one event (platform %#)', async (index) => {
    const app = apps[index];
    expect(jd03.tasks).toBeGreaterThan(0);
    const started = await start(app, { period, draft: { memoranda: ruleFiles('JD-03') } });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const run = await finished(app, id);
    expect(run).toMatchObject({ state: 'finished', summary: { decisions: { gained: 0, lost: 0, changed: jd03.decisions }, byMeasure: [{ measureCode: 'JD-03', lost: jd03.tasks }] } });
    expect(run.progress.done).toBe(run.progress.total);

    const csv = await call(app, `/v1/what-if/${id}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="what-if.csv"');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(jd03.decisions + 1);
    expect(lines.slice(1).every((line) => line.includes(',judgment-debtors,changed,'))).toBe(true);

    const example = run.summary.byMemorandum[0].examples[0];
    const detail = await call(app, `/v1/what-if/${id}/events/${encodeURIComponent(example.source)}/${encodeURIComponent(example.eventId)}`);
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { differences: Array<{ measuresLost: Array<{ measureCode: string }> }>; before: unknown[]; after: unknown[] };
    expect(body.differences[0].measuresLost.map((m) => m.measureCode)).toContain('JD-03');
    expect(body.before.length).toBeGreaterThan(0);
    expect(body.after.length).toBeGreaterThan(0);

    // Cancelling a finished run changes nothing.
    expect(((await (await call(app, `/v1/what-if/${id}`, { method: 'DELETE' })).json()) as { state: string }).state).toBe('finished');
  });

  it.each([0, 1])('answers refusals as Problem Details with WHAT_IF codes, and asks for the management token (platform %#)', async (index) => {
    const app = apps[index];
    const problem = async (response: Response) => ({ status: response.status, type: response.headers.get('content-type'), code: ((await response.json()) as { code: string }).code });
    const problemJson = expect.stringMatching(/^application\/problem\+json/);
    expect(await problem(await start(app, { period, release: 'in-force' }, 'wrong'))).toEqual({ status: 401, type: problemJson, code: 'MANAGEMENT.NOT_AUTHENTICATED' });
    expect(await problem(await call(app, '/v1/what-if/x.csv', {}, ''))).toEqual({ status: 401, type: problemJson, code: 'MANAGEMENT.NOT_AUTHENTICATED' });
    expect(await problem(await start(app, { period: { from: 'yesterday', to: period.to }, release: 'in-force' }))).toEqual({ status: 400, type: problemJson, code: 'WHAT_IF.BAD_PERIOD' });
    expect(await problem(await start(app, { period, release: 'r-7' }))).toEqual({ status: 400, type: problemJson, code: 'WHAT_IF.UNKNOWN_RELEASE' });
    expect(await problem(await start(app, { period, draft: { memoranda: [{ file: 'judgment-debtors.json', content: '{' }] } }))).toEqual({ status: 422, type: problemJson, code: 'WHAT_IF.INVALID_RULE_SET' });
    expect(await problem(await call(app, '/v1/what-if/00000000-0000-4000-8000-000000000000'))).toEqual({ status: 404, type: problemJson, code: 'WHAT_IF.NOT_FOUND' });
    expect(await problem(await call(app, '/v1/what-if/00000000-0000-4000-8000-000000000000.csv'))).toEqual({ status: 404, type: problemJson, code: 'WHAT_IF.NOT_FOUND' });
    const { id } = (await (await start(app, { period, release: 'in-force' })).json()) as { id: string };
    expect(await problem(await call(app, `/v1/what-if/${id}/events/${encodeURIComponent('/departments/court')}/no-such-event`))).toEqual({ status: 404, type: problemJson, code: 'WHAT_IF.EVENT_NOT_FOUND' });
    // NUL in the path: a 400, not PostgreSQL's refusal as a 500.
    expect(await problem(await call(app, `/v1/what-if/${id}/events/${encodeURIComponent('/departments/court')}/a%00b`))).toEqual({ status: 400, type: problemJson, code: 'WHAT_IF.INVALID_REQUEST' });
    expect((await finished(app, id)).summary.decisions).toEqual({ gained: 0, lost: 0, changed: 0 });
  });
});
