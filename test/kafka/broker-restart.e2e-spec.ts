import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { brokerPid, kafkaSh } from './support/broker-control';
import { CreditEventGenerator, ReferenceDecider } from './support/credit-events';
import { PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, plainKafka, requireBroker, sleep, topicsOf, waitFor } from './support/kafka-test-env';
import { checkDatabase, checkTopics, DATABASE_MATCHES, progress, topicsMatch, waitUntilAllDecidedAndPublished } from './support/outcome-check';
import { openCleanTestDatabase } from './support/test-db';

/**
 * The broker goes down and comes back (scripts/kafka.sh restart, data kept) in the middle
 * of a stream: the department's producer retries, the engine's consumer and outbox relay
 * reconnect, and in the end every event has exactly its decisions, in the database and on
 * the department topics: nothing lost, nothing twice.
 */

const EVENTS = 500;
/** Events produced before the restart starts; the engine is busy with them when it does. */
const BEFORE_RESTART = 150;
/** Events produced once the broker is back, at the latest. */
const AFTER_RESTART = 100;

jest.setTimeout(300_000);

describe('Kafka broker restart in the middle of a stream', () => {
  let run: KafkaRun;
  let db: DataSource;
  let fleet: AppFleet;
  let kafka: Kafka;
  let producer: PublishingDepartments;
  let restarted = false;

  beforeAll(async () => {
    await requireBroker();
    // This test restarts the broker through scripts/kafka.sh, so it must be that broker.
    await kafkaSh('status').catch((error: Error) => {
      throw new Error(`the broker-restart test needs the broker of scripts/kafka.sh (bash scripts/kafka.sh start): ${error.message}`);
    });
    run = newKafkaRun('broker-restart');
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    await fleet.start('decision-engine');
    kafka = plainKafka(`${run.id}-department`);
    producer = new PublishingDepartments(run);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await fleet?.stopAll();
    await db?.destroy();
    // Never leave the next test without the broker this test restarted, whatever happened here.
    if (restarted && !(await kafkaSh('status').then(() => true, () => false))) await kafkaSh('start', { KAFKA_KEEP_DATA: '1' }).catch(() => undefined);
  });

  it('loses nothing and duplicates nothing', async () => {
    const events = new CreditEventGenerator(run.id, 4242).batch(EVENTS);
    const expected = await new ReferenceDecider().decideAll(events);
    const pidBefore = brokerPid();
    const started = Date.now();

    let produced = 0;
    const produce = async () => {
      await producer.send([structuredMessage(events[produced])]);
      produced++;
    };

    // 1. A first part of the stream, and the engine at work on it.
    while (produced < BEFORE_RESTART) await produce();
    await waitFor('the engine to start deciding', async () => (await progress(db)).events > 0, 60_000, 100);

    // 2. Restart the broker while producing on, paced so that sends hit the stopped broker.
    let restartDone = false;
    restarted = true;
    const atRestart = await progress(db);
    const restart = kafkaSh('restart').finally(() => (restartDone = true));
    restart.catch(() => undefined);
    const restartStarted = Date.now();
    while (!restartDone && produced < EVENTS - AFTER_RESTART) {
      await produce();
      await sleep(25);
    }
    const producedDuringRestart = produced - BEFORE_RESTART;
    const restartOutput = await restart;
    const restartSeconds = (Date.now() - restartStarted) / 1000;
    expect(brokerPid()).not.toBe(pidBefore);

    // 3. The rest once the broker is back.
    while (produced < EVENTS) await produce();
    const producedAt = Date.now();

    const done = await waitUntilAllDecidedAndPublished(db, EVENTS, expected.feedRecords.size, 240_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${fleet.logs()}`);
    });
    console.log(
      `broker restart: ${EVENTS} events (restart began with ${atRestart.events} decided and ${atRestart.published} of ${atRestart.feedRecords} feed records published; ` +
        `${producedDuringRestart} produced while the broker restarted in ${restartSeconds.toFixed(1)} s, ` +
        `${producer.retries} producer retries), all decided and published ${((Date.now() - producedAt) / 1000).toFixed(1)} s after the last send, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s in all; ${done.feedRecords} feed records\n${restartOutput.trim()}`,
    );

    expect(await checkDatabase(db, expected)).toEqual(DATABASE_MATCHES);
    expect(await checkTopics(kafka, run, expected.feedRecords, 120_000)).toEqual(topicsMatch(expected.feedRecords.size));
  });
});
