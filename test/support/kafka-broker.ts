import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

const ROOT = resolve(__dirname, '../..');

export function testKafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

async function answers(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1500 }).admin();
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
  if (process.env.KAFKA_BROKERS) throw new Error(`KAFKA_BROKERS=${process.env.KAFKA_BROKERS} does not answer`);
  execFileSync('bash', [resolve(ROOT, 'scripts/kafka.sh'), 'start'], { stdio: 'inherit' });
  return () => execFileSync('bash', [resolve(ROOT, 'scripts/kafka.sh'), 'stop'], { stdio: 'inherit' });
}
