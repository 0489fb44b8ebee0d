import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateWithLock } from '@app/persistence';
import { testDatabaseUrl } from './test-database';

export const PRODUCT_TABLES = ['inbound_event', 'dead_letter', 'decision', 'list_entry', 'measure_task', 'feed_record', 'feedback', 'query_audit'];

/** A migrated, connected test database; refuses any database whose name does not say "test". */
export async function openTestDatabase(url: string = testDatabaseUrl()): Promise<DataSource> {
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) throw new Error(`refusing to use database "${name}" for tests: its name must contain "test"`);
  const dataSource = await new DataSource(dataSourceOptions(url, { extra: { max: 4 } })).initialize();
  await migrateWithLock(dataSource);
  return dataSource;
}

/** Empty every product table, so a test sees only the data it makes. */
export async function truncateAll(dataSource: DataSource): Promise<void> {
  await dataSource.query(`TRUNCATE ${PRODUCT_TABLES.join(', ')} RESTART IDENTITY`);
}

/**
 * A suite's own database beside the shared test database (same server, name still says
 * "test"), created if missing: for suites that must not see others truncate the shared one.
 */
export async function ownTestDatabaseUrl(suffix: string): Promise<string> {
  const shared = testDatabaseUrl();
  const url = new URL(shared);
  const name = `${decodeURIComponent(url.pathname.slice(1))}_${suffix}`;
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: shared });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((e: { code?: string }) => {
      if (e.code !== '42P04') throw e; // created concurrently
    });
  } finally {
    await client.end();
  }
  return url.toString();
}
