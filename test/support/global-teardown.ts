import type { TestDatabase } from './test-database';

/** jest globalTeardown of the integration project: stops the embedded PostgreSQL and the Kafka broker, if setup started them. */
export default async function globalTeardown(): Promise<void> {
  const stop: TestDatabase['stop'] = globalThis.__TEST_DB_STOP__;
  globalThis.__TEST_DB_STOP__ = undefined;
  await stop?.();
  const stopKafka = globalThis.__TEST_KAFKA_STOP__;
  globalThis.__TEST_KAFKA_STOP__ = undefined;
  stopKafka?.();
}
