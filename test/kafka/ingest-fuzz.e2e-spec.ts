import { Admin, Kafka, Message } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CreditEvent, departmentOf } from '@app/domain';
import { httpStatusFor, isErrorCode } from '@app/http';
import { CreditEventGenerator, Prng } from '@app/rules/testing';
import { AppProcess } from '../support/app-process';
import { openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { bytesOf, changedContent, meets, mutate, Mutated } from '../support/event-mutations';
import { RawCloudEvent } from './support/credit-events';
import { binaryMessage, PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, plainKafka, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { TopicReader } from './support/topic-reader';

/**
 * Seeded fuzzing of the Kafka intake: a department's producer writes thousands of mutated
 * messages to the run's inbound topic, the real engine consumes them. Every message must
 * end decided, recognised as a redelivery, or dead-lettered with a specific 4xx-class code
 * (never ENGINE.PROCESSING_FAILED), and as its mutation requires: an invalid event
 * dead-lettered with one of the mutation's codes, a valid one not dead-lettered. The engine
 * must not log a batch failure or die. The
 * ingest in Kafka mode must answer resubmissions as in embedded mode.
 */
jest.setTimeout(240_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const MESSAGES = 2000;
/** Header naming a mutated message's index: the dead letter keeps the original's headers. */
const MUTATION_HEADER = 'fuzz_mutation';

interface Letter {
  error_code: string;
  source: string | null;
  event_id: string | null;
  partition: number;
  kafka_offset: string;
}

describe('Kafka intake fuzz: every message decided, dropped as a copy, or dead-lettered with a specific code', () => {
  let run: KafkaRun;
  let topics: ReturnType<typeof topicsOf>;
  let db: DataSource;
  let fleet: AppFleet;
  let engine: AppProcess;
  let ingest: AppProcess;
  let kafka: Kafka;
  let admin: Admin;
  let producer: PublishingDepartments;
  let deadLetters: TopicReader;

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('ingest-fuzz');
    topics = topicsOf(run);
    const url = await ownTestDatabaseUrl('kafka_fuzz');
    db = await openTestDatabase(url);
    // This suite's own database: emptied so a mutated id cannot meet one of an earlier run.
    await truncateAll(db);
    fleet = new AppFleet(run, url);
    engine = await fleet.start('decision-engine');
    ingest = await fleet.start('ingest-api');
    kafka = plainKafka(`${run.id}-department`);
    admin = kafka.admin();
    await admin.connect();
    producer = new PublishingDepartments(run);
    deadLetters = await TopicReader.start(kafka, [topics.deadLetters], { keepValues: false });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetters?.stop();
    await admin?.disconnect();
    await fleet?.stopAll();
    await db?.destroy();
  });

  /** Ids made unique to this run: the database is kept between runs. */
  const generator = (seed: number) => {
    const events = new CreditEventGenerator({ seed, strayPublisherRate: 0.05 });
    return () => {
      const event = events.next();
      return { ...event, id: `${run.id}-${event.id}`.slice(0, 128) } as CreditEvent;
    };
  };

  const post = async (event: unknown) => {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${departmentOf((event as CreditEvent).source)}-token`, 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, body: (await response.json()) as { accepted?: { duplicate: boolean }[]; code?: string } };
  };

  const inbound = () => topics.allInbound();
  const messagesOnTopic = async () => (await Promise.all(inbound().map((t) => admin.fetchTopicOffsets(t)))).flat().reduce((n, p) => n + Number(p.high) - Number(p.low), 0);

  /** Wait until the engine's group has committed every offset of the inbound topic. */
  const consumedToTheEnd = () =>
    waitFor(
      'the engine to consume the inbound topic to its end',
      async () => {
        const [ends, committed] = await Promise.all([Promise.all(inbound().map((t) => admin.fetchTopicOffsets(t))), admin.fetchOffsets({ groupId: run.consumerGroup, topics: inbound() })]);
        return inbound().every((topic, i) => {
          const partitions = committed.find((c) => c.topic === topic)?.partitions ?? [];
          const done = new Map(partitions.map((p) => [p.partition, BigInt(p.offset === '-1' ? '0' : p.offset)]));
          return ends[i].every((end) => (done.get(end.partition) ?? 0n) >= BigInt(end.high));
        });
      },
      120_000,
      500,
    );

  it('answers resubmissions in Kafka mode as in embedded mode, before and after the engine decided', async () => {
    const next = generator(SEED + 1);
    let event = next();
    while ((await post(event)).status !== 202) event = next();
    expect((await post(event)).body.accepted).toEqual([expect.objectContaining({ duplicate: true })]);
    expect(await post(changedContent(event))).toMatchObject({ status: 409, body: { code: 'EVENT.ID_REUSED' } });

    await waitFor('the engine to decide it', async () => (await db.query(`SELECT 1 FROM inbound_event WHERE event_id = $1 AND status = 'processed'`, [event.id])).length === 1, 60_000);
    expect((await post(event)).body.accepted).toEqual([expect.objectContaining({ duplicate: true })]);

    // Produced around the ingest, the same id with other content is dead-lettered by the engine, with its identity.
    await producer.send([structuredMessage(changedContent(event) as unknown as RawCloudEvent)]);
    const letter = await waitFor('the reused id to be dead-lettered', async () => ((await db.query(`SELECT error_code, source, event_id FROM dead_letter WHERE event_id = $1`, [event.id])) as Letter[])[0], 60_000);
    expect(letter).toEqual({ error_code: 'EVENT.ID_REUSED', source: event.source, event_id: event.id });
  });

  it(`consumes ${MESSAGES} seeded mutated messages (seed ${SEED}) without a generic dead letter`, async () => {
    const prng = new Prng(SEED);
    const next = generator(SEED);
    const valid: CreditEvent[] = [];
    const resubmitted: string[] = [];
    const reusedOriginals: string[] = [];
    const messages: Message[] = [];
    const mutations: Mutated[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const roll = prng.next();
      if (roll < 0.05 && valid.length > 0) {
        const original = prng.pick(valid);
        resubmitted.push(original.id);
        messages.push(structuredMessage(original as unknown as RawCloudEvent));
      } else if (roll < 0.1 && valid.length > 0) {
        const original = prng.pick(valid);
        reusedOriginals.push(original.id);
        messages.push(structuredMessage(changedContent(original) as unknown as RawCloudEvent));
      } else {
        const event = next();
        const mutated = mutate(event, prng);
        const tag = { [MUTATION_HEADER]: String(mutations.push(mutated) - 1) };
        if (mutated.kind === 'valid') {
          valid.push(event);
          const message = prng.chance(0.3) ? binaryMessage(event as unknown as RawCloudEvent) : structuredMessage(event as unknown as RawCloudEvent);
          messages.push({ ...message, headers: { ...message.headers, ...tag } });
        } else {
          messages.push({ key: event.subject, value: bytesOf(mutated), headers: { 'content-type': 'application/cloudevents+json', ...tag } });
        }
      }
    }

    const started = Date.now();
    const [{ since }] = await db.query(`SELECT now() AS since`);
    const onTopicBefore = await messagesOnTopic();
    // In chunks, and large messages on their own: a broker record batch is at most 1 MB.
    const large = messages.filter((m) => (m.value as Buffer).length > 100_000);
    const small = messages.filter((m) => (m.value as Buffer).length <= 100_000);
    for (let i = 0; i < small.length; i += 200) await producer.send(small.slice(i, i + 200));
    for (const m of large) await producer.send([m]);
    const produced = Date.now();
    await consumedToTheEnd().catch((error: Error) => {
      throw new Error(`${error.message}\n${fleet.logs()}`);
    });
    const consumed = Date.now();
    // A producer retry may write a message twice: what counts is what the engine consumed.
    const onTopic = (await messagesOnTopic()) - onTopicBefore;

    // Counted by time, not id: a mutation may have changed an event's id.
    const letters: Letter[] = await db.query(`SELECT error_code, source, event_id, partition, kafka_offset FROM dead_letter WHERE topic = ANY($1) AND received_at >= $2`, [inbound(), since]);
    const [{ processed }] = await db.query(`SELECT count(*)::int AS processed FROM inbound_event WHERE received_at >= $1 AND status = 'processed'`, [since]);
    const processedIds = new Set(((await db.query(`SELECT event_id FROM inbound_event WHERE event_id = ANY($1)`, [[...resubmitted, ...reusedOriginals]])) as { event_id: string }[]).map((r) => r.event_id));
    // A copy of a refused original is refused again (a dead letter); a copy of a decided one is dropped.
    const copies = resubmitted.filter((id) => processedIds.has(id)).length;
    const reuses = reusedOriginals.filter((id) => processedIds.has(id)).length;
    const codes = new Map<string, number>();
    for (const l of letters) codes.set(l.error_code, (codes.get(l.error_code) ?? 0) + 1);
    console.log(
      `Kafka fuzz, seed ${SEED}: ${MESSAGES} messages produced in ${((produced - started) / 1000).toFixed(1)} s, consumed ${((consumed - started) / 1000).toFixed(1)} s after the first; ` +
        `${onTopic} on the topic (producer retries: ${producer.retries}); ${processed} decided, ${copies} dropped as copies, ${letters.length} dead-lettered: ${[...codes].map(([c, n]) => `${c} ×${n}`).join(', ')}`,
    );

    const generic = letters.filter((l) => !isErrorCode(l.error_code) || httpStatusFor(l.error_code) >= 500);
    expect(generic.slice(0, 10)).toEqual([]);
    // Every message accounted for, none twice.
    expect(onTopic).toBeGreaterThanOrEqual(MESSAGES);
    expect(processed + copies + letters.length).toBe(onTopic);
    // At least the deliberate ones: a mutated id may also collide with another event's.
    expect(codes.get('EVENT.ID_REUSED')).toBeGreaterThanOrEqual(reuses);
    await waitFor('every dead letter on the dead-letter topic', () => deadLetters.messages.length >= letters.length + 1, 30_000);
    expect(deadLetters.messages.map((m) => m.headers.dlq_error_code).filter((c) => !isErrorCode(c) || httpStatusFor(c) >= 500)).toEqual([]);

    // Each mutated message as its mutation requires (a producer retry may have written one twice: same outcome).
    const refusals = new Map<number, string>();
    for (const m of deadLetters.messages) if (m.headers[MUTATION_HEADER] !== undefined) refusals.set(Number(m.headers[MUTATION_HEADER]), m.headers.dlq_error_code);
    const byKind = new Map<string, Map<string, number>>();
    const unmet: string[] = [];
    mutations.forEach((mutated, i) => {
      const refusal = refusals.get(i);
      const counts = byKind.get(mutated.kind) ?? new Map<string, number>();
      counts.set(refusal ?? 'not dead-lettered', (counts.get(refusal ?? 'not dead-lettered') ?? 0) + 1);
      byKind.set(mutated.kind, counts);
      if (!meets(mutated.expected, refusal)) unmet.push(`mutation #${i} ${mutated.kind} (expected ${mutated.expected.expect}): ${refusal ?? 'not dead-lettered'}`);
    });
    console.log(`Kafka fuzz outcomes by mutation:\n  ${[...byKind].map(([kind, counts]) => `${kind}: ${[...counts].map(([o, n]) => `${o} ×${n}`).join(', ')}`).join('\n  ')}`);
    expect(unmet.slice(0, 20)).toEqual([]);
    expect(mutations.filter((m) => m.expected.expect === 'refused').length).toBeGreaterThan(500);
    expect({ exited: engine.child.exitCode, failures: engine.log.match(/.*(unexpected failure|Unhandled|unhandledRejection|uncaughtException|Maximum call stack).*/g) ?? [] }).toEqual({ exited: null, failures: [] });
  });
});
