import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
// A deliberate deep import (allow-listed in test/architecture/dependency-rules.spec.ts): jest's
// globalSetup runs outside moduleNameMapper, and the @app/persistence barrel pulls in Nest.
import { EmbeddedPostgresServer } from '../../libs/persistence/src/embedded-postgres.server';

/**
 * Which PostgreSQL the integration and e2e suites use, in order:
 * 1. TEST_DATABASE_URL, if set;
 * 2. a local server at postgres://postgres@127.0.0.1:5432, database credit_engine_test (created if absent);
 * 3. if nothing usable answers there, an embedded PostgreSQL kept in .cache/test-postgres on port 54329.
 * Suites truncate tables, so any database whose name lacks "test" is refused.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const TEST_DATABASE_URL_FILE = path.join(REPO_ROOT, '.cache', 'test-database-url');
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/credit_engine_test';
const EMBEDDED_DIR = path.join(REPO_ROOT, '.cache', 'test-postgres');
const EMBEDDED_PORT = 54329;
const CONNECT_TIMEOUT_MS = 2_000;

export interface TestDatabase {
  url: string;
  /** Present when an embedded server was started; stops it. */
  stop?: () => Promise<void>;
}

/** Overrides for the fallbacks, mainly to exercise them; `provisionTestDatabase()` needs none. */
export interface ProvisionOptions {
  defaultUrl?: string;
  embeddedDir?: string;
  embeddedPort?: number;
}

declare global {
  // Set by test/support/global-setup.ts, read by global-teardown.ts (same process).
  var __TEST_DB_STOP__: (() => Promise<void>) | undefined;
  var __TEST_KAFKA_STOP__: (() => void) | undefined;
  var __TEST_DB_ORIGINAL_URL__: { value: string | undefined } | undefined;
}

export async function provisionTestDatabase(options: ProvisionOptions = {}): Promise<TestDatabase> {
  const explicit = process.env.TEST_DATABASE_URL?.trim();
  if (explicit) {
    assertTestDatabaseUrl(explicit, 'TEST_DATABASE_URL');
    try {
      await ensureDatabase(explicit, 'target-first');
    } catch (error) {
      throw preparationError(explicit, error);
    }
    return { url: explicit };
  }

  const defaultUrl = options.defaultUrl ?? DEFAULT_URL;
  assertTestDatabaseUrl(defaultUrl, 'the default test database URL');
  try {
    await ensureDatabase(defaultUrl, 'maintenance-first');
    return { url: defaultUrl };
  } catch (error) {
    if (!isUnusableServer(error)) throw preparationError(defaultUrl, error);
    const dataDir = options.embeddedDir ?? EMBEDDED_DIR;
    const port = options.embeddedPort ?? EMBEDDED_PORT;
    process.stderr.write(
      `[test-database] no usable PostgreSQL at ${redact(defaultUrl)} (${reasonOf(error)}); ` +
        `using embedded PostgreSQL in ${path.relative(REPO_ROOT, dataDir) || dataDir} on port ${port}\n`,
    );
    // The directory is ours alone: a postmaster still holding it was orphaned by a killed run.
    const server = await EmbeddedPostgresServer.start({ dataDir, port, user: 'postgres', password: 'postgres', fsync: false, ifAlreadyRunning: 'stop' });
    try {
      const url = await server.ensureDatabase(databaseName(defaultUrl));
      assertTestDatabaseUrl(url, 'the embedded test database');
      return { url, stop: () => server.stop() };
    } catch (setupError) {
      await server.stop();
      throw setupError;
    }
  }
}

/** The URL chosen by globalSetup: TEST_DATABASE_URL, else the file it wrote (workers in other processes). */
export function testDatabaseUrl(): string {
  let url = process.env.TEST_DATABASE_URL?.trim();
  let source = 'TEST_DATABASE_URL';
  if (!url) {
    try {
      url = readFileSync(TEST_DATABASE_URL_FILE, 'utf8').trim();
      source = TEST_DATABASE_URL_FILE;
    } catch {
      throw new Error(
        'no test database: run the suite through the jest "integration" project (its globalSetup provisions one) or set TEST_DATABASE_URL',
      );
    }
  }
  assertTestDatabaseUrl(url, source);
  return url;
}

/** Records the provisioned URL for this process, its jest workers and other processes. */
export function publishTestDatabaseUrl(url: string): void {
  process.env.TEST_DATABASE_URL = url;
  mkdirSync(path.dirname(TEST_DATABASE_URL_FILE), { recursive: true });
  writeFileSync(TEST_DATABASE_URL_FILE, `${url}\n`, { mode: 0o600 });
}

/** Throws unless the URL names a database containing "test": the suites truncate tables. */
export function assertTestDatabaseUrl(url: string, source: string): void {
  let name: string;
  try {
    name = databaseName(url);
  } catch {
    throw new Error(`${source} is not a postgres:// URL: ${redact(url)}`);
  }
  if (!/test/i.test(name)) {
    throw new Error(
      `refusing to use database "${name}" from ${source} (${redact(url)}): the integration suites truncate tables, ` +
        'so the database name must contain "test" (e.g. credit_engine_test)',
    );
  }
}

function databaseName(url: string): string {
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error('not a postgres URL');
  return decodeURIComponent(parsed.pathname.replace(/^\//, ''));
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Makes sure the database in `url` exists. 'maintenance-first' connects to the `postgres`
 * database first (which also probes the server); 'target-first' goes there only if the target
 * database is missing (a given URL may not grant access to `postgres`).
 */
async function ensureDatabase(url: string, order: 'maintenance-first' | 'target-first'): Promise<void> {
  if (order === 'target-first') {
    try {
      await withClient(url, () => Promise.resolve());
      return;
    } catch (error) {
      const cause = error instanceof ConnectError ? error.cause : error;
      if ((cause as { code?: string }).code !== '3D000') throw cause; // 3D000: database does not exist
    }
  }
  const name = databaseName(url);
  await withClient(withDatabase(url, 'postgres'), async (client) => {
    const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount !== 0) return;
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '42P04') throw error; // created concurrently
    }
  });
}

/** A failure to establish a connection at all (as opposed to one while using it). */
class ConnectError extends Error {
  constructor(cause: unknown) {
    super((cause as Error)?.message ?? String(cause), { cause });
  }
}

async function withClient(url: string, work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new ConnectError(error);
  }
  try {
    await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the default server is unusable, so the embedded one should be used: the connection
 * could not be made (refused, timed out, closed: anything below the PostgreSQL protocol), or the
 * server does not let the default user in (the default URL is only a guess). Errors from a server
 * that accepted us (say, no right to create the database) are real and are rethrown.
 */
function isUnusableServer(error: unknown): boolean {
  if (!(error instanceof ConnectError)) return false;
  const cause = error.cause as { code?: unknown; severity?: unknown } | undefined;
  const sqlState = typeof cause?.severity === 'string' && typeof cause.code === 'string' ? cause.code : undefined;
  return sqlState === undefined || sqlState.startsWith('28'); // 28000/28P01: role or password rejected
}

function preparationError(url: string, error: unknown): Error {
  const cause = error instanceof ConnectError ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new Error(`cannot prepare the test database ${redact(url)}: ${message} (${reasonOf(error)})`, { cause });
}

function reasonOf(error: unknown): string {
  const cause = (error instanceof ConnectError ? error.cause : error) as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? String(cause);
}

function redact(url: string): string {
  return url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
}
