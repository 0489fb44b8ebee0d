import { DataSource } from 'typeorm';
import { AppProcess, freePort } from '../support/app-process';
import { TcpProxy } from '../support/tcp-proxy';
import { CreditEventGenerator } from './support/credit-events';
import { PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, requireBroker, waitFor } from './support/kafka-test-env';
import { openCleanTestDatabase } from './support/test-db';

/**
 * The database away for longer than a slice's attempts (maxBatchAttempts, 3) would last: the
 * slice's failures are transient, so they spend no attempt. Once PostgreSQL is back the slice is
 * decided as it came, in one transaction (its inbox rows share one xmin), not broken up message
 * by message as a poison slice is, and nothing is dead-lettered. PostgreSQL is taken away by
 * cutting the engine's connections to it (a TCP proxy in between).
 */
jest.setTimeout(120_000);

describe('Kafka consumer through a database outage', () => {
  let run: KafkaRun;
  let db: DataSource;
  let proxy: TcpProxy;
  let fleet: AppFleet;
  let engine: AppProcess;
  let producer: PublishingDepartments;

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('database-outage');
    const database = await openCleanTestDatabase();
    db = database.db;
    const direct = new URL(database.url);
    proxy = await TcpProxy.start(await freePort(), { host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    fleet = new AppFleet(run, database.url);
    engine = await fleet.start('decision-engine', { DATABASE_URL: viaProxy.toString() });
    producer = new PublishingDepartments(run);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await fleet?.stopAll();
    await proxy?.down();
    await db?.destroy();
  });

  it('retries the slice without spending its attempts, then decides it whole in one transaction and dead-letters nothing', async () => {
    const events = new CreditEventGenerator(run.id, 29, (t) => t.source === '/departments/court');
    const sent = Array.from({ length: 6 }, () => events.next());

    await proxy.down();
    await producer.send(sent.map((event) => ({ ...structuredMessage(event), partition: 0 })));
    // Long enough for more transient failures than the slice has attempts (backoff from 200 ms).
    await waitFor('five transient failures', () => (engine.log.match(/transient failure on \S+court\S*\[0\]/g) ?? []).length >= 5, 60_000);
    await proxy.up();

    const ids = sent.map((e) => e.id);
    const rows = await waitFor(
      'the events decided',
      async () => {
        const found = (await db.query(`SELECT event_id, xmin::text AS xmin FROM inbound_event WHERE event_id = ANY($1) AND status = 'processed'`, [ids])) as { event_id: string; xmin: string }[];
        return found.length === ids.length ? found : undefined;
      },
      60_000,
    );
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM dead_letter WHERE topic LIKE $1`, [`${run.prefix}%`])) as { n: number }[];
    expect(n).toBe(0);
    expect(engine.log).not.toMatch(/unexpected failure on|could not decide/);
  });
});
