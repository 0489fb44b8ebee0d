import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateWithLock } from '@app/persistence';
import { testDatabaseUrl } from '../../support/test-database';

export const ENGINE_TABLES = ['inbound_event', 'dead_letter', 'decision', 'list_entry', 'measure_task', 'feed_record', 'lifecycle_change', 'credit_class', 'credit_class_history'] as const;

/**
 * The test database, migrated (with the product's own migration lock, exactly as an app
 * does at boot) and emptied, so a test sees only the data it makes. Refuses to touch any
 * database whose name does not contain "test".
 */
export async function openCleanTestDatabase(): Promise<{ url: string; db: DataSource }> {
  const url = testDatabaseUrl();
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/test/i.test(name)) throw new Error(`refusing to truncate database "${name}": its name must contain "test"`);
  const db = await new DataSource(dataSourceOptions(url, { extra: { max: 3 } })).initialize();
  await migrateWithLock(db);
  await db.query(`TRUNCATE ${ENGINE_TABLES.join(', ')} RESTART IDENTITY`);
  return { url, db };
}

export async function count(db: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params);
  return row.n;
}

/** Ids of one column, with how many rows carry each (a duplicate shows as a count above 1). */
export async function idCounts(db: DataSource, table: string, column: string): Promise<Map<string, number>> {
  const rows: { id: string; n: number }[] = await db.query(`SELECT ${column}::text AS id, count(*)::int AS n FROM ${table} GROUP BY 1`);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** feed_record ids with their counts, without credit-class.changed and coordination.opened (derived from stored standing and the criteria file, which the reference decider does not predict). */
export async function decisionFeedRecordCounts(db: DataSource): Promise<Map<string, number>> {
  const rows: { id: string; n: number }[] = await db.query(`SELECT record_id::text AS id, count(*)::int AS n FROM feed_record WHERE kind NOT IN ('credit-class.changed', 'coordination.opened') GROUP BY 1`);
  return new Map(rows.map((r) => [r.id, r.n]));
}
