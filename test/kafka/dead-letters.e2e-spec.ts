import { Kafka, Message } from 'kafkajs';
import { DataSource } from 'typeorm';
import { readDeadLetterKeyring } from '@app/config';
import { DeadLetterCipher, DeadLetterRepository } from '@app/persistence';
import { AppProcess } from '../support/app-process';
import { breakCheckCharacter, compareIds, CreditEventGenerator, ExpectedOutcome, RawCloudEvent, ReferenceDecider } from './support/credit-events';
import { binaryMessage, Placement, PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, plainKafka, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { decisionFeedRecordCounts, idCounts, openCleanTestDatabase } from './support/test-db';
import { headerStrings, TopicReader } from './support/topic-reader';

/**
 * Every class of message the engine must refuse, interleaved with valid events: each
 * refused message goes to the dead-letter topic with the reason and its origin in headers,
 * and to the dead_letter table; the valid events around it are decided as usual.
 */

// jest.config's project-level testTimeout is not applied by jest (it reads the global one): set it here.
jest.setTimeout(120_000);

interface Sent {
  label: string;
  message: Message;
  /** Expected dead-letter code; undefined for a valid event. */
  code?: string;
  event?: RawCloudEvent;
  placement?: Placement;
}

describe('Kafka dead letters: refused messages are set aside, valid ones decided', () => {
  let run: KafkaRun;
  let topics: ReturnType<typeof topicsOf>;
  let db: DataSource;
  let fleet: AppFleet;
  let engine: AppProcess;
  let kafka: Kafka;
  let producer: PublishingDepartments;
  let deadLetterReader: TopicReader;
  let decisionReader: TopicReader;
  const decider = new ReferenceDecider();
  const sent: Sent[] = [];
  const expected = new Map<string, ExpectedOutcome>();

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('dead-letters');
    topics = topicsOf(run);
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    engine = await fleet.start('decision-engine');
    kafka = plainKafka(`${run.id}-department`);
    producer = new PublishingDepartments(run);
    [deadLetterReader, decisionReader] = await Promise.all([
      TopicReader.start(kafka, [topics.deadLetters]),
      TopicReader.start(kafka, [topics.allDecisions], { keepValues: false }),
    ]);

    const events = new CreditEventGenerator(run.id, 31);
    // Round 1's valid events come from the court, whose topic also takes the messages without a readable source.
    const courtEvents = new CreditEventGenerator(`${run.id}-court`, 37, (t) => t.source === '/departments/court');
    /** A valid event that leads to at least one decision, so "decided" is visible in every table. */
    const valid = async (label: string, binary = false, from = events): Promise<Sent> => {
      for (;;) {
        const event = from.next();
        const outcome = await decider.decide(event);
        if (outcome.decisions.length === 0) continue;
        expected.set(event.id, outcome);
        return { label, event, message: binary ? binaryMessage(event) : structuredMessage(event) };
      }
    };
    const invalid = (label: string, code: string, message: Message): Sent => ({ label, code, message });
    /** A valid event, then spoiled by `mutate`. */
    const spoilt = (mutate: (e: RawCloudEvent) => void, predicate: (t: RawCloudEvent) => boolean = () => true): RawCloudEvent => {
      const event = events.nextWhere(predicate);
      mutate(event);
      return event;
    };
    const isJudgmentDebtorWithLegalRepresentative = (t: RawCloudEvent) =>
      t.type === 'credit.judgment-debtor.listed.v1' && (t.data.relatedPersons ?? []).some((p) => p.role === 'legal-representative');
    const json = (value: unknown): Message => ({ key: 'refused', value: JSON.stringify(value), headers: { 'content-type': 'application/cloudevents+json' } });

    const refusals: Sent[] = [
      invalid('not JSON', 'EVENT.MALFORMED_JSON', { key: 'garbage', value: '{"specversion": "1.0", "id": ', headers: { 'content-type': 'application/cloudevents+json' } }),
      invalid('no value at all (tombstone)', 'EVENT.MALFORMED_JSON', { key: 'tombstone', value: null }),
      invalid('JSON but not a CloudEvent', 'EVENT.NOT_CLOUDEVENT', json({ hello: 'world', amount: 42 })),
      invalid('a JSON array', 'EVENT.NOT_CLOUDEVENT', json([{ specversion: '1.0' }])),
      invalid('unknown event type', 'EVENT.UNKNOWN_TYPE', structuredMessage(spoilt((e) => (e.type = 'credit.unicorn.sighted.v1')))),
      invalid('unknown event type, binary mode', 'EVENT.UNKNOWN_TYPE', binaryMessage(spoilt((e) => (e.type = 'credit.unicorn.sighted.v1')))),
      invalid(
        'schema violation (a penalty severity outside the catalogue)',
        'EVENT.SCHEMA_VIOLATION',
        structuredMessage(spoilt((e) => (e.data.severity = 'catastrophic'), (t) => t.type === 'credit.penalty.imposed.v1')),
      ),
      invalid(
        'schema violation (a required field missing)',
        'EVENT.SCHEMA_VIOLATION',
        structuredMessage(spoilt((e) => delete (e.data as Record<string, unknown>).documentNumber)),
      ),
      invalid(
        'bad check character in the subject identifier',
        'SUBJECT.BAD_CHECK_DIGIT',
        structuredMessage(
          spoilt((e) => {
            e.data.subject.id = breakCheckCharacter(e.data.subject.id);
            e.subject = e.data.subject.id;
          }),
        ),
      ),
      invalid(
        "bad check character in a legal representative's resident ID",
        'SUBJECT.BAD_CHECK_DIGIT',
        structuredMessage(
          spoilt((e) => {
            const person = e.data.relatedPersons!.find((p) => p.role === 'legal-representative')!;
            person.id = breakCheckCharacter(person.id);
          }, isJudgmentDebtorWithLegalRepresentative),
        ),
      ),
      invalid(
        'the tax bureau publishing a judgment-debtor listing',
        'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED',
        structuredMessage(spoilt((e) => (e.source = '/departments/tax'), (t) => t.type === 'credit.judgment-debtor.listed.v1')),
      ),
      invalid(
        "the tax bureau adding to the court's list",
        'DEPARTMENT.LIST_NOT_ALLOWED',
        structuredMessage(spoilt((e) => (e.source = '/departments/tax'), (t) => t.type === 'credit.list-entry.added.v1' && t.data.listCode === 'judgment-debtor')),
      ),
      invalid('an unregistered department', 'DEPARTMENT.UNKNOWN', structuredMessage(spoilt((e) => (e.source = '/departments/ministry-of-magic')))),
      invalid(
        'a conduct that ends in the future',
        'EVENT.SCHEMA_VIOLATION',
        structuredMessage(spoilt((e) => ((e.data as Record<string, unknown>).conductEndedOn = '2099-01-01'), (t) => t.type === 'credit.judgment-debtor.listed.v1')),
      ),
    ];

    // Round 1: into partition 0 of each publisher's topic, so one engine batch of the court's topic mixes good and bad.
    const round1: Sent[] = [];
    for (const refusal of refusals) round1.push(await valid(`valid before "${refusal.label}"`, false, courtEvents), refusal);
    round1.push(await valid('valid, binary mode', true, courtEvents));
    const placements = await producer.send(round1.map((s) => ({ ...s.message, partition: 0 })));
    round1.forEach((s, i) => (s.placement = placements[i]));
    sent.push(...round1);

    // Round 2: the same classes one message at a time, partitioned by key as producers do.
    for (const refusal of refusals) {
      for (const s of [await valid(`valid (round 2) before "${refusal.label}"`, sent.length % 2 === 0), { ...refusal, label: `${refusal.label} (round 2)` }]) {
        [s.placement] = await producer.send([s.message]);
        sent.push(s);
      }
    }
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetterReader?.stop();
    await decisionReader?.stop();
    await fleet?.stopAll();
    await db?.destroy();
  });

  const refused = () => sent.filter((s) => s.code);
  const accepted = () => sent.filter((s) => !s.code);
  const origin = (s: Sent) => `${s.placement!.topic}/${s.placement!.partition}/${s.placement!.offset}`;

  it('puts every refused message on the dead-letter topic with its reason and origin', async () => {
    await waitFor(`${refused().length} dead letters`, () => deadLetterReader.messages.length >= refused().length, 60_000);
    const letters = new Map(deadLetterReader.messages.map((m) => [`${m.headers.dlq_original_topic}/${m.headers.dlq_original_partition}/${m.headers.dlq_original_offset}`, m]));

    for (const s of refused()) {
      const letter = letters.get(origin(s));
      expect({ label: s.label, found: letter !== undefined }).toEqual({ label: s.label, found: true });
      expect({ label: s.label, code: letter!.headers.dlq_error_code }).toEqual({ label: s.label, code: s.code });
      expect(letter!.headers.dlq_error_message?.length).toBeGreaterThan(0);
      expect(letter!.headers.dlq_original_topic).toBe(s.placement!.topic);
      // The original message is preserved: key, value and its own headers.
      expect(letter!.key).toBe(s.message.key ?? null);
      expect(letter!.value ?? null).toBe(s.message.value === null ? null : String(s.message.value));
      expect(letter!.headers).toMatchObject(headerStrings(s.message.headers));
    }
  });

  it('dead-letters nothing else, and each refused message once', async () => {
    await deadLetterReader.settle(2000, 30_000);
    const origins = deadLetterReader.messages.map((m) => `${m.headers.dlq_original_topic}/${m.headers.dlq_original_partition}/${m.headers.dlq_original_offset}`);
    expect(origins.sort()).toEqual(refused().map(origin).sort());
  });

  it('counts every dead letter in credit_events_dead_lettered_total by publishing department and refusal code', async () => {
    await deadLetterReader.settle(2000, 30_000);
    const expected = new Map<string, number>();
    for (const s of refused()) {
      const department = /credit\.events\.([a-z0-9-]+)\.v1$/.exec(s.placement!.topic)?.[1] ?? 'unknown';
      const key = `department="${department}",code="${s.code}"`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const text = await (await fetch(`${engine.baseUrl}/metrics`)).text();
    const counted = new Map([...text.matchAll(/^credit_events_dead_lettered_total\{([^}]*)\} ([0-9.]+)$/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(expected));
  });

  it('records every refused message in the dead_letter table, its body sealed and nothing personal in clear', async () => {
    const rows = await waitFor(
      `${refused().length} dead_letter rows`,
      async () => {
        const found: { id: string; error_code: string; message: string; topic: string; partition: number; kafka_offset: string; clear: string }[] = await db.query(
          `SELECT id::text AS id, error_code, message, topic, partition, kafka_offset, (to_jsonb(d) - 'sealed')::text AS clear FROM dead_letter d`,
        );
        return found.length >= refused().length ? found : undefined;
      },
      30_000,
    );
    expect(rows).toHaveLength(refused().length);
    // The engine runs on the development key (DEAD_LETTER_KEYS unset).
    const repository = new DeadLetterRepository(db, new DeadLetterCipher(readDeadLetterKeyring({}).keyring!));
    const byOrigin = new Map(rows.map((r) => [`${r.topic}/${r.partition}/${r.kafka_offset}`, r]));
    for (const s of refused()) {
      const row = byOrigin.get(origin(s));
      const stored = row && (await repository.find(row.id));
      expect({ label: s.label, row: row && { code: row.error_code, topic: row.topic, raw: stored && repository.open(stored) } }).toEqual({
        label: s.label,
        row: { code: s.code, topic: s.placement!.topic, raw: s.message.value === null ? '' : String(s.message.value) },
      });
      expect(row!.message.length).toBeGreaterThan(0);
      // Every column but the sealed body (whose hex could hold any digit run), as text.
      expect({ label: s.label, residentIds: row!.clear.match(/\d{17}[\dX]/g) ?? [] }).toEqual({ label: s.label, residentIds: [] });
      for (const name of personNames(s.message.value)) expect({ label: s.label, name: row!.clear.includes(name) }).toEqual({ label: s.label, name: false });
    }
    // Nothing refused reached the inbox of processed events.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM inbound_event`);
    expect(n).toBe(accepted().length);
  });

  it('decides every valid event around them: decisions, measure tasks and records on the topics', async () => {
    const all = [...expected.values()];
    const decisionIds = all.flatMap((o) => o.decisionIds);
    const taskIds = all.flatMap((o) => o.measureTaskIds);
    const recordIds = all.flatMap((o) => [...o.feedRecords.keys()]);

    await waitFor(`${decisionIds.length} decisions`, async () => (await idCounts(db, 'decision', 'id')).size >= decisionIds.length, 60_000);
    expect(compareIds(decisionIds, await idCounts(db, 'decision', 'id'))).toEqual({ missing: [], unexpected: [], duplicated: [] });
    expect(compareIds(taskIds, await idCounts(db, 'measure_task', 'id'))).toEqual({ missing: [], unexpected: [], duplicated: [] });
    expect(compareIds(recordIds, await decisionFeedRecordCounts(db))).toEqual({ missing: [], unexpected: [], duplicated: [] });

    await decisionReader.waitForCeIds(recordIds, 60_000);
    await decisionReader.settle(1500, 30_000);
    expect(compareIds(recordIds, decisionReader.ceIdCounts())).toEqual({ missing: [], unexpected: [], duplicated: [] });
  });

  // Runs last: every refusal above, resident IDs and names among them, went through the engine by now.
  it("writes no resident ID and no person's name to the engine's log", () => {
    const names = sent.flatMap((x) => personNames(x.message.value));
    // The scan means something only if the refused traffic carried resident IDs and names.
    expect(refused().map((x) => String(x.message.value ?? '')).join('\n')).toMatch(/\b\d{17}[\dX]\b/);
    expect(refused().flatMap((x) => personNames(x.message.value)).length).toBeGreaterThan(0);
    expect(engine.log).not.toMatch(/\b\d{17}[\dX]\b/);
    for (const name of names) expect(engine.log).not.toContain(name);
  });
});

/** Names of the natural persons a message names (structured mode: in `data`; binary mode: the value is `data`). */
function personNames(value: Message['value']): string[] {
  try {
    const parsed = JSON.parse(String(value ?? '')) as { data?: RawCloudEvent['data'] } & RawCloudEvent['data'];
    const data = parsed.data ?? parsed;
    return [data.subject, ...(data.relatedPersons ?? [])].filter((p) => p?.idType === 'RESIDENT_ID' && typeof p.name === 'string').map((p) => p.name);
  } catch {
    return [];
  }
}
