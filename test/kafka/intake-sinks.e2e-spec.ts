import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CreditEvent, eventContentHash, IntakeEvent, parseCreditEvent } from '@app/domain';
import { PostgresInboxSink } from '@app/engine';
import { KafkaInboundSink, TopicNames } from '@app/messaging';
import { dataSourceOptions, InboundEventRepository } from '@app/persistence';
import { CreditEventGenerator } from '@app/rules/testing';
import { freePort } from '../support/app-process';
import { openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';
import { SERVICE_PRINCIPALS } from '@app/config';
import { newKafkaRun, plainKafka, provisionRun, registeredDepartments, requireBroker } from './support/kafka-test-env';

/**
 * The two inbound sinks against real PostgreSQL and the real broker: a batch is kept whole or
 * not at all, a reused id is refused, and in Kafka mode a failed produce leaves no receipt
 * that would later answer "duplicate" for an event that never reached the topic.
 */
jest.setTimeout(60_000);

describe('inbound sinks: all-or-nothing batches and truthful receipts', () => {
  let db: DataSource;
  let repository: InboundEventRepository;
  const run = newKafkaRun('intake-sinks');
  const generator = new CreditEventGenerator({ seed: 9, strayPublisherRate: 0 });
  let n = 0;
  const intake = (event: CreditEvent = generator.next()): IntakeEvent => {
    const parsed = parseCreditEvent({ ...event, id: `${run.id}-${n++}` });
    return { event: parsed, contentHash: eventContentHash(parsed) };
  };
  const changed = ({ event }: IntakeEvent): IntakeEvent => {
    const other = parseCreditEvent({ ...event, time: new Date(Date.parse(event.time) + 1000).toISOString() });
    return { event: other, contentHash: eventContentHash(other) };
  };
  const stored = async (events: IntakeEvent[]) =>
    ((await db.query(`SELECT event_id, status FROM inbound_event WHERE event_id = ANY($1) ORDER BY seq`, [events.map((e) => e.event.id)])) as { event_id: string; status: string }[]);

  beforeAll(async () => {
    // Migrated by openTestDatabase, then used without TypeORM's query log: the injected fault is expected.
    await (await openTestDatabase()).destroy();
    db = await new DataSource(dataSourceOptions(testDatabaseUrl(), { extra: { max: 4 }, logging: false })).initialize();
    repository = new InboundEventRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  describe('PostgresInboxSink', () => {
    const sink = () => new PostgresInboxSink(db, repository);

    it('stores none of a batch that fails while being stored', async () => {
      const batch = [intake(), intake(), intake()];
      const poison = batch[2].event.id;
      // A fault injected on the last row only, by a trigger on this test's own event id.
      await db.query(`CREATE OR REPLACE FUNCTION intake_sinks_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.event_id = '${poison}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
      await db.query(`CREATE TRIGGER intake_sinks_fault BEFORE INSERT ON inbound_event FOR EACH ROW EXECUTE FUNCTION intake_sinks_fault()`);
      try {
        await expect(sink().accept(batch)).rejects.toThrow(/injected fault/);
      } finally {
        await db.query(`DROP TRIGGER intake_sinks_fault ON inbound_event`);
        await db.query(`DROP FUNCTION intake_sinks_fault()`);
      }
      expect(await stored(batch)).toEqual([]);
      expect([...(await sink().accept(batch))]).toEqual([]);
      expect((await stored(batch)).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    });

    it('reports the same content as known and refuses other content under a known id, storing none of that batch', async () => {
      const first = intake();
      await sink().accept([first]);
      expect([...(await sink().accept([first]))]).toEqual([first.event.id]);
      const alongside = intake();
      await expect(sink().accept([alongside, changed(first)])).rejects.toMatchObject({ code: 'EVENT.ID_REUSED' });
      expect(await stored([alongside])).toEqual([]);
    });
  });

  describe('KafkaInboundSink', () => {
    let kafka: Kafka;
    const topics = new TopicNames(run.prefix);
    const inbound = registeredDepartments().map((d) => topics.inboundFor(d));
    const onTopic = async () => (await Promise.all(inbound.map((t) => admin().fetchTopicOffsets(t)))).flat().reduce((sum, p) => sum + Number(p.high), 0);
    let created: string[] = [];
    let adminClient: ReturnType<Kafka['admin']>;
    const admin = () => adminClient;

    beforeAll(async () => {
      await requireBroker();
      // The sink publishes as the ingest API does: as its principal, which may only write inbound topics.
      kafka = plainKafka(`${run.id}-ingest`, SERVICE_PRINCIPALS.ingest);
      adminClient = plainKafka(`${run.id}-admin`).admin();
      await adminClient.connect();
      created = (await provisionRun(run)).createdTopics;
    });

    afterAll(async () => {
      await adminClient?.deleteTopics({ topics: created }).catch(() => undefined);
      await adminClient?.disconnect();
    });

    it('removes the receipt when producing fails, so the retry is new and reaches the topic', async () => {
      // A real client to a port nothing listens on: producing fails as it does when the broker is away.
      const unreachable = new Kafka({ clientId: `${run.id}-away`, brokers: [`127.0.0.1:${await freePort()}`], retry: { retries: 0 }, connectionTimeout: 500, logLevel: logLevel.NOTHING });
      const event = intake();
      const failing = new KafkaInboundSink(unreachable, topics, db, repository);
      await expect(failing.accept([event])).rejects.toThrow();
      expect(await stored([event])).toEqual([]);
      await failing.onApplicationShutdown().catch(() => undefined);

      const sink = new KafkaInboundSink(kafka, topics, db, repository);
      try {
        expect([...(await sink.accept([event]))]).toEqual([]);
        expect(await stored([event])).toEqual([{ event_id: event.event.id, status: 'received' }]);
        expect(await onTopic()).toBe(1);
        // Still only received: produced again (the engine drops the copy), and reported as a duplicate.
        expect([...(await sink.accept([event]))]).toEqual([event.event.id]);
        expect(await onTopic()).toBe(2);
        await expect(sink.accept([changed(event)])).rejects.toMatchObject({ code: 'EVENT.ID_REUSED' });

        // Once the engine has processed it, a resubmission is a duplicate and is not produced again.
        await db.transaction((manager) => repository.markFirstSeen(manager, [{ source: event.event.source, id: event.event.id, type: event.event.type, subject: event.event.subject, envelope: {}, contentHash: event.contentHash, decisionCount: 0 }]));
        expect((await stored([event]))[0].status).toBe('processed');
        expect([...(await sink.accept([event]))]).toEqual([event.event.id]);
        expect(await onTopic()).toBe(2);
      } finally {
        await sink.onApplicationShutdown();
      }
    });

    it('produces a batch larger than the broker takes in one record batch, in several sends, losing none', async () => {
      // 400 events of one subject (one partition), ≈ 3 KB each: ≈ 1.2 MB, over the broker's 1 MB record-batch limit.
      const subject = { kind: 'enterprise', idType: 'USCC', id: '91510802MA62XK0U3U', name: '广元市利州区某某建材有限公司' };
      const batch = Array.from({ length: 400 }, (_, i) => {
        const event = parseCreditEvent({
          specversion: '1.0',
          id: `${run.id}-large-${i}`,
          source: '/departments/court',
          type: 'credit.objection.filed.v1',
          subject: subject.id,
          time: '2026-11-20T02:00:00Z',
          data: { subject, documentNumber: `异议-${i}`, decidedOn: '2026-11-20', objectionId: `OBJ-${i}`, listCode: 'judgment-debtor', reason: '已履行'.repeat(333) },
        });
        return { event, contentHash: eventContentHash(event) };
      });
      const before = await onTopic();
      const sink = new KafkaInboundSink(kafka, topics, db, repository);
      try {
        expect([...(await sink.accept(batch))]).toEqual([]);
        expect(await onTopic()).toBe(before + 400);
        expect((await stored(batch)).length).toBe(400);
      } finally {
        await sink.onApplicationShutdown();
      }
    });
  });
});
