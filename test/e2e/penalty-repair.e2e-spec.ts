import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { addMonths } from '@app/rules';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import { openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// The environment bureau imposes a general penalty (key supervision ENV-01, no list entry), then
// asks for its repair too early and for its removal, over HTTP as its case system would, and
// reads every answer from its feed and the event status.
const ENTERPRISE = '91510802MA6T7E1QXE';

interface Report {
  status: string;
  refusal: { code: string } | null;
  outcome: { status: string; code: string | null; tasks: string[] } | null;
  effects: { records: { department: string; kind: string }[] };
}

describe('repair and removal of a penalty-based measure over HTTP', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  const run = `pr-${Date.now()}`;
  const documentNumber = `广环罚〔2026〕${run}号`;
  const today = chinaDate(new Date());

  beforeAll(async () => {
    db = await openTestDatabase();
    [ingest, engine, query] = await startEmbeddedApps({ DATABASE_URL: testDatabaseUrl(), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' });
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const send = (id: string, type: string, data: Record<string, unknown>) =>
    fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-environment-token', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id,
        source: '/departments/environment',
        type,
        subject: ENTERPRISE,
        time: new Date().toISOString(),
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区某化工有限公司' }, decidedOn: today, ...data },
      }),
    });
  const decided = async (id: string): Promise<Report> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const report = (await (await fetch(`${query.baseUrl}/v1/events/environment/${id}`, { headers: { authorization: 'Bearer dev-environment-token' } })).json()) as Report;
      if (report.status !== 'received' || Date.now() > deadline) return report;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const task = async () => (await db.query(`SELECT state, end_reason AS "endReason" FROM measure_task WHERE document_number = $1 AND measure_code = 'ENV-01'`, [documentNumber]))[0];

  it('refuses the repair before three months with the earliest date, then ends the measure on removal, telling the sender', async () => {
    expect((await send(`${run}-penalty`, 'credit.penalty.imposed.v1', { documentNumber, severity: 'general', penaltyType: 'fine', reason: 'pollution-over-standard' })).status).toBe(202);
    expect((await decided(`${run}-penalty`)).status).toBe('decided');
    expect(await task()).toEqual({ state: 'active', endReason: null });

    expect((await send(`${run}-repair`, 'credit.repair.approved.v1', { documentNumber: `${run}-R`, penaltyDocumentNumber: documentNumber })).status).toBe(202);
    const repair = await decided(`${run}-repair`);
    expect(repair).toMatchObject({ status: 'refused', refusal: { code: 'REPAIR.TOO_EARLY' } });
    expect(repair.effects.records).toEqual([{ department: 'environment', kind: 'repair.refused', recordId: expect.any(String), cursor: expect.any(String), publishedToTopicAt: null }]);
    const feed = (await (await fetch(`${query.baseUrl}/v1/feed?after=0&limit=500`, { headers: { authorization: 'Bearer dev-environment-token' } })).json()) as { records: { kind: string; earliestRepairOn?: string; causeKey?: string }[] };
    expect(feed.records.find((r) => r.kind === 'repair.refused' && r.causeKey === `/departments/environment/${run}-repair`)).toMatchObject({ earliestRepairOn: addMonths(today, 3) });
    expect(await task()).toEqual({ state: 'active', endReason: null });

    expect((await send(`${run}-removal`, 'credit.list-entry.removed.v1', { documentNumber: `${run}-X`, penaltyDocumentNumber: documentNumber, reason: 'decision-quashed' })).status).toBe(202);
    const removal = await decided(`${run}-removal`);
    expect(removal).toMatchObject({ status: 'decided', outcome: { status: 'applied' } });
    expect(removal.effects.records).toContainEqual(expect.objectContaining({ department: 'environment', kind: 'decision.revoked' }));
    expect(await task()).toEqual({ state: 'revoked', endReason: 'removed' });
  });
});
