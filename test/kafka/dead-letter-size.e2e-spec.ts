import { Kafka, Partitioners, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { readDeadLetterKeyring } from '@app/config';
import { MAX_DEAD_LETTER_BYTES } from '@app/messaging';
import { DeadLetterCipher, DeadLetterRepository } from '@app/persistence';
import { AppProcess } from '../support/app-process';
import { CreditEventGenerator } from './support/credit-events';
import { structuredMessage } from './support/department-producer';
import { AppFleet, departmentKafka, KafkaRun, newKafkaRun, plainKafka, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { openCleanTestDatabase } from './support/test-db';
import { TopicReader } from './support/topic-reader';

/**
 * A refused message as large as its topic takes (the broker's default message.max.bytes, which
 * the dead-letter topic has too) makes a dead letter the broker would refuse once the dlq_*
 * headers are added: it is published truncated, with the reason, its whole body is in the
 * dead_letter table, and the partition moves on (the valid event after it is decided).
 */
jest.setTimeout(120_000);

describe('Kafka dead letters too large for the dead-letter topic', () => {
  let run: KafkaRun;
  let topics: ReturnType<typeof topicsOf>;
  let db: DataSource;
  let fleet: AppFleet;
  let engine: AppProcess;
  let producer: Producer;
  let deadLetters: TopicReader;

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('dead-letter-size');
    topics = topicsOf(run);
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    engine = await fleet.start('decision-engine');
    const court: Kafka = departmentKafka(run, 'court', { retry: { retries: 0 } });
    producer = court.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    deadLetters = await TopicReader.start(plainKafka(`${run.id}-reader`), [topics.deadLetters]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetters?.stop();
    await fleet?.stopAll();
    await db?.destroy();
  });

  /** The largest message the topic takes, to within 40 bytes: tried from the broker's default limit down. */
  const sendLargest = async (topic: string): Promise<{ offset: string; value: string }> => {
    for (let bytes = 1_048_588 - 40; bytes > 1_040_000; bytes -= 40) {
      const head = JSON.stringify({ specversion: '1.0', id: `${run.id}-huge`, source: '/departments/court', type: 'credit.penalty.imposed.v1', pad: '' }).slice(0, -2);
      const value = `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
      try {
        const [metadata] = await producer.send({ topic, acks: -1, messages: [{ key: null, value, partition: 0 }] });
        return { offset: metadata.baseOffset!, value };
      } catch (error) {
        if (!/larger than the max message size/i.test((error as Error).message)) throw error;
      }
    }
    throw new Error(`${topic} took no message near its limit`);
  };

  it('publishes it truncated with its reason, keeps it whole in the dead_letter table, and decides what follows', async () => {
    const topic = topics.inboundFor('court');
    const huge = await sendLargest(topic);
    const valid = new CreditEventGenerator(run.id, 71, (t) => t.source === '/departments/court').next();
    await producer.send({ topic, acks: -1, messages: [{ ...structuredMessage(valid), partition: 0 }] });

    const letter = await waitFor('the dead letter', () => deadLetters.messages.find((m) => m.headers.dlq_original_offset === huge.offset && m.headers.dlq_original_topic === topic), 60_000);
    expect(letter.headers).toMatchObject({ dlq_error_code: 'EVENT.TOO_LARGE', dlq_original_partition: '0', dlq_truncated: expect.stringContaining('dead_letter table') });
    expect(Number(letter.headers.dlq_original_bytes)).toBeGreaterThan(huge.value.length);
    expect(letter.value!.length).toBeLessThanOrEqual(MAX_DEAD_LETTER_BYTES);
    expect(huge.value.startsWith(letter.value!)).toBe(true);

    // The partition moved on: the valid event after it is decided.
    await waitFor('the valid event decided', async () => ((await db.query(`SELECT 1 FROM inbound_event WHERE event_id = $1 AND status = 'processed'`, [valid.id])) as unknown[]).length === 1, 60_000);

    const [row] = (await db.query(`SELECT id::text AS id FROM dead_letter WHERE topic = $1 AND kafka_offset = $2`, [topic, huge.offset])) as { id: string }[];
    const repository = new DeadLetterRepository(db, new DeadLetterCipher(readDeadLetterKeyring({}).keyring!));
    expect(repository.open((await repository.find(row.id))!)).toBe(huge.value);
    // Sent once, not retried: the engine never logged a failed dead-letter send.
    expect(engine.log).not.toMatch(/dead-letter send .* failed/);
    expect(deadLetters.messages.filter((m) => m.headers.dlq_original_offset === huge.offset)).toHaveLength(1);
  });
});
