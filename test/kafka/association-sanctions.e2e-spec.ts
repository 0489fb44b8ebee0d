import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka } from 'kafkajs';
import { departmentPrincipal, developmentKafkaPassword, SERVICE_PRINCIPALS } from '@app/config';
import { TEST_KAFKA_CA } from '../support/kafka-broker';
import { DataSource } from 'typeorm';
import { CreditEventGenerator, RawCloudEvent } from './support/credit-events';
import { PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KAFKA_BROKERS, KafkaRun, newKafkaRun, plainKafka, provisionRun, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { openCleanTestDatabase } from './support/test-db';
import { TopicReader } from './support/topic-reader';

/**
 * An industry association on its own inbound topic, as its principal, like any department
 * (provisioned by the same run set-up): its public condemnation of a member is decided into the
 * housing bureau's closer supervision, and its sanction about a non-member is dead-lettered with
 * SUBJECT.NOT_A_MEMBER, as the HTTP edge refuses it; its withdrawal of the condemnation, on the same
 * topic, ends that task and tells the housing bureau.
 */
jest.setTimeout(180_000);

const OUTSIDER = '91350200776049653A';
const ASSOCIATION = 'construction-association';
const ROOT = resolve(__dirname, '../..');

/**
 * The association's SCRAM user with its development password, as an operator onboards it
 * (`npm run kafka:department -- add`, the compiled command as the admin principal). A broker
 * formatted from the registry has it already; one formatted before the association was
 * registered gets it here. Setting the same password again is harmless (users are never deleted).
 */
async function onboard(run: KafkaRun): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'association-'));
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, developmentKafkaPassword(departmentPrincipal(ASSOCIATION)), { mode: 0o600 });
  const env = { ...process.env, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX: run.prefix, KAFKA_SSL_CA: TEST_KAFKA_CA, KAFKA_USERNAME: SERVICE_PRINCIPALS.admin, KAFKA_INBOUND_PARTITIONS: '2', KAFKA_DECISION_PARTITIONS: '1' };
  try {
    await new Promise<void>((done, fail) =>
      execFile(process.execPath, [resolve(ROOT, 'scripts/node-app.js'), resolve(ROOT, 'dist/apps/kafka-admin/src/main.js'), 'add', ASSOCIATION, '--password-file', passwordFile], { cwd: ROOT, env, timeout: 90_000 }, (error, stdout, stderr) =>
        error ? fail(new Error(`${error.message}\n${stdout}${stderr}`)) : done(),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Kafka: an industry association publishes sanctions on its own topic', () => {
  let run: KafkaRun;
  let db: DataSource;
  let fleet: AppFleet;
  let kafka: Kafka;
  let producer: PublishingDepartments;
  let deadLetters: TopicReader;
  let condemnation: RawCloudEvent;
  let aboutOutsider: RawCloudEvent;

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('association-sanctions');
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    kafka = plainKafka(`${run.id}-reader`);
    producer = new PublishingDepartments(run);
    await onboard(run);
    await provisionRun(run);
    const generator = new CreditEventGenerator(run.id, 15, (t) => t.type === 'credit.association.sanction.v1');
    condemnation = generator.nextWhere((t) => t.source === `/departments/${ASSOCIATION}` && t.data.sanction === 'public-condemnation');
    // The same sanction about a subject not on the member list (built by hand: the generator makes only publishable events).
    aboutOutsider = structuredClone(generator.nextWhere((t) => t.source === '/departments/construction-association' && t.data.sanction === 'public-condemnation'));
    aboutOutsider.subject = OUTSIDER;
    aboutOutsider.data.subject.id = OUTSIDER;
    deadLetters = await TopicReader.start(kafka, [topicsOf(run).deadLetters]);
    await producer.send([structuredMessage(condemnation), structuredMessage(aboutOutsider)]);
    await fleet.start('decision-engine');
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetters?.stop();
    await fleet?.stopAll();
    await db?.destroy();
  });

  it('decides the condemnation of a member into the housing bureau\'s ISD-01 task', async () => {
    const tasks = await waitFor(
      'the ISD-01 task',
      async () => {
        const rows: { implementing_department: string; target_id: string }[] = await db.query(
          `SELECT t.implementing_department, t.target_id FROM measure_task t JOIN decision d ON d.id = t.decision_id WHERE d.cause_event_id = $1 AND t.measure_code = 'ISD-01'`,
          [condemnation.id],
        );
        return rows.length > 0 && rows;
      },
      90_000,
    );
    expect(tasks).toEqual([{ implementing_department: 'housing', target_id: condemnation.data.subject.id }]);
  });

  it('dead-letters the sanction about a non-member with SUBJECT.NOT_A_MEMBER, deciding nothing of it', async () => {
    await waitFor('a dead letter', () => deadLetters.messages.length >= 1, 90_000);
    await deadLetters.settle(1500, 30_000);
    expect(deadLetters.messages.map((m) => [m.headers.dlq_original_topic, m.headers.dlq_error_code])).toEqual([[topicsOf(run).inboundFor(ASSOCIATION), 'SUBJECT.NOT_A_MEMBER']]);
    expect(await db.query(`SELECT 1 FROM inbound_event WHERE event_id = $1`, [aboutOutsider.id])).toEqual([]);
  });

  it('withdraws the condemnation on the same topic: the ISD-01 task ends and the housing bureau is told', async () => {
    await waitFor('the ISD-01 task', async () => (await db.query(`SELECT 1 FROM measure_task t JOIN decision d ON d.id = t.decision_id WHERE d.cause_event_id = $1`, [condemnation.id])).length > 0, 90_000);
    const withdrawal: RawCloudEvent = {
      specversion: '1.0',
      id: `${run.id}-withdrawal`,
      source: `/departments/${ASSOCIATION}`,
      type: 'credit.association.sanction.withdrawn.v1',
      subject: condemnation.subject,
      time: new Date().toISOString(),
      data: { subject: condemnation.data.subject, documentNumber: `${condemnation.data.documentNumber}-撤`, decidedOn: condemnation.data.decidedOn, sanctionDocumentNumber: condemnation.data.documentNumber, reason: 'decision-quashed' },
    } as RawCloudEvent;
    await producer.send([structuredMessage(withdrawal)]);
    const ended = await waitFor(
      'the task ended',
      async () => {
        const rows: { state: string; end_reason: string }[] = await db.query(
          `SELECT t.state, t.end_reason FROM measure_task t JOIN decision d ON d.id = t.decision_id WHERE d.cause_event_id = $1 AND t.measure_code = 'ISD-01' AND t.state <> 'active'`,
          [condemnation.id],
        );
        return rows.length > 0 && rows;
      },
      90_000,
    );
    expect(ended).toEqual([{ state: 'revoked', end_reason: 'removed' }]);
    const told: { kind: string; department: string }[] = await db.query(`SELECT kind, department FROM feed_record WHERE cause_key = $1 ORDER BY seq`, [`${withdrawal.source}/${withdrawal.id}`]);
    expect(told).toEqual(expect.arrayContaining([{ kind: 'decision.revoked', department: 'housing' }]));
  });
});
