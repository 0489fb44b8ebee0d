import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CreditEvent, departmentOf } from '@app/domain';
import { CreditEventGenerator } from '@app/rules/testing';
import { AppProcess, freePort } from '../support/app-process';
import { openTestDatabase, ownTestDatabaseUrl } from '../support/database';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * While the database is away the APIs answer 503 SERVICE.UNAVAILABLE with Retry-After, at
 * once and storing nothing, and they recover by themselves when it is back. The real
 * PostgreSQL is taken away by cutting the apps' connections to it (a TCP proxy in between).
 */
jest.setTimeout(120_000);

describe('database unavailable: 503 with Retry-After, then recovery', () => {
  let db: DataSource;
  let proxy: TcpProxy;
  let ingest: AppProcess;
  let query: AppProcess;
  let databaseUrl: string;

  beforeAll(async () => {
    const url = (databaseUrl = await ownTestDatabaseUrl('unavailable'));
    db = await openTestDatabase(url); // migrated before the apps start
    const direct = new URL(url);
    proxy = await TcpProxy.start(await freePort(), { host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(url);
    viaProxy.port = String(proxy.port);
    const env = { DATABASE_URL: viaProxy.toString(), TRANSPORT: 'postgres' };
    [ingest, query] = await Promise.all([freePort().then((p) => AppProcess.start('ingest-api', env, p)), freePort().then((p) => AppProcess.start('query-api', env, p))]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), query?.stop()]);
    await proxy?.down();
    await db?.destroy();
  });

  const events = new CreditEventGenerator({ seed: 503, strayPublisherRate: 0 });
  const run = `down-${Date.now().toString(36)}`;
  const nextEvent = (): CreditEvent => {
    for (;;) {
      const event = events.next();
      // An event its publisher may send on every list: the 202 must not depend on the generator's vocabulary.
      if (event.type === 'credit.penalty.imposed.v1') return { ...event, id: `${run}-${event.id}` } as CreditEvent;
    }
  };
  const post = (event: CreditEvent) =>
    fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${departmentOf(event.source)}-token`, 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(20_000),
    });

  it('answers 503 SERVICE.UNAVAILABLE with Retry-After while the database is away, and 202 again once it is back', async () => {
    const before = nextEvent();
    expect((await post(before)).status).toBe(202);

    await proxy.down();
    const during = nextEvent();
    const started = Date.now();
    const refused = await post(during);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as { code: string }).code).toBe('SERVICE.UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(10_000);
    const feed = await fetch(`${query.baseUrl}/v1/feed?after=0`, { headers: { authorization: 'Bearer dev-finance-token' }, signal: AbortSignal.timeout(20_000) });
    expect(feed.status).toBe(503);
    expect(feed.headers.get('retry-after')).toMatch(/^\d+$/);

    await proxy.up();
    let answer = 0;
    for (const deadline = Date.now() + 30_000; answer !== 202 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) answer = (await post(during)).status;
    expect(answer).toBe(202);
    // The refused attempt stored nothing: the first accepted one was the retry.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM inbound_event WHERE event_id = $1`, [during.id]);
    expect(n).toBe(1);
    expect((await fetch(`${query.baseUrl}/v1/feed?after=0`, { headers: { authorization: 'Bearer dev-finance-token' } })).status).toBe(200);
    for (const app of [ingest, query]) expect(app.log.match(/.*ERROR \[DomainErrorFilter\].*/g) ?? []).toEqual([]);
  });

  it('answers 503 while PostgreSQL refuses connections to the database (closed for maintenance), and 202 once it accepts them', async () => {
    const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
    const maintenance = new URL(databaseUrl);
    maintenance.pathname = '/postgres';
    const admin = new Client({ connectionString: maintenance.toString() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      const closed = nextEvent();
      const refused = await post(closed);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { code: string }).code).toBe('SERVICE.UNAVAILABLE');
      // A second request finds no pooled connection left and is refused at connect time.
      expect((await post(closed)).status).toBe(503);

      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} ALLOW_CONNECTIONS true`);
      expect((await post(closed)).status).toBe(202);
    } finally {
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    }
    for (const app of [ingest, query]) expect(app.log.match(/.*ERROR \[DomainErrorFilter\].*/g) ?? []).toEqual([]);
  });
});
