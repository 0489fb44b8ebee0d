import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { departmentPrincipal, SERVICE_PRINCIPALS } from '@app/config';
import { KAFKA_BROKERS, newKafkaRun, plainKafka, requireBroker, topicsOf } from './support/kafka-test-env';
import { TEST_KAFKA_CA, testKafkaSecurity } from '../support/kafka-broker';

/**
 * `npm run kafka:department -- add <code>` as an operator runs it (the compiled command, as the
 * admin principal): the new department can log in with the password printed once, write its
 * own inbound topic and nothing else's.
 */
jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');

function kafkaDepartmentCommand(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [resolve(ROOT, 'scripts/node-app.js'), resolve(ROOT, 'dist/apps/kafka-admin/src/main.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 90_000 }, (error, stdout, stderr) =>
      error ? fail(new Error(`${error.message}\n${stdout}${stderr}`)) : done(stdout),
    );
  });
}

describe('provisioning a department on Kafka', () => {
  const run = newKafkaRun('provision');
  const topics = topicsOf(run);
  // A code of this run only: SCRAM users are never deleted on the test broker (see kafka.sh).
  const code = `probe-${randomBytes(3).toString('hex')}`;
  let output: string;

  beforeAll(async () => {
    await requireBroker();
    output = await kafkaDepartmentCommand(['add', code], { KAFKA_BROKERS, KAFKA_TOPIC_PREFIX: run.prefix, KAFKA_SSL_CA: TEST_KAFKA_CA, KAFKA_USERNAME: SERVICE_PRINCIPALS.admin, KAFKA_INBOUND_PARTITIONS: '1', KAFKA_DECISION_PARTITIONS: '1' });
  });

  it('prints the credential, the topics and every ACL it created', () => {
    expect(output).toContain(`SCRAM-SHA-512 credential set for User:${departmentPrincipal(code)}`);
    expect(output).toContain(`topic created: ${topics.inboundFor(code)}`);
    expect(output).toContain(`topic created: ${topics.decisionsFor(code)}`);
    expect(output).toContain(`ACL: ALLOW User:${departmentPrincipal(code)} WRITE topic ${topics.inboundFor(code)}`);
    expect(output).toContain(`ACL: ALLOW User:${SERVICE_PRINCIPALS.engine} READ topic ${topics.inboundFor(code)}`);
    expect(output).toContain(`ACL: ALLOW User:${SERVICE_PRINCIPALS.relay} WRITE topic ${topics.decisionsFor(code)}`);
  });

  it('lets the new department in with its printed password, to its own topic only', async () => {
    const password = /password \(shown once[^)]*\): (\S+)/.exec(output)?.[1];
    expect(password).toBeDefined();
    const { ssl } = testKafkaSecurity(SERVICE_PRINCIPALS.admin);
    const kafka = new Kafka({ clientId: `${run.id}-${code}`, brokers: KAFKA_BROKERS.split(','), ssl, sasl: { mechanism: 'scram-sha-512', username: departmentPrincipal(code), password: password! }, retry: { retries: 0 }, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await expect(producer.send({ topic: topics.inboundFor(code), messages: [{ key: 'k', value: '{}' }] })).resolves.toHaveLength(1);
      await expect(producer.send({ topic: topics.inboundFor('court'), messages: [{ key: 'k', value: '{}' }] })).rejects.toThrow(/Topic authorization failed/);
    } finally {
      await producer.disconnect();
    }
    const admin = plainKafka(`${run.id}-cleanup`).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topics.inboundFor(code), topics.decisionsFor(code)] }).catch(() => undefined);
    await admin.disconnect();
  });
});
