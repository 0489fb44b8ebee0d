import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
// A relative import: jest's globalSetup loads this file without the @app/* path mapping.
import { developmentKafkaPassword, SERVICE_PRINCIPALS } from '../../libs/config/src/kafka-credentials';

const ROOT = resolve(__dirname, '../..');

/** The CA of the test broker: the one scripts/kafka.sh generates, or KAFKA_SSL_CA when a CI provides another broker. */
export const TEST_KAFKA_CA = process.env.KAFKA_SSL_CA ?? resolve(ROOT, '.cache/kafka/tls/ca.pem');

export function testKafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

/**
 * TLS and SCRAM-SHA-512 as `principal` with its development password: scripts/kafka.sh creates
 * every principal with one, so tests and .ci/run need no secret of their own.
 */
export function testKafkaSecurity(principal: string): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ssl: { ca: existsSync(TEST_KAFKA_CA) ? [readFileSync(TEST_KAFKA_CA, 'utf8')] : [] },
    sasl: { mechanism: 'scram-sha-512', username: principal, password: developmentKafkaPassword(principal) },
  };
}

async function answers(brokers: string[]): Promise<boolean> {
  if (!existsSync(TEST_KAFKA_CA)) return false;
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1500, ...testKafkaSecurity(SERVICE_PRINCIPALS.admin) }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The Kafka tests need a real broker. If none answers, start the project's own
 * (scripts/kafka.sh); if that fails, the run fails: Kafka tests are never skipped.
 * Returns a stop function when this call started the broker.
 */
export async function ensureKafkaBroker(): Promise<(() => void) | undefined> {
  const brokers = testKafkaBrokers();
  if (await answers(brokers)) return undefined;
  if (process.env.KAFKA_BROKERS) throw new Error(`KAFKA_BROKERS=${process.env.KAFKA_BROKERS} does not answer over TLS as ${SERVICE_PRINCIPALS.admin} (CA ${TEST_KAFKA_CA})`);
  execFileSync('bash', [resolve(ROOT, 'scripts/kafka.sh'), 'start'], { stdio: 'inherit' });
  return () => execFileSync('bash', [resolve(ROOT, 'scripts/kafka.sh'), 'stop'], { stdio: 'inherit' });
}
