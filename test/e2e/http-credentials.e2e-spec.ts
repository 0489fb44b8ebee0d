import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from '@app/domain';
import { AppProcess, freePort, startEmbeddedApps } from '../support/app-process';
import { testDatabaseUrl } from '../support/test-database';

// Credentials at the HTTP edge, driven as an operator and a department would: tokens issued and
// revoked with `npm run token` while the apps run, a broken registry edit, the management token
// on /metrics and /docs, rate limits and the backoff on wrong tokens.
const ROOT = resolve(__dirname, '../..');
const MANAGEMENT_TOKEN = 'management-token-of-this-test';
const run = promisify(execFile);

/** The compiled token command on a registry file; resolves with what it printed. */
async function tokenCommand(file: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [join(ROOT, 'scripts/node-app.js'), join(ROOT, 'dist/apps/token-cli/src/main.js'), ...args], { cwd: ROOT, env: { ...process.env, DEPARTMENTS_FILE: file, NODE_ENV: 'development' } });
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Poll until `check` holds: the apps look at the file every DEPARTMENTS_RELOAD_INTERVAL_MS. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function copyOfRegistry(dir: string): string {
  const file = join(dir, 'departments.json');
  copyFileSync(join(ROOT, 'config/departments.json'), file);
  return file;
}

describe('credentials, rotation and management endpoints (embedded apps)', () => {
  let dir: string;
  let file: string;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'http-credentials-'));
    file = copyOfRegistry(dir);
    [ingest, engine, query] = await startEmbeddedApps({
      DATABASE_URL: testDatabaseUrl(),
      TRANSPORT: 'postgres',
      DEPARTMENTS_FILE: file,
      DEPARTMENTS_RELOAD_INTERVAL_MS: '100',
      MANAGEMENT_TOKEN_SHA256: sha256Hex(MANAGEMENT_TOKEN),
    });
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const feedStatus = async (token: string) => (await get(`${query.baseUrl}/v1/feed?after=0`, bearer(token))).status;

  it('rotates a token without downtime: the new one works at once, the old one until it is revoked', async () => {
    const { stdout, stderr } = await tokenCommand(file, 'add', 'finance', '--label', 'rotation-1');
    const token = stdout.trim();
    expect(token).toMatch(/^finance\.[A-Za-z0-9_-]{43}$/);
    expect(stderr).toMatch(/only its SHA-256 is stored/);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    await eventually(async () => (await feedStatus(token)) === 200);
    expect(await feedStatus('dev-finance-token')).toBe(200);

    await tokenCommand(file, 'revoke', 'finance', 'development');
    await eventually(async () => (await feedStatus('dev-finance-token')) === 401);
    expect(await feedStatus(token)).toBe(200);
    // Every app reloads the file, not only the one asked (each on its own poll, so the ingest may be a poll later).
    const ingestStatus = async () => (await fetch(`${ingest.baseUrl}/v1/events`, { method: 'POST', headers: { ...bearer('dev-finance-token'), 'content-type': 'application/cloudevents+json' }, body: '{}' })).status;
    await eventually(async () => (await ingestStatus()) === 401);
    expect(await ingestStatus()).toBe(401);
    expect(query.log + ingest.log + engine.log).not.toContain(token);
  });

  it('refuses a broken departments file, keeps the last good registry and says so on /health', async () => {
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, good.length / 2));
    await eventually(async () => /departments registry refused/.test(query.log));
    expect(await feedStatus('dev-court-token')).toBe(200);
    const health = (await (await get(`${query.baseUrl}/health`)).json()) as { info: { departments: { status: string; lastRefusal?: { at: string; reason: string } } } };
    expect(health.info.departments).toMatchObject({ status: 'up', lastRefusal: { at: expect.any(String), reason: expect.stringMatching(/see the log/) } });
    expect(JSON.stringify(health)).not.toContain(dir);

    writeFileSync(file, good);
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    await eventually(async () => ((await (await get(`${query.baseUrl}/health`)).json()) as typeof health).info.departments.lastRefusal === undefined);
  });

  it('serves /metrics and /docs only with the management token, and keeps /health open', async () => {
    for (const url of [`${engine.baseUrl}/metrics`, `${query.baseUrl}/metrics`, `${ingest.baseUrl}/metrics`, `${query.baseUrl}/docs`, `${query.baseUrl}/docs/`, `${ingest.baseUrl}/docs-json`, `${query.baseUrl}/Metrics`]) {
      const refused = await get(url);
      expect([url, refused.status]).toEqual([url, 401]);
      expect(((await refused.json()) as { code: string }).code).toBe('MANAGEMENT.NOT_AUTHENTICATED');
      expect(refused.headers.get('www-authenticate')).toMatch(/Bearer realm="management"/);
      expect((await get(url, bearer('dev-court-token'))).status).toBe(401); // a department token is not a management token
    }
    const scraped = await get(`${engine.baseUrl}/metrics`, bearer(MANAGEMENT_TOKEN));
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('credit_departments_registry_reloads_total');
    const queryMetrics = await (await get(`${query.baseUrl}/metrics`, bearer(MANAGEMENT_TOKEN))).text();
    expect(queryMetrics).toMatch(/credit_department_token_last_used_timestamp_seconds\{department="court",label="development"\} \d+/);
    expect(queryMetrics).toContain('credit_http_rate_limited_total{limit="department"} 0');
    const basic = { authorization: `Basic ${Buffer.from(`operator:${MANAGEMENT_TOKEN}`).toString('base64')}` };
    expect((await get(`${query.baseUrl}/docs/`, basic)).status).toBe(200);
    expect(((await (await get(`${ingest.baseUrl}/docs-json`, bearer(MANAGEMENT_TOKEN))).json()) as { openapi: string }).openapi).toMatch(/^3\./);
    for (const app of [ingest, engine, query]) expect((await get(`${app.baseUrl}/health`)).status).toBe(200);
  });
});

describe('rate limits and backoff on wrong tokens (query API)', () => {
  let dir: string;
  let query: AppProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rate-limits-'));
    const file = copyOfRegistry(dir);
    const registry = JSON.parse(readFileSync(file, 'utf8'));
    // A bulk publisher gets a budget of its own.
    registry.departments.find((d: { code: string }) => d.code === 'tax').rateLimitPerMinute = 8;
    writeFileSync(file, JSON.stringify(registry));
    query = await AppProcess.start(
      'query-api',
      { DATABASE_URL: testDatabaseUrl(), DEPARTMENTS_FILE: file, RATE_LIMIT_DEPARTMENT_PER_MINUTE: '4', RATE_LIMIT_ADDRESS_PER_MINUTE: '3', AUTH_FAILURES_BEFORE_BACKOFF: '2', AUTH_BACKOFF_MAX_SECONDS: '60' },
      await freePort(),
    );
  });

  afterAll(async () => {
    await query?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const statuses = async (count: number, path: string, headers: Record<string, string> = {}) => {
    const answers: number[] = [];
    for (let i = 0; i < count; i++) answers.push((await get(`${query.baseUrl}${path}`, headers)).status);
    return answers;
  };

  it('limits each department to its own budget a minute, across routes, with 429 REQUEST.RATE_LIMITED and Retry-After', async () => {
    expect([...(await statuses(2, '/v1/feed?after=0', bearer('dev-court-token'))), ...(await statuses(2, '/v1/tasks', bearer('dev-court-token')))]).toEqual([200, 200, 200, 200]);
    const limited = await get(`${query.baseUrl}/v1/feed?after=0`, bearer('dev-court-token'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as { code: string }).code).toBe('REQUEST.RATE_LIMITED');
    // Another department, and one with a larger budget of its own, are not held back by court.
    expect(await statuses(4, '/v1/feed?after=0', bearer('dev-finance-token'))).toEqual([200, 200, 200, 200]);
    expect(await statuses(8, '/v1/feed?after=0', bearer('dev-tax-token'))).toEqual(Array(8).fill(200));
    expect(await statuses(1, '/v1/feed?after=0', bearer('dev-tax-token'))).toEqual([429]);
    // Readiness probes stay outside every limit.
    expect(await statuses(5, '/health')).toEqual(Array(5).fill(200));
  });

  it('limits requests without a token per client address', async () => {
    expect(await statuses(3, '/v1/departments')).toEqual([200, 200, 200]);
    const limited = await get(`${query.baseUrl}/v1/departments`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // The address budget is not a department's: a department that has sent nothing yet is served from this address.
    expect((await get(`${query.baseUrl}/v1/feed?after=0`, bearer('dev-market-regulation-token'))).status).toBe(200);
  });

  it('makes an address that keeps presenting wrong tokens wait longer each time, and forgives it on success', async () => {
    // /metrics is open here: this app has no management token.
    const backoffGauge = async () => Number(/^credit_http_auth_backoff_waiting_addresses (\d+)$/m.exec(await (await get(`${query.baseUrl}/metrics`)).text())?.[1]);
    const wrong = async () => {
      const response = await get(`${query.baseUrl}/v1/feed?after=0`, bearer('guessed-token'));
      return { status: response.status, code: ((await response.json()) as { code: string }).code, retryAfter: response.headers.get('retry-after') };
    };
    expect(await wrong()).toMatchObject({ status: 401, code: 'DEPARTMENT.NOT_AUTHENTICATED' });
    expect(await wrong()).toMatchObject({ status: 401, code: 'DEPARTMENT.NOT_AUTHENTICATED' });
    expect(await wrong()).toMatchObject({ status: 401 }); // the third failure starts the wait
    expect(await wrong()).toEqual({ status: 429, code: 'DEPARTMENT.AUTH_BACKOFF', retryAfter: '1' });
    expect(await backoffGauge()).toBe(1);
    // While it waits even a good token is not checked.
    expect((await get(`${query.baseUrl}/v1/feed?after=0`, bearer('dev-housing-token'))).status).toBe(429);
    // Waits as long as the server says (exact timing is auth-backoff.spec.ts's, on a moved clock).
    await new Promise((r) => setTimeout(r, 1000 + 150));
    expect(await wrong()).toMatchObject({ status: 401 });
    expect(await wrong()).toEqual({ status: 429, code: 'DEPARTMENT.AUTH_BACKOFF', retryAfter: '2' });
    await new Promise((r) => setTimeout(r, 2000 + 150));
    expect(await backoffGauge()).toBe(0);
    expect((await get(`${query.baseUrl}/v1/feed?after=0`, bearer('dev-housing-token'))).status).toBe(200);
    expect(await wrong()).toMatchObject({ status: 401 }); // counting starts again from nothing
    expect(await wrong()).toMatchObject({ status: 401 });
  });
});
