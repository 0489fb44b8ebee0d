import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { SERVICE_PRINCIPALS } from '@app/config';
import { computeUsccCheckCharacter, relayedEventId, sha256Hex } from '@app/domain';
import { ownTestDatabaseUrl, openTestDatabase, truncateAll } from '../support/database';
import { AppProcess, freePort } from '../support/app-process';
import { TEST_KAFKA_CA } from '../support/kafka-broker';
import { RawCloudEvent } from './support/credit-events';
import { DepartmentProducer, structuredMessage } from './support/department-producer';
import { departmentKafka, KAFKA_BROKERS, kafkaAppEnv, KafkaRun, newKafkaRun, provisionRun, registeredDepartments, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';

/**
 * Two deployments of the engine on one machine (市区失信信息互通): the district (lizhou) and its
 * city (guangyuan), each with its own database, topic prefix, engine, exchange relay and bridge,
 * on the test broker standing for both clusters. What one decides under a linked memorandum
 * reaches the other as an event of the publisher standing for it, with its provenance, and is
 * decided there under its own memoranda; nothing comes back, nothing is decided twice.
 */
jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');
const uscc = (first17: string) => first17 + computeUsccCheckCharacter(first17);
const DEBTOR_UP = uscc('91510802MA6B3N4T1');
const DEBTOR_DOWN = uscc('91510800MA6C8Y2K3');
const DEBTOR_TWICE = uscc('91510802MA6B3N4T5');
const DEBTOR_RESTART = uscc('91510802MA6B3N4T7');
const PASSWORD = { lizhou: 'reader-secret-lizhou', guangyuan: 'reader-secret-guangyuan' };

interface Side {
  code: 'lizhou' | 'guangyuan';
  peer: 'lizhou' | 'guangyuan';
  /** The local publisher standing for the peer. */
  peerPublisher: string;
  run: KafkaRun;
  url: string;
  db: DataSource;
  env: Record<string, string>;
  apps: AppProcess[];
  bridge?: AppProcess;
  court: DepartmentProducer;
}

let sequence = 0;
const stamp = Date.now().toString(36);

function listing(subject: string, documentNumber: string): RawCloudEvent {
  return {
    specversion: '1.0',
    id: `exchange-${stamp}-${++sequence}`,
    source: '/departments/court',
    type: 'credit.judgment-debtor.listed.v1',
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: '广元市嘉禾商贸有限公司' }, decidedOn: '2026-11-20', documentNumber, reason: 'evading-execution' },
  } as unknown as RawCloudEvent;
}

function repair(subject: string, decisionId: string, documentNumber: string): RawCloudEvent {
  return {
    specversion: '1.0',
    id: `exchange-${stamp}-${++sequence}`,
    source: '/departments/court',
    type: 'credit.repair.approved.v1',
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: '广元市嘉禾商贸有限公司' }, decidedOn: '2026-11-25', documentNumber, decisionId },
  } as unknown as RawCloudEvent;
}

/** The registry of a side: the product's, and the peer deployment as a publisher of the court's events and list. */
function departmentsFile(dir: string, peerPublisher: string, peerName: string): string {
  const registry = JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8'));
  const court = registry.departments.find((d: { code: string }) => d.code === 'court');
  registry.departments.push({
    code: peerPublisher,
    kind: 'deployment',
    name: { zh: peerName, en: peerPublisher },
    publishes: { eventTypes: court.publishes.eventTypes, lists: court.publishes.lists },
    credentials: { tokens: [{ sha256: sha256Hex(`dev-${peerPublisher}-token`), label: 'development' }] },
  });
  const file = join(dir, `departments-${peerPublisher}.json`);
  writeFileSync(file, JSON.stringify(registry));
  return file;
}

function exchangeFile(dir: string, side: Pick<Side, 'code' | 'peer' | 'peerPublisher'>, peerRun: KafkaRun): string {
  const file = join(dir, `exchange-${side.code}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      deployment: side.code,
      links: [
        {
          peer: side.peer,
          outbound: { memoranda: ['judgment-debtors'], reader: `bridge-${side.peer}` },
          inbound: { publisher: side.peerPublisher, brokers: KAFKA_BROKERS.split(','), topicPrefix: peerRun.prefix, username: `bridge-${side.code}`, passwordEnv: 'PEER_PASSWORD', tlsCaFile: TEST_KAFKA_CA },
        },
      ],
    }),
  );
  return file;
}

/** `npm run kafka:department -- <args>` (the built command) as the admin principal of a side. */
function kafkaAdmin(side: Side, args: string[]): Promise<string> {
  const env = { ...process.env, ...side.env, KAFKA_USERNAME: SERVICE_PRINCIPALS.admin, KAFKA_INBOUND_PARTITIONS: '2', KAFKA_DECISION_PARTITIONS: '1' };
  return new Promise((done, fail) =>
    execFile(process.execPath, [resolve(ROOT, 'scripts/node-app.js'), resolve(ROOT, 'dist/apps/kafka-admin/src/main.js'), ...args], { cwd: ROOT, env, timeout: 90_000 }, (error, stdout, stderr) =>
      error ? fail(new Error(`${error.message}\n${stdout}${stderr}`)) : done(stdout),
    ),
  );
}

async function startBridge(side: Side): Promise<AppProcess> {
  const bridge = await AppProcess.start('exchange-bridge', { ...side.env, PEER_PASSWORD: PASSWORD[side.code] }, await freePort());
  side.apps.push(bridge);
  side.bridge = bridge;
  return bridge;
}

const entries = (side: Side, subject: string) =>
  side.db.query(`SELECT state, document_number AS "documentNumber", identifying_department AS "identifyingDepartment", decision_id::text AS "decisionId" FROM list_entry WHERE subject_id = $1 ORDER BY created_at`, [subject]) as Promise<
    { state: string; documentNumber: string; identifyingDepartment: string; decisionId: string }[]
  >;
const inbound = (side: Side, subject: string) =>
  side.db.query(`SELECT source, event_id AS "eventId", type FROM inbound_event WHERE subject_id = $1 ORDER BY seq`, [subject]) as Promise<{ source: string; eventId: string; type: string }[]>;
const outboxOf = (side: Side) => side.db.query(`SELECT event_source AS "eventSource", event_id AS "eventId", published_at IS NOT NULL AS published FROM exchange_outbox ORDER BY seq`) as Promise<{ eventSource: string; eventId: string; published: boolean }[]>;

describe('Kafka: a district and its city exchange listings, removals and repairs (two deployments)', () => {
  const sides = {} as Record<'lizhou' | 'guangyuan', Side>;
  let lizhou: Side;
  let guangyuan: Side;

  beforeAll(async () => {
    await requireBroker();
    const dir = mkdtempSync(join(tmpdir(), 'exchange-e2e-'));
    const runs = { lizhou: newKafkaRun('exchange-lizhou'), guangyuan: newKafkaRun('exchange-guangyuan') };
    for (const [code, peer, peerPublisher, peerName] of [
      ['lizhou', 'guangyuan', 'guangyuan-city', '广元市信用平台'],
      ['guangyuan', 'lizhou', 'lizhou-district', '利州区信用平台'],
    ] as const) {
      const url = await ownTestDatabaseUrl(`exchange_${code}`);
      const db = await openTestDatabase(url);
      await truncateAll(db);
      await db.query('TRUNCATE exchange_outbox RESTART IDENTITY');
      const run = runs[code];
      const env = kafkaAppEnv(run, url, { DEPARTMENTS_FILE: departmentsFile(dir, peerPublisher, peerName), EXCHANGE_FILE: exchangeFile(dir, { code, peer, peerPublisher }, runs[peer]) });
      sides[code] = { code, peer, peerPublisher, run, url, db, env, apps: [], court: new DepartmentProducer(departmentKafka(run, 'court'), topicsOf(run).inboundFor('court')) };
    }
    ({ lizhou, guangyuan } = sides);
    for (const side of [lizhou, guangyuan]) {
      // The deployment's topics and ACLs, then the exchange's with the peer bridge's reader user, as an operator onboards a peer.
      await provisionRun(side.run, [...registeredDepartments(), side.peerPublisher]);
      const passwordFile = join(dir, `password-${side.peer}`);
      writeFileSync(passwordFile, PASSWORD[side.peer], { mode: 0o600 });
      const printed = await kafkaAdmin(side, ['exchange-reader', `bridge-${side.peer}`, '--password-file', passwordFile]);
      expect(printed).toContain(`ACL: ALLOW User:bridge-${side.peer} READ topic ${side.run.prefix}credit.exchange.${side.code}.${side.peer}.v1`);
    }
    for (const side of [lizhou, guangyuan]) {
      side.apps.push(await AppProcess.start('decision-engine', side.env, await freePort()));
      await startBridge(side);
    }
  });

  afterAll(async () => {
    for (const side of Object.values(sides)) {
      await Promise.all(side.apps.map((app) => app.stop().catch(() => undefined)));
      await side.court?.disconnect().catch(() => undefined);
      await side.db?.destroy();
    }
  });

  const logs = () => Object.values(sides).flatMap((side) => side.apps.map((app) => `----- ${side.code} ${app.name}\n${app.log.slice(-3000)}`)).join('\n');

  it("sends the district court's listing up: the city decides it as the district's, with its provenance and the relayed id", async () => {
    const event = listing(DEBTOR_UP, '（2026）川0802执8001号');
    await lizhou.court.send([structuredMessage(event)]);
    const atCity = await waitFor('the listing at the city', async () => ((await entries(guangyuan, DEBTOR_UP)).length > 0 ? entries(guangyuan, DEBTOR_UP) : undefined), 60_000).catch((error) => {
      throw new Error(`${error.message}\n${logs()}`);
    });
    expect(atCity).toEqual([expect.objectContaining({ state: 'active', documentNumber: '（2026）川0802执8001号', identifyingDepartment: 'court' })]);
    expect(await inbound(guangyuan, DEBTOR_UP)).toEqual([
      { source: '/departments/lizhou-district', eventId: relayedEventId({ deployment: 'lizhou', source: event.source, eventId: event.id }), type: event.type },
    ]);
    expect(await entries(lizhou, DEBTOR_UP)).toEqual([expect.objectContaining({ state: 'active' })]);
    // What came from the district is not sent back to it.
    expect((await outboxOf(guangyuan)).filter((row) => row.eventSource === '/departments/lizhou-district')).toEqual([]);
  });

  it("sends the city court's listing down: the district decides it as the city's", async () => {
    const event = listing(DEBTOR_DOWN, '（2026）川08执8002号');
    await guangyuan.court.send([structuredMessage(event)]);
    const atDistrict = await waitFor('the listing at the district', async () => ((await entries(lizhou, DEBTOR_DOWN)).length > 0 ? entries(lizhou, DEBTOR_DOWN) : undefined), 60_000);
    expect(atDistrict).toEqual([expect.objectContaining({ state: 'active', documentNumber: '（2026）川08执8002号' })]);
    expect(await inbound(lizhou, DEBTOR_DOWN)).toEqual([expect.objectContaining({ source: '/departments/guangyuan-city', eventId: relayedEventId({ deployment: 'guangyuan', source: event.source, eventId: event.id }) })]);
  });

  it('carries a repair both ways: the district repairs its listing at the city, the city its own at the district', async () => {
    const [{ decisionId: districtDecision }] = await entries(lizhou, DEBTOR_UP);
    await lizhou.court.send([structuredMessage(repair(DEBTOR_UP, districtDecision, '利法修〔2026〕8001号'))]);
    const [{ decisionId: cityDecision }] = await entries(guangyuan, DEBTOR_DOWN);
    await guangyuan.court.send([structuredMessage(repair(DEBTOR_DOWN, cityDecision, '广中法修〔2026〕8002号'))]);
    await waitFor('the repair at the city', async () => (await entries(guangyuan, DEBTOR_UP))[0]?.state === 'repaired', 60_000);
    await waitFor('the repair at the district', async () => (await entries(lizhou, DEBTOR_DOWN))[0]?.state === 'repaired', 60_000);
    expect((await entries(lizhou, DEBTOR_UP)).map((e) => e.state)).toEqual(['repaired']);
    expect((await entries(guangyuan, DEBTOR_DOWN)).map((e) => e.state)).toEqual(['repaired']);
  });

  it("decides once a conduct that arrives by two routes: the district court's listing relayed up and the city court's own of the same judgment", async () => {
    const documentNumber = '（2026）川0802执8003号';
    await lizhou.court.send([structuredMessage(listing(DEBTOR_TWICE, documentNumber))]);
    await waitFor('the district listing at the city', async () => (await entries(guangyuan, DEBTOR_TWICE)).length === 1, 60_000);
    const cityCourt = listing(DEBTOR_TWICE, documentNumber);
    await guangyuan.court.send([structuredMessage(cityCourt)]);
    // Both events are at the city, stored with what they decided; the second is a repeat of the conduct and adds nothing.
    await waitFor("the city court's event at the city", async () => (await inbound(guangyuan, DEBTOR_TWICE)).length === 2, 60_000);
    expect((await entries(guangyuan, DEBTOR_TWICE)).map((e) => e.documentNumber)).toEqual([documentNumber]);
    // A repeat decides nothing, so nothing of it goes down: the district holds its own court's event only.
    expect((await outboxOf(guangyuan)).map((row) => row.eventId)).not.toContain(cityCourt.id);
    expect((await inbound(lizhou, DEBTOR_TWICE)).map((row) => row.source)).toEqual(['/departments/court']);
    expect(await entries(lizhou, DEBTOR_TWICE)).toHaveLength(1);
  });

  it('resumes after the bridge restarts: what was sent while it was down arrives once', async () => {
    await guangyuan.bridge!.stop();
    const event = listing(DEBTOR_RESTART, '（2026）川0802执8004号');
    await lizhou.court.send([structuredMessage(event)]);
    await waitFor('the copy published by the district relay', async () => (await outboxOf(lizhou)).find((row) => row.eventId === event.id)?.published === true, 60_000);
    expect(await entries(guangyuan, DEBTOR_RESTART)).toEqual([]);
    await startBridge(guangyuan);
    await waitFor('the listing at the city after the restart', async () => (await entries(guangyuan, DEBTOR_RESTART)).length === 1, 60_000);
    expect(await inbound(guangyuan, DEBTOR_RESTART)).toHaveLength(1);
    // Everything the district sent is published, and the bridge reads on from its committed offset: no copy arrived twice.
    expect((await outboxOf(lizhou)).every((row) => row.published)).toBe(true);
    const relayed: { n: number }[] = await guangyuan.db.query(`SELECT count(*)::int AS n FROM inbound_event WHERE source = '/departments/lizhou-district' GROUP BY event_id HAVING count(*) > 1`);
    expect(relayed).toEqual([]);
  });
});
