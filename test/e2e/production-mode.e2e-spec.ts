import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DEVELOPMENT_DEAD_LETTER_KEY } from '@app/config';
import { freePort } from '../support/app-process';
import { appRoleUrl, ownTestDatabaseUrl } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// NODE_ENV=production, as an operator would start the query API: refused on development
// settings, naming the reason; served over TLS of its own with the department's own tokens.
const ROOT = resolve(__dirname, '../..');
const MANAGEMENT_TOKEN_SHA256 = createHash('sha256').update('production-mode-management-token').digest('hex');

/** The database connections a refusal is shown with (computed once the test database is migrated). */
interface Databases {
  /** The owner of the test database: a superuser here. */
  owner: string;
  /** The least-privilege role of the migrations: the one production accepts. */
  app: string;
  /** A role of its own that may CREATE in the schema. */
  ddl: string;
  /** The app role on a database nothing has migrated. */
  unmigrated: string;
}
let databases: Databases;

/** The apps log JSON lines: their messages, as an operator reads them (a line that is not JSON as it is). */
function messagesOf(output: string): string {
  return output
    .split('\n')
    .map((line) => {
      try {
        return String((JSON.parse(line) as { message?: unknown }).message ?? line);
      } catch {
        return line;
      }
    })
    .join('\n');
}

/** Start the compiled query API; resolves with its log's messages once it is ready or has exited. */
function startQueryApi(env: Record<string, string>): Promise<{ exitCode: number | null; output: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/node-app.js'), join(ROOT, 'dist/apps/query-api/src/main.js')], {
    cwd: ROOT,
    // LOG_LEVEL log: the ready line is an info line.
    env: { ...process.env, LOG_LEVEL: 'log', RULES_RELOAD_INTERVAL_MS: '0', CALENDAR_RELOAD_INTERVAL_MS: '0', DATABASE_URL: databases.app, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done) => {
    const stop = () => child.kill('SIGTERM');
    const timer = setTimeout(() => done({ exitCode: null, output: `${messagesOf(output)}\n(timed out)`, stop }), 60_000);
    const capture = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready on/.test(output)) {
        clearTimeout(timer);
        done({ exitCode: null, output: messagesOf(output), stop });
      }
    };
    child.stdout.on('data', capture);
    child.stderr.on('data', capture);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ exitCode: code, output: messagesOf(output), stop });
    });
  });
}

function httpsGet(url: string, ca: Buffer, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('production mode (NODE_ENV=production)', () => {
  let dir: string;
  let departmentsFile: string;
  /** Dead-letter keys of the deployment's own, so that the development key is never the reason. */
  const ownKeys = { DEAD_LETTER_KEYS: `prod-2026:${createHash('sha256').update('seed-dead-letters').digest('hex')}` };
  const productionToken = (code: string) => `prod-${code}-${createHash('sha256').update(`seed-${code}`).digest('hex').slice(0, 24)}`;

  // Roles are shared by every database on the server: this one is named after the test database and dropped afterwards.
  const ddlRole = `${new URL(testDatabaseUrl()).pathname.slice(1)}_ddl_probe`.slice(0, 63);
  const asOwner = async (sql: string) => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'production-mode-'));
    // The shipped registry with a token of each department's own instead of the development one.
    const registry = JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: { code: string; credentials: { tokens: { sha256: string; label: string }[] } }[] };
    for (const department of registry.departments) department.credentials.tokens = [{ sha256: createHash('sha256').update(productionToken(department.code)).digest('hex'), label: 'production' }];
    departmentsFile = join(dir, 'departments.json');
    writeFileSync(departmentsFile, JSON.stringify(registry));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });

    // The operator's step before the apps start: `npm run db:migrate` as the owner, in production mode, with nothing but the database settings.
    const app = await appRoleUrl(testDatabaseUrl());
    const migrated = execFileSync(process.execPath, [join(ROOT, 'scripts/node-app.js'), join(ROOT, 'dist/apps/db-cli/src/main.js'), 'migrate'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: app, DATABASE_MIGRATION_URL: testDatabaseUrl() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(migrated).toMatch(/schema is current/);

    await asOwner(`DROP OWNED BY ${ddlRole}`).catch(() => undefined);
    await asOwner(`DROP ROLE IF EXISTS ${ddlRole}`);
    await asOwner(`CREATE ROLE ${ddlRole} LOGIN; GRANT CREATE ON SCHEMA public TO ${ddlRole}`);
    const ddl = new URL(app);
    ddl.username = ddlRole;
    databases = { owner: testDatabaseUrl(), app, ddl: ddl.toString(), unmigrated: await appRoleUrl(await ownTestDatabaseUrl('never_migrated')) };
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await asOwner(`DROP OWNED BY ${ddlRole}; DROP ROLE ${ddlRole}`);
  });

  it.each<[string, Record<string, string> | ((db: Databases) => Record<string, string>), RegExp]>([
    ['the development tokens of the shipped registry', {}, /DEPARTMENTS_FILE=.*development tokens of .*court/],
    ['an audit retention under five years', { AUDIT_RETENTION_DAYS: '30' }, /AUDIT_RETENTION_DAYS=30: query logs are kept at least 1826 days/],
    ['a public address without TLS or a trusted proxy', { HTTP_HOST: '0.0.0.0' }, /HTTP_HOST=0\.0\.0\.0: a public address needs TLS/],
    ['the development database password', { DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:5432/credit_engine_test' }, /DATABASE_URL: the development database password/],
    ['a TLS key without its certificate', { HTTPS_KEY_FILE: '/nonexistent/key.pem' }, /HTTPS_KEY_FILE and HTTPS_CERT_FILE: give both/],
    ['the development dead-letter key, under any id', { DEAD_LETTER_KEYS: `renamed:${DEVELOPMENT_DEAD_LETTER_KEY.toString('hex')}` }, /DEAD_LETTER_KEYS: the development dead-letter key may not be used in production/],
    ['no management token for /metrics and /docs', { MANAGEMENT_TOKEN_SHA256: '' }, /MANAGEMENT_TOKEN_SHA256: \/metrics and \/docs need a management token in production/],
    ['a departments file that is not there (the image ships none)', { DEPARTMENTS_FILE: '/nonexistent/departments.json' }, /DEPARTMENTS_FILE=\/nonexistent\/departments\.json: cannot be read \(ENOENT\).*mount your own/],
    ['Kafka without authentication', { TRANSPORT: 'kafka', KAFKA_SASL_MECHANISM: 'none', KAFKA_SSL_CA: 'system' }, /KAFKA_SASL_MECHANISM=none: production brokers authenticate every client/],
    ['Kafka in clear text', { TRANSPORT: 'kafka', KAFKA_SSL: 'false', KAFKA_PASSWORD: 'a-production-secret' }, /KAFKA_SSL=false: production traffic to the brokers is encrypted/],
    ['Kafka with the development password of its principal', { TRANSPORT: 'kafka', KAFKA_SSL_CA: 'system' }, /unset, so the development Kafka password would be used/],
    ['a superuser database role', (db) => ({ DATABASE_URL: db.owner }), /DATABASE_URL connects as "postgres", a superuser: it could truncate the audit log/],
    ['a database role that may run DDL', (db) => ({ DATABASE_URL: db.ddl }), /DATABASE_URL connects as "[a-z0-9_]+_ddl_probe", which may CREATE in schema public \(DDL\)/],
    ['a database schema that is not current', (db) => ({ DATABASE_URL: db.unmigrated }), /database schema is not current \(\d+ migration\(s\) pending: InitialSchema1764201600000, .*run `npm run db:migrate`/],
  ])('refuses to start on %s, naming it', async (_what, envOf, reason) => {
    const env = typeof envOf === 'function' ? envOf(databases) : envOf;
    // Every other refusal is shown with the departments' own tokens, so it is the only reason.
    const registry: Record<string, string> = Object.keys(env).length > 0 ? { DEPARTMENTS_FILE: departmentsFile } : {};
    const run = await startQueryApi({ NODE_ENV: 'production', QUERY_PORT: String(await freePort()), ...ownKeys, MANAGEMENT_TOKEN_SHA256: MANAGEMENT_TOKEN_SHA256, ...registry, ...env });
    run.stop();
    expect(run.exitCode).toBe(1);
    expect(run.output).toMatch(/query-api failed to start/);
    expect(run.output).toMatch(reason);
  });

  it('serves over its own TLS with the departments\' own tokens, refuses the development ones, and keeps /docs behind the management token', async () => {
    const port = await freePort();
    const run = await startQueryApi({
      NODE_ENV: 'production',
      QUERY_PORT: String(port),
      DEPARTMENTS_FILE: departmentsFile,
      ...ownKeys,
      MANAGEMENT_TOKEN_SHA256,
      HTTPS_KEY_FILE: join(dir, 'key.pem'),
      HTTPS_CERT_FILE: join(dir, 'cert.pem'),
    });
    try {
      expect(run.exitCode).toBeNull();
      expect(run.output).toMatch(/query-api ready on https:\/\/127\.0\.0\.1/);
      const ca = readFileSync(join(dir, 'cert.pem'));
      expect((await httpsGet(`https://127.0.0.1:${port}/v1/feed?after=0`, ca, productionToken('finance'))).status).toBe(200);
      expect((await httpsGet(`https://127.0.0.1:${port}/v1/feed?after=0`, ca, 'dev-finance-token')).status).toBe(401);
      expect((await httpsGet(`https://127.0.0.1:${port}/docs-json`, ca)).status).toBe(401);
      expect((await httpsGet(`https://127.0.0.1:${port}/docs-json`, ca, 'production-mode-management-token')).status).toBe(200);
    } finally {
      run.stop();
    }
  });
});
