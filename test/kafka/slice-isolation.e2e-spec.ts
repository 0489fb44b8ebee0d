import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppProcess } from '../support/app-process';
import { compareIds, CreditEventGenerator, RawCloudEvent, ReferenceDecider } from './support/credit-events';
import { Placement, PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, plainKafka, provisionRun, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { decisionFeedRecordCounts, idCounts, openCleanTestDatabase } from './support/test-db';
import { TopicReader } from './support/topic-reader';

/**
 * A poison slice grouped with healthy partitions in one shared transaction (cross-partition
 * group commit): the healthy partitions' events are decided exactly once without spending
 * retries, the poison one alone spends its attempts and its poison event is dead-lettered
 * with its reason, and nothing is lost. The poison is an event whose inbox row a trigger of
 * this test refuses, so every transaction holding it fails, as a database fault would.
 */

jest.setTimeout(180_000);

const HEALTHY = 60;
/** The engine's default attempts of a whole slice before it is handled message by message (apps/decision-engine/src/main.ts). */
const MAX_BATCH_ATTEMPTS = 3;

describe('Kafka slice isolation: a poison slice in a shared transaction fails no other', () => {
  let run: KafkaRun;
  let topics: ReturnType<typeof topicsOf>;
  let db: DataSource;
  let fleet: AppFleet;
  let engine: AppProcess;
  let kafka: Kafka;
  let producer: PublishingDepartments;
  let deadLetterReader: TopicReader;
  let decisionReader: TopicReader;
  const healthy: RawCloudEvent[] = [];
  const poisons: { event: RawCloudEvent; placement: Placement }[] = [];
  const placements = new Map<string, Placement>();

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('slice-isolation');
    topics = topicsOf(run);
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    kafka = plainKafka(`${run.id}-department`);
    producer = new PublishingDepartments(run);
    // Provisioned before the engine starts (the fleet would at its first start), since the events go first.
    await provisionRun(run);

    // Healthy events on both partitions of many departments' topics; a poison event in the middle
    // of one partition of two departments. Two, because the first slice the engine takes runs alone
    // (the writer is idle): one of them at least is grouped with healthy slices.
    const generator = new CreditEventGenerator(run.id, 41);
    const messages = Array.from({ length: HEALTHY }, (_, i) => ({ event: generator.next(), partition: i % 2 }));
    healthy.push(...messages.map((m) => m.event));
    const departments = [...new Set(messages.map((m) => producer.publisherOf(structuredMessage(m.event))))];
    expect(departments.length).toBeGreaterThanOrEqual(4);
    const poisoned = [departments[0], departments[departments.length - 1]].map((department) => {
      const event = generator.nextWhere((t) => producer.publisherOf(structuredMessage(t)) === department);
      return { event, partition: 1 };
    });
    await db.query(`CREATE OR REPLACE FUNCTION slice_isolation_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.event_id = ANY (ARRAY['${poisoned.map((p) => p.event.id).join("','")}']) THEN RAISE EXCEPTION 'injected poison'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER slice_isolation_poison BEFORE INSERT ON inbound_event FOR EACH ROW EXECUTE FUNCTION slice_isolation_poison()`);

    // Everything is on the topics before the engine starts, so its first fetch hands it every
    // partition at once and their slices share transactions; one transaction in flight groups them all.
    // The poison events are sent on their own (one per department), so their placements are exact.
    const send = async (batch: { event: RawCloudEvent; partition: number }[]) => {
      const placed = await producer.send(batch.map((m) => ({ ...structuredMessage(m.event), partition: m.partition })));
      batch.forEach((m, i) => placements.set(m.event.id, placed[i]));
    };
    await send(messages.slice(0, HEALTHY / 2));
    await send(poisoned);
    await send(messages.slice(HEALTHY / 2));
    poisons.push(...poisoned.map((p) => ({ event: p.event, placement: placements.get(p.event.id)! })));
    [deadLetterReader, decisionReader] = await Promise.all([TopicReader.start(kafka, [topics.deadLetters]), TopicReader.start(kafka, [topics.allDecisions], { keepValues: false })]);
    engine = await fleet.start('decision-engine', { ENGINE_TRANSACTIONS_IN_FLIGHT: '1' });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetterReader?.stop();
    await decisionReader?.stop();
    await fleet?.stopAll();
    await db?.query(`DROP TRIGGER IF EXISTS slice_isolation_poison ON inbound_event`).catch(() => undefined);
    await db?.query(`DROP FUNCTION IF EXISTS slice_isolation_poison()`).catch(() => undefined);
    await db?.destroy();
  });

  const origin = (p: Placement) => `${p.topic}/${p.partition}/${p.offset}`;
  const slot = (p: Placement) => `${p.topic}[${p.partition}]`;

  it('dead-letters each poison event, alone, with ENGINE.PROCESSING_FAILED on the topic and in the dead_letter table', async () => {
    await waitFor(`${poisons.length} dead letters`, () => deadLetterReader.messages.length >= poisons.length, 90_000);
    await deadLetterReader.settle(2000, 30_000);
    const letters = deadLetterReader.messages.map((m) => ({ origin: `${m.headers.dlq_original_topic}/${m.headers.dlq_original_partition}/${m.headers.dlq_original_offset}`, code: m.headers.dlq_error_code }));
    expect(letters.sort((a, b) => a.origin.localeCompare(b.origin))).toEqual(poisons.map((p) => ({ origin: origin(p.placement), code: 'ENGINE.PROCESSING_FAILED' })).sort((a, b) => a.origin.localeCompare(b.origin)));
    const rows: { event_id: string; error_code: string; kafka_offset: string }[] = await db.query(`SELECT event_id, error_code, kafka_offset FROM dead_letter ORDER BY event_id`);
    expect(rows).toEqual(poisons.map((p) => ({ event_id: p.event.id, error_code: 'ENGINE.PROCESSING_FAILED', kafka_offset: p.placement.offset })).sort((a, b) => a.event_id.localeCompare(b.event_id)));
  });

  it('decides every healthy event exactly once, those of the poison partitions too: decisions, tasks, records on the topics', async () => {
    const expected = await new ReferenceDecider().decideAll(healthy);
    const recordIds = [...expected.feedRecords.keys()];
    await waitFor(`${healthy.length} events decided`, async () => ((await db.query(`SELECT count(*)::int AS n FROM inbound_event WHERE status = 'processed'`)) as { n: number }[])[0].n >= healthy.length, 90_000);
    const inbox: { event_id: string }[] = await db.query(`SELECT event_id FROM inbound_event`);
    expect(inbox.map((r) => r.event_id).sort()).toEqual(healthy.map((e) => e.id).sort());
    expect(compareIds(expected.decisionIds, await idCounts(db, 'decision', 'id'))).toEqual({ missing: [], unexpected: [], duplicated: [] });
    expect(compareIds(expected.measureTaskIds, await idCounts(db, 'measure_task', 'id'))).toEqual({ missing: [], unexpected: [], duplicated: [] });
    expect(compareIds(recordIds, await decisionFeedRecordCounts(db))).toEqual({ missing: [], unexpected: [], duplicated: [] });
    await decisionReader.waitForCeIds(recordIds, 60_000);
    await decisionReader.settle(1500, 30_000);
    expect(compareIds(recordIds, decisionReader.ceIdCounts())).toEqual({ missing: [], unexpected: [], duplicated: [] });
  });

  it('retried the slices of the failed shared transaction alone: only the poison partitions spent attempts, each its own', async () => {
    await waitFor('every poison dead-lettered', () => deadLetterReader.messages.length >= poisons.length, 90_000);
    // Attempts spent, by partition: only the poison ones, each the engine's budget exactly.
    const attempts = new Map<string, number[]>();
    for (const [, where, attempt] of engine.log.matchAll(/failure on (\S+\[\d+\]) at \d+ \(attempt (\d+) of \d+\)/g)) attempts.set(where, [...(attempts.get(where) ?? []), Number(attempt)]);
    const budget = Array.from({ length: MAX_BATCH_ATTEMPTS }, (_, i) => i + 1);
    expect(Object.fromEntries(attempts)).toEqual(Object.fromEntries(poisons.map((p) => [slot(p.placement), budget])));
    // And this was no accident of timing: a shared transaction held a poison slice with healthy ones, and failed.
    const shared = [...engine.log.matchAll(/a transaction of (\d+) slices \(([^)]*)\) failed, each retries alone/g)];
    expect(shared.some((m) => Number(m[1]) > 1 && poisons.some((p) => m[2].includes(slot(p.placement))))).toBe(true);
  });

  // Runs last: the failed transactions above held resident IDs and names.
  it("writes no resident ID of the failed transactions' events to the engine's log", () => {
    const ids = [...healthy, ...poisons.map((p) => p.event)].flatMap((e) => [e.data.subject.id, ...(e.data.relatedPersons ?? []).map((p) => p.id)]);
    expect(ids.some((id) => /^\d{17}[\dX]$/.test(id))).toBe(true);
    expect(ids.filter((id) => engine.log.includes(id))).toEqual([]);
  });
});
