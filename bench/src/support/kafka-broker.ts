import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { developmentKafkaPassword, SERVICE_PRINCIPALS } from '@app/config';
import { ROOT } from './child-app';

/** The CA of the project's broker (scripts/kafka.sh), or KAFKA_SSL_CA for another. */
export const BENCH_KAFKA_CA = process.env.KAFKA_SSL_CA || join(ROOT, '.cache/kafka/tls/ca.pem');

/**
 * The bench drives and observes the pipeline as the development admin principal over TLS: it
 * provisions each run's topics and ACLs, and its producer writes every department's topic.
 */
export function benchKafkaSecurity(): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const admin = SERVICE_PRINCIPALS.admin;
  return {
    ssl: { ca: existsSync(BENCH_KAFKA_CA) ? [readFileSync(BENCH_KAFKA_CA, 'utf8')] : [] },
    sasl: { mechanism: 'scram-sha-512', username: admin, password: developmentKafkaPassword(admin) },
  };
}

/** A client for the bench's own producer and consumer; its errors (the first 20) go to `onError`. */
export function benchKafka(brokers: string, clientId: string, onError?: (line: string) => void): Kafka {
  let reported = 0;
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    ...benchKafkaSecurity(),
    logLevel: onError ? logLevel.ERROR : logLevel.NOTHING,
    logCreator: () => ({ log }) => {
      if (!onError || reported++ >= 20) return;
      const { message, error } = log as { message: string; error?: string };
      onError(`kafkajs (${clientId}): ${message}${error ? `: ${error}` : ''}`);
    },
    connectionTimeout: 5000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

async function answers(brokers: string): Promise<boolean> {
  const kafka = new Kafka({ clientId: 'bench-probe', brokers: brokers.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 1 }, ...benchKafkaSecurity() });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The project's broker (scripts/kafka.sh, 127.0.0.1:9092) is started if nothing answers;
 * another address must already be running.
 */
export async function ensureBroker(brokers: string, progress: (line: string) => void): Promise<{ started: boolean }> {
  if (await answers(brokers)) return { started: false };
  if (brokers !== '127.0.0.1:9092' && brokers !== 'localhost:9092') throw new Error(`no Kafka broker answers at ${brokers}`);
  progress('no Kafka broker answers at 127.0.0.1:9092: starting the project\'s own (bash scripts/kafka.sh start)…');
  await new Promise<void>((resolvePromise, reject) => {
    execFile('bash', [join(ROOT, 'scripts/kafka.sh'), 'start'], { cwd: ROOT, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`scripts/kafka.sh start failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolvePromise();
    });
  });
  if (!(await answers(brokers))) throw new Error('scripts/kafka.sh start finished but the broker does not answer');
  return { started: true };
}

/** Deletes the topics and consumer groups a run created (every run uses a fresh prefix). */
export async function deleteRunArtifacts(kafka: Kafka, prefix: string, groups: string[]): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } catch {
    // best effort: a leftover namespaced topic does not affect the next run
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
