import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CreditEvent, parseCreditEvent, relayedEventId } from '@app/domain';
import { KafkaEventBatchService } from '@app/engine';
import { ownTestDatabaseUrl, openTestDatabase, truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// What the district sends its city (issue 16, 市区失信信息互通): a copy of each event that created or
// changed entries of a linked memorandum, written in the deciding transaction, with its provenance;
// never what came from the city, never a repeat, and a repair by local decision id named by list.

const DEBTOR = '91510802MA6B3N4TXM';
let sequence = 0;

function event(type: string, data: Record<string, unknown>, source = '/departments/court'): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `exchange-${Date.now()}-${++sequence}`,
    source,
    type,
    subject: DEBTOR,
    time: '2026-11-20T08:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: DEBTOR, name: '广元市利州区嘉禾商贸有限公司' }, decidedOn: '2026-11-20', ...data },
  });
}
const listing = (documentNumber: string, provenance?: Record<string, unknown>) =>
  event('credit.judgment-debtor.listed.v1', { documentNumber, reason: 'evading-execution', ...(provenance ? { provenance } : {}) }, provenance ? '/departments/guangyuan-city' : '/departments/court');

describe('the exchange outbox: what a deployment sends its peers (real PostgreSQL)', () => {
  let db: DataSource;
  let batches: KafkaEventBatchService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exchange-'));
    const file = join(dir, 'exchange.json');
    writeFileSync(file, JSON.stringify({ deployment: 'lizhou', links: [{ peer: 'guangyuan', outbound: { memoranda: ['judgment-debtors'] } }] }));
    const url = await ownTestDatabaseUrl('exchange');
    await (await openTestDatabase(url)).destroy();
    ({ db, batches, close } = await startEngineHarness('2026-11-20T02:00:00Z', { DATABASE_URL: url, EXCHANGE_FILE: file }));
  });
  beforeEach(() => truncateAll(db).then(() => db.query('TRUNCATE exchange_outbox')));
  afterAll(() => close?.());

  const outbox = async () =>
    (await db.query(`SELECT peer, event_source AS "eventSource", event_id AS "eventId", relayed_event_id::text AS "relayedEventId", event FROM exchange_outbox ORDER BY seq`)) as {
      peer: string;
      eventSource: string;
      eventId: string;
      relayedEventId: string;
      event: { type: string; subject: string; data: Record<string, unknown> & { provenance: Record<string, string> } };
    }[];

  it("copies a court's listing for the city, with where it was published, in the transaction that decided it", async () => {
    const court = listing('（2026）川0802执7001号');
    await batches.processBatch([court], []);
    const provenance = { deployment: 'lizhou', department: 'court', source: court.source, eventId: court.id, route: 'lizhou' };
    expect(await outbox()).toEqual([
      {
        peer: 'guangyuan',
        eventSource: court.source,
        eventId: court.id,
        relayedEventId: relayedEventId(provenance),
        event: expect.objectContaining({ specversion: '1.0', type: court.type, subject: DEBTOR, data: { ...court.data, provenance } }),
      },
    ]);
  });

  it('sends nothing back to the deployment it came from, yet decides it here', async () => {
    const fromCity = listing('（2026）川08执7002号', { deployment: 'guangyuan', department: 'court', source: '/departments/court', eventId: 'city-court-1', route: 'guangyuan' });
    await batches.processBatch([fromCity], []);
    expect(Number((await db.query(`SELECT count(*) FROM list_entry WHERE document_number = $1`, ['（2026）川08执7002号']))[0].count)).toBe(1);
    expect(await outbox()).toEqual([]);
  });

  it('sends a repeat of a conduct not at all: its first event was sent', async () => {
    const first = listing('（2026）川0802执7003号');
    const copy = listing('（2026）川0802执7003号');
    await batches.processBatch([first], []);
    await batches.processBatch([copy], []);
    expect((await outbox()).map((row) => row.eventId)).toEqual([first.id]);
  });

  it('sends a repair that names a local decision with the list the city knows instead, and an ineffective one not at all', async () => {
    const court = listing('（2026）川0802执7004号');
    await batches.processBatch([court], []);
    const [{ decisionId }] = await db.query(`SELECT decision_id::text AS "decisionId" FROM list_entry WHERE document_number = $1`, ['（2026）川0802执7004号']);
    const repair = event('credit.repair.approved.v1', { documentNumber: '利法修〔2026〕1号', decisionId });
    await batches.processBatch([repair], []);
    const again = event('credit.repair.approved.v1', { documentNumber: '利法修〔2026〕2号', decisionId });
    await batches.processBatch([again], []);

    const rows = await outbox();
    expect(rows.map((row) => row.eventId)).toEqual([court.id, repair.id]);
    expect(rows[1].event.type).toBe('credit.repair.approved.v1');
    expect(rows[1].event.data).not.toHaveProperty('decisionId');
    expect(rows[1].event.data).toMatchObject({ listCode: 'judgment-debtor', documentNumber: '利法修〔2026〕1号', provenance: { deployment: 'lizhou', department: 'court', eventId: repair.id, route: 'lizhou' } });
  });
});
