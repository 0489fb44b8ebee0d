import { ensureKafkaBroker } from './kafka-broker';
import { provisionTestDatabase, publishTestDatabaseUrl } from './test-database';

/**
 * jest globalSetup of the integration project: provisions the test database (see
 * test-database.ts) and publishes its URL through TEST_DATABASE_URL (inherited by the workers,
 * which start afterwards) and .cache/test-database-url (for any other process).
 */
export default async function globalSetup(): Promise<void> {
  // In watch mode setup runs again in the same process: start from the caller's own setting,
  // not from the URL a previous run published (its embedded server was stopped at teardown).
  globalThis.__TEST_DB_ORIGINAL_URL__ ??= { value: process.env.TEST_DATABASE_URL };
  const original = globalThis.__TEST_DB_ORIGINAL_URL__.value;
  if (original === undefined) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = original;

  const database = await provisionTestDatabase();
  publishTestDatabaseUrl(database.url);
  globalThis.__TEST_DB_STOP__ = database.stop;
  // Kafka specs need a real broker: start the project's own when none answers (CI starts it first).
  globalThis.__TEST_KAFKA_STOP__ = await ensureKafkaBroker();
}
