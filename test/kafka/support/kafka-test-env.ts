import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { AppName, AppProcess, freePort } from '../../support/app-process';

/** The test broker (scripts/kafka.sh start), or KAFKA_BROKERS when a CI provides another. */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/**
 * A plain kafkajs client, as a department's system would use one. Connection errors during
 * a broker restart are expected and retried by the callers, so kafkajs' own logging is off.
 */
export function plainKafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
  });
}

/**
 * The Kafka tests need a real broker: if none answers, the test FAILS (never skips), naming
 * how to start one.
 */
export async function requireBroker(timeoutMs = 15_000): Promise<void> {
  const kafka = new Kafka({ clientId: 'kafka-test-probe', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 2000, retry: { retries: 0 } });
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (error) {
      last = error;
      await sleep(500);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  throw new Error(
    `Kafka broker ${KAFKA_BROKERS} is unreachable (${(last as Error | undefined)?.message ?? 'no answer'}); ` +
      'start it with `bash scripts/kafka.sh start` (these tests never skip without a broker)',
  );
}

/**
 * Names that keep one test run apart from every other on the shared broker: topic prefix,
 * consumer group, client id (and so the relay's transactional id).
 */
export interface KafkaRun {
  id: string;
  prefix: string;
  consumerGroup: string;
  clientId: string;
}

export function newKafkaRun(name: string): KafkaRun {
  const id = `${name}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return { id, prefix: `t.${id}.`, consumerGroup: `${id}-engine`, clientId: `${id}-app` };
}

export function topicsOf(run: KafkaRun) {
  return {
    creditEvents: `${run.prefix}credit.events.v1`,
    deadLetters: `${run.prefix}credit.events.dead-letter.v1`,
    decisionsFor: (department: string) => `${run.prefix}credit.decisions.${department}.v1`,
    /** Every department's decision topic of this run. */
    allDecisions: new RegExp(`^${escapeRegExp(run.prefix)}credit\\.decisions\\.[a-z0-9-]+\\.v1$`),
  };
}

/** Environment for an app of this run in Kafka mode. */
export function kafkaAppEnv(run: KafkaRun, databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TRANSPORT: 'kafka',
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: run.prefix,
    KAFKA_CONSUMER_GROUP: run.consumerGroup,
    KAFKA_CLIENT_ID: run.clientId,
    LOG_LEVEL: 'warn',
    // A SIGKILLed engine's partitions move on after 8 s instead of the default 30 s.
    KAFKA_SESSION_TIMEOUT_MS: '8000',
    ...extra,
  };
}

/** Start an app on a free port; every started app is remembered so afterAll can stop it. */
export class AppFleet {
  private readonly apps: AppProcess[] = [];

  constructor(
    private readonly run: KafkaRun,
    private readonly databaseUrl: string,
  ) {}

  async start(name: AppName, extra: Record<string, string> = {}, timeoutMs = 60_000): Promise<AppProcess> {
    const app = await AppProcess.start(name, kafkaAppEnv(this.run, this.databaseUrl, extra), await freePort(), timeoutMs);
    this.apps.push(app);
    return app;
  }

  /** Stop everything still running (SIGTERM, then SIGKILL after a grace period). */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.apps.map(async (app) => {
        const killer = setTimeout(() => app.child.kill('SIGKILL'), 15_000);
        await app.stop('SIGTERM').catch(() => undefined);
        clearTimeout(killer);
      }),
    );
  }

  /** The tail of every app's output, and the whole of it in a file for a closer look. */
  logs(tailChars = 3000): string {
    const file = join(tmpdir(), `${this.run.id}-apps.log`);
    writeFileSync(file, this.apps.map((a) => `----- ${a.name} (pid ${a.child.pid}) -----\n${a.log}`).join('\n'));
    return `${this.apps.map((a) => `----- ${a.name} (pid ${a.child.pid}) -----\n${a.log.slice(-tailChars)}`).join('\n')}\n(whole output: ${file})`;
  }
}

/** Poll `probe` until it returns a value that is not undefined/false, or fail at the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
