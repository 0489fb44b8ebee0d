import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parse as parseYaml } from 'yaml';
import { sha256Hex } from '@app/domain';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl } from '../support/database';
import { exposedSeriesNames, metricNamesOf } from '../support/promql-metrics';

// The "done when" for logs: the apps run with JSON logs; a request with a given
// X-Request-Id and traceparent is followed from the ingest's log into the engine's, the stored
// decision and the record the department reads; every line of every app parses as JSON.
const ROOT = join(__dirname, '../..');
const listing = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/judgment-debtor-listed.json'), 'utf8'));
const RESIDENT_ID = listing.data.relatedPersons[0].id as string;
const PERSON_NAME = listing.data.relatedPersons[0].name as string;
const MANAGEMENT_TOKEN = 'management-token-of-the-observability-test';

interface LogLine {
  level: string;
  time: string;
  app: string;
  message: string;
  [key: string]: unknown;
}

/** Every line of an app's output as JSON; fails naming the first line that is not. */
function logLines(app: AppProcess): LogLine[] {
  return app.log
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`${app.name} wrote a line that is not JSON: ${line.slice(0, 300)}`);
      }
    });
}

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('observability: JSON logs, request ids and traces from the request to the record, metrics', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  const eventId = `obs-${randomUUID()}`;
  const requestId = `obs-req-${randomBytes(6).toString('hex')}`;
  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  let published: Response;
  let record: Record<string, unknown> & { traceparent?: string };

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('observability');
    db = await openTestDatabase(url);
    const env = { ...(await appRoleEnv(url)), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', LOG_LEVEL: 'log', LOG_FORMAT: 'json', MANAGEMENT_TOKEN_SHA256: sha256Hex(MANAGEMENT_TOKEN) };
    [ingest, engine, query] = await startEmbeddedApps(env);
    const [{ after }] = await db.query(`SELECT coalesce(max(seq), 0)::text AS after FROM feed_record`);
    published = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json', 'x-request-id': requestId, traceparent },
      // Its own judgment number: this suite's database outlives a run, and one number about one
      // debtor is one conduct, decided once (a second run would see a repeat and no decision).
      body: JSON.stringify({ ...listing, id: eventId, data: { ...listing.data, documentNumber: `（2026）川0802执${eventId.slice(4, 12)}号` } }),
    });
    record = await eventually(async () => {
      const page = (await (await fetch(`${query.baseUrl}/v1/feed?after=${after}`, { headers: { authorization: 'Bearer dev-finance-token' } })).json()) as { records: (Record<string, unknown> & { causeEvent?: { id: string } })[] };
      return page.records.find((r) => r.causeEvent?.id === eventId);
    }, 'the decision in the finance feed');
    // A credit check names a subject in its path: its request line must not.
    await fetch(`${query.baseUrl}/v1/subjects/${RESIDENT_ID}/check?approvalItem=government-procurement&purpose=file-1`, { headers: { authorization: 'Bearer dev-finance-token', 'x-user-id': 'clerk-1' } });
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  it('echoes the request id and answers in the caller trace with a span of its own', () => {
    expect(published.status).toBe(202);
    expect(published.headers.get('x-request-id')).toBe(requestId);
    const answered = published.headers.get('traceparent')!;
    expect(answered).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(answered).not.toBe(traceparent);
  });

  it('replaces a request id or traceparent that is unsafe or malformed', async () => {
    const response = await fetch(`${ingest.baseUrl}/health/live`, { headers: { 'x-request-id': 'has "quotes" and spaces', traceparent: '00-zz-00f067aa0ba902b7-01' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(response.headers.get('traceparent')).not.toContain(traceId);
  });

  it('stores the request id and trace with the decision, and the record the department reads continues the trace', async () => {
    const decisions: { request_id: string; traceparent: string }[] = await db.query(`SELECT request_id, traceparent FROM decision WHERE cause_event_id = $1`, [eventId]);
    expect(decisions.length).toBeGreaterThan(0);
    for (const decision of decisions) {
      expect(decision.request_id).toBe(requestId);
      expect(decision.traceparent).toBe(published.headers.get('traceparent'));
    }
    expect(record.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
    const status = (await (await fetch(`${query.baseUrl}/v1/events/court/${eventId}`, { headers: { authorization: 'Bearer dev-court-token' } })).json()) as { trace: unknown };
    expect(status.trace).toEqual({ requestId, traceId });
  });

  it('writes every line of every app as one JSON object with UTC time, level, app and message', () => {
    for (const app of [ingest, engine, query]) {
      const lines = logLines(app);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).toContain(line.level);
        expect(line.app).toBe(app.name);
        expect(typeof line.message).toBe('string');
      }
    }
  });

  it("finds the request in the ingest's request line and in the engine's decision line", async () => {
    const requestLine = logLines(ingest).find((line) => line.requestId === requestId && line.message === 'request answered');
    expect(requestLine).toMatchObject({ method: 'POST', route: '/v1/events', status: 202, traceId, durationMs: expect.any(Number) });
    const decided = await eventually(() => logLines(engine).find((line) => line.message === 'event decided' && line.eventId === eventId), "the engine's decision line");
    expect(decided).toMatchObject({ requestId, traceId, source: '/departments/court', type: listing.type });
  });

  it('logs a route template, never a path with a subject in it, and no resident ID, name or token anywhere', () => {
    const check = logLines(query).find((line) => line.message === 'request answered' && line.route === '/v1/subjects/:id/check');
    expect(check).toBeDefined();
    for (const app of [ingest, engine, query]) {
      expect(app.log).not.toContain(RESIDENT_ID);
      expect(app.log).not.toMatch(/\b\d{17}[\dX]\b/);
      expect(app.log).not.toContain(PERSON_NAME);
      expect(app.log).not.toContain('dev-court-token');
      expect(app.log).not.toContain('dev-finance-token');
    }
  });

  const scrape = async (app: AppProcess, token: string | null = MANAGEMENT_TOKEN) => fetch(`${app.baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('serves /metrics on every app behind the management token, with the HTTP request metrics by route template', async () => {
    for (const app of [ingest, engine, query]) {
      expect({ app: app.name, status: (await scrape(app, null)).status }).toEqual({ app: app.name, status: 401 });
      const text = await (await scrape(app)).text();
      expect(text).toMatch(/^# TYPE http_requests_total counter$/m);
      expect(text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    }
    const ingestMetrics = await (await scrape(ingest)).text();
    expect(ingestMetrics).toMatch(/^http_requests_total\{method="POST",route="\/v1\/events",status="202"\} [1-9]/m);
    expect(ingestMetrics).toMatch(/^credit_events_received_total\{department="court",type="credit\.judgment-debtor\.listed\.v1"\} [1-9]/m);
    expect(await (await scrape(query)).text()).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/v1\/subjects\/:id\/check",status="\d+"\} [1-9]/m);
  });

  it("names in deploy/'s dashboard and alerts only metrics the apps expose", async () => {
    const exposed = new Set<string>();
    for (const app of [ingest, engine, query]) for (const name of exposedSeriesNames(await (await scrape(app)).text())) exposed.add(name);
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana-dashboard.json'), 'utf8')) as { panels: { targets?: { expr: string }[] }[]; templating: { list: { definition?: string }[] } };
    const alerts = parseYaml(readFileSync(join(ROOT, 'deploy/prometheus-alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string; for: string; labels: { severity: string } }[] }[] };
    const expressions = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...alerts.groups.flatMap((g) => g.rules.map((r) => r.expr))];
    expect(expressions.length).toBeGreaterThan(20);
    const named = expressions.flatMap((expr) => metricNamesOf(expr));
    // label_values(metric, label) is Grafana's, not PromQL: its metric is checked the same way.
    for (const variable of dashboard.templating.list) {
      const metric = /^label_values\((\w+),/.exec(variable.definition ?? '')?.[1];
      if (metric) named.push(metric);
    }
    expect(named.filter((name) => !exposed.has(name))).toEqual([]);
    for (const rule of alerts.groups.flatMap((g) => g.rules)) {
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['info', 'warning', 'critical']).toContain(rule.labels.severity);
    }
    // What the issue asks the alerts to watch.
    for (const watched of ['credit_events_consumer_lag', 'credit_inbox_oldest_pending_seconds', 'credit_events_dead_lettered_total', 'credit_outbox_backlog', 'credit_feedback_overdue', 'credit_rule_set_refused'])
      expect(alerts.groups.flatMap((g) => g.rules.flatMap((r) => metricNamesOf(r.expr)))).toContain(watched);
  });

  it('writes a failing boot as JSON too, ending with one fatal line that names the failure', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/node-app.js'), join(ROOT, 'dist/apps/query-api/src/main.js')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing', RULES_DIR: join(ROOT, 'no-such-rules'), QUERY_PORT: '0', LOG_LEVEL: 'log' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter(Boolean).map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`a line that is not JSON: ${line.slice(0, 300)}`);
      }
    });
    expect(lines.find((line) => line.level === 'fatal')).toMatchObject({ app: 'query-api', message: expect.stringMatching(/^query-api failed to start: rule set refused/) });
  });
});
