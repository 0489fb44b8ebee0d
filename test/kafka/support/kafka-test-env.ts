import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { departmentPrincipal, SERVICE_PRINCIPALS } from '@app/config';
import { kafkaDeployment, KafkaDeployment, provisionDeployment, ProvisionReport } from '@app/messaging';
import { AppName, AppProcess, freePort } from '../../support/app-process';
import { TEST_KAFKA_CA, testKafkaSecurity } from '../../support/kafka-broker';
import { departmentRegistry } from './credit-events';

/** The test broker (scripts/kafka.sh start), or KAFKA_BROKERS when a CI provides another. */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/**
 * A plain kafkajs client authenticated as `principal` (the admin, by default, for a test's own
 * set-up and observation), as a department's system would use one. Connection errors during a
 * broker restart are expected and retried by the callers, so kafkajs' own logging is off.
 */
export function plainKafka(clientId: string, principal: string = SERVICE_PRINCIPALS.admin, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    ...testKafkaSecurity(principal),
    ...overrides,
  });
}

/** A department's own client: it may write its inbound topic and read its decision topic. */
export function departmentKafka(run: KafkaRun, department: string, overrides: Partial<KafkaConfig> = {}): Kafka {
  return plainKafka(`${run.id}-${department}`, departmentPrincipal(department), overrides);
}

/** The registered departments' codes (config/departments.json). */
export function registeredDepartments(): string[] {
  return departmentRegistry().all().map((d) => d.code);
}

export function deploymentOf(run: KafkaRun): KafkaDeployment {
  return kafkaDeployment({ KAFKA_TOPIC_PREFIX: run.prefix, KAFKA_CONSUMER_GROUP: run.consumerGroup, KAFKA_CLIENT_ID: run.clientId });
}

/**
 * The run's topics and ACLs, as an operator provisions a deployment before starting its apps:
 * the broker refuses whatever no ACL allows, and the apps' principals may not create topics.
 */
export async function provisionRun(run: KafkaRun, departments: readonly string[] = registeredDepartments()): Promise<ProvisionReport> {
  // Fewer partitions than a deployment's defaults: a run has a topic per department and direction,
  // and each partition costs the broker and the engine's consumer time to set up and poll.
  return provisionDeployment(plainKafka(`${run.id}-provisioner`), deploymentOf(run), departments, { inboundPartitions: 2, decisionPartitions: 1, replicationFactor: 1 });
}

/**
 * The Kafka tests need a real broker: if none answers, the test FAILS (never skips), naming
 * how to start one.
 */
export async function requireBroker(timeoutMs = 15_000): Promise<void> {
  const kafka = new Kafka({ clientId: 'kafka-test-probe', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 2000, retry: { retries: 0 }, ...testKafkaSecurity(SERVICE_PRINCIPALS.admin) });
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
    inboundFor: (department: string) => `${run.prefix}credit.events.${department}.v1`,
    /** Every department's inbound topic of this run. */
    allInbound: (departments: readonly string[] = registeredDepartments()) => departments.map((d) => `${run.prefix}credit.events.${d}.v1`),
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
    KAFKA_SSL_CA: TEST_KAFKA_CA,
    LOG_LEVEL: 'warn',
    // A SIGKILLed engine's partitions move on after 8 s instead of the default 30 s.
    KAFKA_SESSION_TIMEOUT_MS: '8000',
    ...extra,
  };
}

/** Start an app on a free port; every started app is remembered so afterAll can stop it. */
export class AppFleet {
  private readonly apps: AppProcess[] = [];
  private provisioned?: Promise<ProvisionReport>;

  constructor(
    private readonly run: KafkaRun,
    private readonly databaseUrl: string,
  ) {}

  async start(name: AppName, extra: Record<string, string> = {}, timeoutMs = 60_000): Promise<AppProcess> {
    // The run's topics and ACLs exist before its first app starts, as in a provisioned deployment.
    this.provisioned ??= provisionRun(this.run);
    await this.provisioned;
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
