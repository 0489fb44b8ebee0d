import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_ROLE, dataSourceOptions, migrateWithLock } from '@app/persistence';
import { testDatabaseUrl } from './test-database';

export const PRODUCT_TABLES = ['inbound_event', 'dead_letter', 'decision', 'list_entry', 'measure_task', 'measure_terms', 'feed_record', 'lifecycle_change', 'feedback', 'query_audit', 'rule_release', 'credit_commitment', 'credit_class', 'credit_class_history', 'supervision_sample', 'exchange_outbox', 'situation_bulletin', 'coordination_acknowledgement', 'coordination_case'];
const GENESIS = `'\\x${'00'.repeat(32)}'::bytea`;

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
  await dataSource.transaction(async (manager) => {
    await manager.query(`TRUNCATE ${PRODUCT_TABLES.join(', ')} RESTART IDENTITY`);
    // An emptied log starts a new chain; otherwise audit:verify would rightly call it truncated.
    await manager.query(`UPDATE query_audit_chain SET anchor_id = 0, anchor_hash = ${GENESIS}, head_id = 0, head_hash = ${GENESIS}, last_purge_at = NULL`);
  });
}

/**
 * The same database as the app role would reach it (created by the migrations, cluster-wide).
 * The shared server trusts 127.0.0.1, so no password; the embedded fallback asks for one, so
 * the role gets a test-only password there.
 */
export async function appRoleUrl(ownerUrl: string = testDatabaseUrl()): Promise<string> {
  const url = new URL(ownerUrl);
  if (url.password !== '') {
    const client = new Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      await client.query(`ALTER ROLE ${APP_ROLE} PASSWORD '${EMBEDDED_APP_ROLE_PASSWORD}'`);
    } finally {
      await client.end();
    }
    url.password = EMBEDDED_APP_ROLE_PASSWORD;
  }
  url.username = APP_ROLE;
  return url.toString();
}
const EMBEDDED_APP_ROLE_PASSWORD = 'test-only-app-role';

/** Apps started as in production: running as the app role, migrating (outside production) as the owner. */
export async function appRoleEnv(ownerUrl: string = testDatabaseUrl()): Promise<{ DATABASE_URL: string; DATABASE_MIGRATION_URL: string }> {
  return { DATABASE_URL: await appRoleUrl(ownerUrl), DATABASE_MIGRATION_URL: ownerUrl };
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
