import { Consumer, Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { SERVICE_PRINCIPALS } from '@app/config';
import { CreditEventGenerator, ReferenceDecider } from './support/credit-events';
import { DepartmentProducer, PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, departmentKafka, deploymentOf, KAFKA_BROKERS, KafkaRun, newKafkaRun, plainKafka, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { waitUntilAllDecidedAndPublished } from './support/outcome-check';
import { openCleanTestDatabase } from './support/test-db';
import { TEST_KAFKA_CA } from '../support/kafka-broker';

/**
 * The attacks of issue 10, replayed with nothing but a Kafka client against the secured broker
 * and a running engine: each is refused, and the events accepted meanwhile are all decided and
 * published. Refusals are tried with `retries: 0`: kafkajs retries connection-level refusals
 * for up to a minute otherwise.
 */
jest.setTimeout(120_000);

const NO_RETRY = { retry: { retries: 0 }, connectionTimeout: 3000, logLevel: logLevel.NOTHING } as const;

/** What refused a client attempt: the error kafkajs reported (and what it wrapped, when it gave up retrying). */
interface Refusal {
  name: string;
  type?: string;
  message: string;
  cause?: string;
}

/** What a client attempt ended with: the error kafkajs reported, or undefined when it was allowed. */
async function outcome(attempt: () => Promise<unknown>): Promise<Refusal | undefined> {
  try {
    await attempt();
    return undefined;
  } catch (error) {
    return refusalOf(error);
  }
}

function refusalOf(error: unknown): Refusal {
  const e = error as { name: string; type?: string; message: string; cause?: { name?: string; type?: string } };
  return { name: e.name, type: e.type ?? e.cause?.type, message: e.message, cause: e.cause?.name };
}

/**
 * A group the ACLs refuse: the broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED,
 * which kafkajs reports as a coordinator it could not find, not as an authorisation error.
 */
const GROUP_REFUSED = { name: 'KafkaJSGroupCoordinatorNotFound', message: expect.stringContaining('Failed to find group coordinator') };

/** A client that does not authenticate (no SASL, or not even TLS): the broker closes its connection at the first request. */
const CONNECTION_CLOSED = { name: 'KafkaJSNumberOfRetriesExceeded', cause: 'KafkaJSConnectionClosedError', message: 'Closed connection' };

/**
 * Join `groupId` and read `topic` from the beginning: resolves once a fetch has completed (joining
 * alone is not reading: a topic one may only write is refused at the fetch), rejects with what refused it.
 */
async function joinAndRead(kafka: Kafka, groupId: string, topic: string, consumers: Consumer[]): Promise<void> {
  const consumer = kafka.consumer({ groupId, retry: { retries: 0 }, sessionTimeout: 6000, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  const joined = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.FETCH, () => resolve());
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined });
  await joined;
}

describe('Kafka attacks: each is refused, and nothing accepted is lost', () => {
  let run: KafkaRun;
  let topics: ReturnType<typeof topicsOf>;
  let db: DataSource;
  let fleet: AppFleet;
  let admin: ReturnType<Kafka['admin']>;
  let departments: PublishingDepartments;
  const consumers: Consumer[] = [];
  const producers: DepartmentProducer[] = [];
  const decider = new ReferenceDecider();

  /** Messages on a topic, from the admin's view. */
  const onTopic = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  const producerAs = (kafka: Kafka, topic: string) => {
    const producer = new DepartmentProducer(kafka, topic);
    producers.push(producer);
    return producer;
  };

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('attacks');
    topics = topicsOf(run);
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    await fleet.start('decision-engine');
    admin = plainKafka(`${run.id}-observer`).admin();
    await admin.connect();
    departments = new PublishingDepartments(run);
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await Promise.all(producers.map((p) => p.disconnect()));
    await departments?.disconnect();
    await admin?.disconnect();
    await fleet?.stopAll();
    await db?.destroy();
  });

  it('refuses a client without credentials, in the clear, or with a wrong password', async () => {
    const court = topics.inboundFor('court');
    const before = await onTopic(court);
    const event = new CreditEventGenerator(`${run.id}-anon`, 3, (t) => t.source === '/departments/court').next();
    const ca = [readFileSync(TEST_KAFKA_CA, 'utf8')];
    const clients: Record<string, { kafka: Kafka; refusedAs: Partial<Refusal> }> = {
      'TLS, no SASL': { kafka: new Kafka({ clientId: 'anonymous', brokers: KAFKA_BROKERS.split(','), ssl: { ca }, ...NO_RETRY }), refusedAs: CONNECTION_CLOSED },
      plaintext: { kafka: new Kafka({ clientId: 'anonymous', brokers: KAFKA_BROKERS.split(','), ...NO_RETRY }), refusedAs: CONNECTION_CLOSED },
      'wrong password': {
        kafka: new Kafka({ clientId: 'guesser', brokers: KAFKA_BROKERS.split(','), ssl: { ca }, sasl: { mechanism: 'scram-sha-512', username: 'department-court', password: 'court' }, ...NO_RETRY }),
        refusedAs: { name: 'KafkaJSSASLAuthenticationError', message: expect.stringContaining('SASL SCRAM SHA512 authentication failed') },
      },
    };
    for (const [label, { kafka, refusedAs }] of Object.entries(clients)) {
      const producer = kafka.producer();
      const refused = await outcome(async () => {
        await producer.connect();
        await producer.send({ topic: court, messages: [structuredMessage(event)] });
      });
      await producer.disconnect().catch(() => undefined);
      expect({ label, refused }).toEqual({ label, refused: expect.objectContaining(refusedAs) });
    }
    expect(await onTopic(court)).toBe(before);
  });

  it("refuses a department writing another department's inbound topic (a forged removal from the court)", async () => {
    const court = topics.inboundFor('court');
    const before = await onTopic(court);
    const forged = new CreditEventGenerator(`${run.id}-forged`, 5, (t) => t.source === '/departments/court' && t.type === 'credit.list-entry.removed.v1').next();
    const tax = departmentKafka(run, 'tax', NO_RETRY).producer();
    const refused = await outcome(async () => {
      await tax.connect();
      await tax.send({ topic: court, messages: [structuredMessage(forged)] });
    });
    await tax.disconnect();
    expect(refused?.type).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await onTopic(court)).toBe(before);
  });

  it("dead-letters an event on a department's own topic whose source names another department (DEPARTMENT.SOURCE_MISMATCH)", async () => {
    const claimed = new CreditEventGenerator(`${run.id}-claim`, 11, (t) => t.source === '/departments/court' && t.type === 'credit.judgment-debtor.listed.v1').next();
    const [placement] = await producerAs(departmentKafka(run, 'tax'), topics.inboundFor('tax')).send([structuredMessage(claimed)]);
    const [letter] = await waitFor(
      'the dead letter',
      async () => {
        const rows: { error_code: string; topic: string }[] = await db.query(`SELECT error_code, topic FROM dead_letter WHERE topic = $1 AND kafka_offset = $2 AND partition = $3`, [placement.topic, placement.offset, placement.partition]);
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
    );
    expect(letter).toEqual({ error_code: 'DEPARTMENT.SOURCE_MISMATCH', topic: topics.inboundFor('tax') });
    expect(await db.query(`SELECT 1 FROM inbound_event WHERE event_id = $1`, [claimed.id])).toEqual([]);
    expect(await db.query(`SELECT 1 FROM decision WHERE cause_event_id = $1`, [claimed.id])).toEqual([]);
  });

  it("refuses a department joining the engine's consumer group, while a burst of accepted events is all decided and published", async () => {
    const burst = new CreditEventGenerator(`${run.id}-burst`, 23).batch(150);
    const expected = await decider.decideAll(burst);
    const [before] = await db.query(`SELECT count(*)::int AS events FROM inbound_event`);
    // The intruder subscribes to a topic it may read (its own decisions), so what refuses it is the group.
    const intruder = outcome(() => joinAndRead(departmentKafka(run, 'market-regulation', NO_RETRY), run.consumerGroup, topics.decisionsFor('market-regulation'), consumers));
    const sending = departments.send(burst.map(structuredMessage));
    const refused = await intruder;
    await sending;
    expect(refused).toMatchObject(GROUP_REFUSED);
    // The group is the engine's alone: it has members, and every one is an engine client.
    const [group] = (await admin.describeGroups([run.consumerGroup])).groups;
    expect(group.members.length).toBeGreaterThan(0);
    expect(group.members.filter((m) => !m.clientId.startsWith(run.clientId))).toEqual([]);

    const done = await waitUntilAllDecidedAndPublished(db, before.events + burst.length, undefined, 90_000);
    expect(done.events - before.events).toBe(burst.length);
    const decided: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM inbound_event WHERE event_id = ANY($1) AND status = 'processed'`, [burst.map((e) => e.id)]);
    expect(decided[0].n).toBe(burst.length);
    const records: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM feed_record WHERE record_id = ANY($1)`, [[...expected.feedRecords.keys()]]);
    expect(records[0].n).toBe(expected.feedRecords.size);
    await waitFor('every record published', async () => ((await db.query(`SELECT count(*)::int AS n FROM feed_record WHERE published_at IS NULL`)) as { n: number }[])[0].n === 0, 60_000);
  });

  it("refuses reading another department's decision topic, or with a group outside one's prefix; allows one's own", async () => {
    const tax = departmentKafka(run, 'tax', NO_RETRY);
    const own = `${run.prefix}tax.feed-reader`;
    expect(await outcome(() => joinAndRead(tax, `${run.prefix}tax.spy`, topics.decisionsFor('court'), consumers))).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    // Its own topic, another department's group name: the group refuses it.
    expect(await outcome(() => joinAndRead(tax, `${run.prefix}court.feed-reader`, topics.decisionsFor('tax'), consumers))).toMatchObject(GROUP_REFUSED);
    // Only the engine reads inbound topics, a department's own included.
    expect(await outcome(() => joinAndRead(tax, `${run.prefix}tax.replay`, topics.inboundFor('tax'), consumers))).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(await outcome(() => joinAndRead(tax, own, topics.decisionsFor('tax'), consumers))).toBeUndefined();
    // The control: its own group resolves a coordinator and holds the reader as a member.
    const [ownGroup] = (await admin.describeGroups([own])).groups;
    expect({ state: ownGroup.state, members: ownGroup.members.length }).toEqual({ state: 'Stable', members: 1 });
    expect(own.startsWith(deploymentOf(run).topics.prefix)).toBe(true);
  });

  it('refuses writing a decision topic to everyone but the relay', async () => {
    const target = topics.decisionsFor('tax');
    const before = await onTopic(target);
    const forged = { key: 'forged', value: JSON.stringify({ kind: 'decision.issued', forged: true }), headers: { ce_type: 'credit.decision.issued.v1', ce_source: '/credit-engine' } };
    const writers = {
      'the department itself': departmentKafka(run, 'tax', NO_RETRY),
      'another department': departmentKafka(run, 'court', NO_RETRY),
      'the engine consumer': plainKafka(`${run.id}-engine-as-writer`, SERVICE_PRINCIPALS.engine, NO_RETRY),
      'the ingest': plainKafka(`${run.id}-ingest-as-writer`, SERVICE_PRINCIPALS.ingest, NO_RETRY),
    };
    for (const [label, kafka] of Object.entries(writers)) {
      const producer = kafka.producer();
      const refused = await outcome(async () => {
        await producer.connect();
        await producer.send({ topic: target, messages: [forged] });
      });
      await producer.disconnect().catch(() => undefined);
      expect({ label, type: refused?.type }).toEqual({ label, type: 'TOPIC_AUTHORIZATION_FAILED' });
    }
    expect(await onTopic(target)).toBe(before);
  });
});
