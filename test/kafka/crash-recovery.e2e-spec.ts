import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppProcess } from '../support/app-process';
import { CreditEventGenerator, RawCloudEvent, ReferenceDecider, seededRandom } from './support/credit-events';
import { PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, plainKafka, requireBroker, sleep, topicsOf, waitFor } from './support/kafka-test-env';
import { checkDatabase, checkTopics, DATABASE_MATCHES, progress, Progress, topicsMatch, waitUntilAllDecidedAndPublished } from './support/outcome-check';
import { openCleanTestDatabase } from './support/test-db';

/**
 * The crash test: thousands of varied events, and the engine killed with SIGKILL several
 * times while it decides and publishes them, restarted each time. In the end every event
 * has exactly the decisions the reference evaluator gives it, in the database and on the
 * department topics: none missing, none twice.
 */

const EVENTS = Number(process.env.CRASH_TEST_EVENTS ?? 3000);
/** Kill when this share of the events is decided (plus a random delay, so kills land at varied points). */
const KILL_AT = [0.1, 0.3, 0.5, 0.7];
const SEED = Number(process.env.CRASH_TEST_SEED ?? 20261120);

jest.setTimeout(420_000);

describe('Kafka crash recovery: engine killed with SIGKILL while processing', () => {
  let run: KafkaRun;
  let db: DataSource;
  let fleet: AppFleet;
  let kafka: Kafka;
  let producer: PublishingDepartments;

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('crash');
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    kafka = plainKafka(`${run.id}-department`);
    producer = new PublishingDepartments(run);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await fleet?.stopAll();
    await db?.destroy();
  });

  it(`decides ${EVENTS} events exactly once across ${KILL_AT.length} crashes`, async () => {
    const events = new CreditEventGenerator(run.id, SEED).batch(EVENTS);
    const expected = await new ReferenceDecider().decideAll(events);
    const random = seededRandom(SEED);
    console.log(`crash test: seed ${SEED}, ${EVENTS} events of ${new Set(events.map((e) => e.type)).size} types → ${expected.decisionIds.length} decisions, ${expected.measureTaskIds.length} measure tasks, ${expected.feedRecords.size} feed records`);

    const started = Date.now();
    let engine: AppProcess = await fleet.start('decision-engine');
    // The stream arrives while the engine works: produced in the background, in producer-sized batches.
    const production = produceAll(producer, events);
    production.catch(() => undefined);

    const fail = (error: Error): never => {
      throw new Error(`${error.message}\n${fleet.logs()}`);
    };
    const kills: { at: number; progress: Progress }[] = [];
    const recoveries: number[] = [];
    for (const share of KILL_AT) {
      await waitFor(`${Math.round(share * 100)} % of the events decided`, async () => (await progress(db)).events >= share * EVENTS, 120_000, 50).catch(fail);
      await sleep(Math.floor(random() * 150));
      await engine.stop('SIGKILL');
      const at = Date.now();
      const state = await progress(db);
      kills.push({ at, progress: state });
      console.log(`crash test: SIGKILL ${kills.length} at ${((at - started) / 1000).toFixed(1)} s: ${JSON.stringify(state)}`);
      // It died while it had work left: events still to decide or decision records still to publish.
      expect(state.events < EVENTS || state.published < state.feedRecords).toBe(true);
      engine = await fleet.start('decision-engine');
      // Recovered once it decides again (after its boot and the consumer group's rebalance).
      await waitFor('the restarted engine to decide again', async () => (await progress(db)).events > state.events, 120_000, 100).catch(fail);
      recoveries.push(Date.now() - at);
      console.log(`crash test: engine ${kills.length + 1} deciding again ${((Date.now() - at) / 1000).toFixed(1)} s after the kill`);
    }
    await production;

    await waitUntilAllDecidedAndPublished(db, EVENTS, undefined, 240_000).catch(fail);
    const decidedAt = Date.now();
    const recovering = recoveries.reduce((a, b) => a + b, 0);
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);
    console.log(
      [
        `crash test: all ${EVENTS} events decided ${seconds(decidedAt - started)} s after the first engine was up, across ${kills.length} SIGKILLs`,
        `  kills at (events decided / feed records / published): ${kills.map((k) => `${k.progress.events}/${k.progress.feedRecords}/${k.progress.published}`).join(', ')}`,
        `  recovery after each kill (restart, consumer-group rejoin, first decision): ${recoveries.map((r) => `${seconds(r)} s`).join(', ')}`,
        `  throughput: ${rate(EVENTS, decidedAt - started)} events/s overall (recoveries included); ` +
          `${rate(EVENTS, decidedAt - started - recovering)} events/s, ${rate(expected.decisionIds.length, decidedAt - started - recovering)} decisions/s, ` +
          `${rate(expected.feedRecords.size, decidedAt - started - recovering)} feed records/s written while an engine was running`,
      ].join('\n'),
    );
    // Exactly once in the database, whatever the relay does next.
    expect(await checkDatabase(db, expected)).toEqual(DATABASE_MATCHES);

    const done = await waitUntilAllDecidedAndPublished(db, EVENTS, expected.feedRecords.size, 240_000).catch(fail);
    const publishedAt = Date.now();
    console.log(
      `crash test: all ${done.feedRecords} feed records published ${seconds(publishedAt - started)} s after the first engine was up ` +
        `(${seconds(publishedAt - decidedAt)} s after the last decision): ${rate(done.feedRecords, publishedAt - started - recovering)} records/s while running`,
    );
    // Exactly once on the department topics.
    expect(await checkTopics(kafka, run, expected.feedRecords, 180_000)).toEqual(topicsMatch(expected.feedRecords.size));
  });
});

async function produceAll(producer: PublishingDepartments, events: readonly RawCloudEvent[], batch = 100): Promise<void> {
  for (let i = 0; i < events.length; i += batch) {
    await producer.send(events.slice(i, i + batch).map(structuredMessage));
    await sleep(20);
  }
}
