import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateWithLock } from '@app/persistence';
import { testDatabaseUrl } from './test-database';

export const PRODUCT_TABLES = ['inbound_event', 'dead_letter', 'decision', 'list_entry', 'measure_task', 'feed_record', 'feedback', 'query_audit'];

/** A migrated, connected test database; refuses any database whose name does not say "test". */
export async function openTestDatabase(): Promise<DataSource> {
  const url = testDatabaseUrl();
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
