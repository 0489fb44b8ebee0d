import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { addDays, addYears } from '@app/rules';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import { openTestDatabase, truncateAll } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// A department asks what happened to the events it sent, and is told at once when conduct is past
// its five-year limit: the embedded apps over HTTP, as an integrator drives them.
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8'));
const OTHER_ENTERPRISE = '91510802MA62XK8R6G';
let sequence = 0;

interface StatusReport {
  status: string;
  type: string | null;
  refusal: { code: string; reason: string } | null;
  outcome: { status: string; code: string | null } | null;
  effects: { decisions: { id: string; memorandum: string }[]; records: { department: string; kind: string; publishedToTopicAt: string | null }[] };
}

describe('event status and the five-year limit over HTTP', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;

  beforeAll(async () => {
    db = await openTestDatabase();
    await truncateAll(db);
    [ingest, engine, query] = await startEmbeddedApps({ DATABASE_URL: testDatabaseUrl(), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' });
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const courtListing = (data: Record<string, unknown> = {}) => {
    const event = structuredClone(listing);
    event.id = `status-${Date.now()}-${++sequence}`;
    // Each its own judgment: the same document number about the same debtor is one conduct, decided once.
    Object.assign(event.data, { documentNumber: `（2026）川0802执${Date.now() % 100000}-${sequence}号` }, data);
    return event;
  };
  const publish = (body: unknown, token = 'dev-court-token') =>
    fetch(`${ingest.baseUrl}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(body) });
  const status = (source: string, id: string, token = 'dev-court-token') => fetch(`${query.baseUrl}/v1/events/${source}/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
  const waitForDecided = async (id: string): Promise<StatusReport> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const report = (await (await status('court', id)).json()) as StatusReport;
      if (report.status !== 'received' || Date.now() > deadline) return report;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('tells the sender an event was decided, with the decisions and the records it caused', async () => {
    const event = courtListing();
    expect((await publish(event)).status).toBe(202);
    const report = await waitForDecided(event.id);
    expect(report).toMatchObject({ status: 'decided', type: 'credit.judgment-debtor.listed.v1', refusal: null, outcome: null });
    expect(report.effects.decisions).toEqual([{ id: expect.any(String), memorandum: 'judgment-debtors' }]);
    expect(report.effects.records).toContainEqual(expect.objectContaining({ department: 'finance', kind: 'decision.issued' }));
    // The same, asked with the CloudEvents source.
    expect((await status(encodeURIComponent('/departments/court'), event.id)).status).toBe(200);
  });

  it('answers only the sending department, and says when nothing of that id arrived', async () => {
    const event = courtListing();
    await publish(event);
    const foreign = await status('court', event.id, 'dev-finance-token');
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { code: string }).code).toBe('EVENT.NOT_SENDER');
    const missing = await status('court', 'never-sent');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('EVENT.NOT_FOUND');
  });

  it('refuses conduct past the limit with 422 EVENT.CONDUCT_PAST_LIMIT, and accepts it on its last usable day', async () => {
    const today = chinaDate(new Date());
    // The conduct ended five years and a day ago: time-barred since yesterday. Nothing is stored.
    const barred = courtListing({ conductEndedOn: addDays(addYears(today, -5), -1) });
    const refused = await publish(barred);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { code: string; detail: string; context: { lastUsableOn: string } };
    expect(body).toMatchObject({ code: 'EVENT.CONDUCT_PAST_LIMIT', context: { lastUsableOn: addDays(today, -1) } });
    expect(body.detail).toContain('judgment-debtors');
    expect((await status('court', barred.id)).status).toBe(404);

    // Ended exactly five years ago: today is the last usable day, and the entry ends today.
    const lastDay = courtListing({ conductEndedOn: addYears(today, -5) });
    expect((await publish(lastDay)).status).toBe(202);
    expect((await waitForDecided(lastDay.id)).status).toBe('decided');
    const [entry] = await db.query(`SELECT e.valid_to::text AS "validTo" FROM list_entry e JOIN decision d ON d.id = e.decision_id WHERE d.cause_event_id = $1`, [lastDay.id]);
    expect(entry).toEqual({ validTo: today });
  });

  it('shows a lifecycle event that changed nothing as decided with its no-effect outcome, and tells the sender on its feed', async () => {
    const repair = {
      specversion: '1.0',
      id: `status-repair-${Date.now()}`,
      source: '/departments/court',
      type: 'credit.repair.approved.v1',
      subject: OTHER_ENTERPRISE,
      time: new Date().toISOString(),
      data: { subject: { kind: 'enterprise', idType: 'USCC', id: OTHER_ENTERPRISE, name: '广元市利州区某公司' }, documentNumber: '(2026)川0802执恢1号', decidedOn: chinaDate(new Date()), listCode: 'judgment-debtor' },
    };
    expect((await publish(repair)).status).toBe(202);
    const report = await waitForDecided(repair.id);
    expect(report).toMatchObject({ status: 'decided', outcome: { status: 'no-effect', code: 'LIFECYCLE.NOTHING_ACTIVE' }, effects: { decisions: [] } });
    expect(report.effects.records).toEqual([expect.objectContaining({ department: 'court', kind: 'change.no-effect' })]);
  });
});
