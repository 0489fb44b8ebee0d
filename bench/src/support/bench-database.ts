import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateWithLock } from '@app/persistence';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/credit_engine_bench';

/** The database name of a postgres:// URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** The same server, another database. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/** Password-free form for printing. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Benchmarks drop and truncate tables: refuse any database whose name does not say it is
 * a bench database, so a mistyped BENCH_DATABASE_URL can never wipe a real one.
 */
export function assertBenchDatabase(url: string): void {
  const name = databaseName(url);
  if (!/bench/i.test(name)) throw new Error(`refusing to use database "${name}" for a benchmark: its name must contain "bench" (it gets dropped and truncated)`);
  if (!/^[a-zA-Z0-9_]+$/.test(name)) throw new Error(`bench database name "${name}" may contain letters, digits and _ only`);
}

export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database if it does not exist (through the server's `postgres` database). */
export async function ensureDatabase(url: string): Promise<boolean> {
  assertBenchDatabase(url);
  const name = databaseName(url);
  return withClient(withDatabase(url, 'postgres'), async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  });
}

/** Runs the product's migrations (the apps would do the same at start-up). */
export async function migrate(url: string): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions(url), extra: { max: 2 } } as never);
  await dataSource.initialize();
  try {
    await migrateWithLock(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Drops every table (the whole public schema) and migrates from scratch. */
export async function recreateSchema(url: string): Promise<void> {
  assertBenchDatabase(url);
  await withClient(url, async (client) => {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  });
  await migrate(url);
}

/** Empties every product table (keeps the schema and the migrations record). */
export async function truncateAll(url: string): Promise<void> {
  assertBenchDatabase(url);
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'query_audit_chain')`);
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY`);
    await restartAuditChain(client);
  });
}

/** After query_audit was emptied: its one-row chain head starts again from the genesis hash (an empty head would refuse every insert). */
export async function restartAuditChain(client: Client): Promise<void> {
  const genesis = `'\\x${'00'.repeat(32)}'::bytea`;
  await client.query(`UPDATE query_audit_chain SET anchor_id = 0, anchor_hash = ${genesis}, head_id = 0, head_hash = ${genesis}, last_purge_at = NULL`);
}
