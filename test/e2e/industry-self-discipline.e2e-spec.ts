import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import { openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { expectProblem } from '../support/problem';

// Industry self-discipline over HTTP, as an association's own system would publish: the
// construction association (config/departments.json, members listed) publicly condemns one member
// and warns another; the housing and construction bureau finds the condemnation's measure among
// its tasks and both sanctions in its credit checks; a sanction about a non-member, or one the
// tourism association may not impose, is refused with its code.
const CONDEMNED = '91510802MA6C0NJ10W';
const WARNED = '91510802MA6C0NJ20X';
const OUTSIDER = '91350200776049653A';
const TOURISM_MEMBER = '91510802MA6C0TR10H';
const WITHDRAWN = '91510802MA6C0NJ30Y';

interface Report {
  status: string;
  effects: { decisions: { id: string; memorandum: string }[] };
}
interface Task {
  decisionId: string;
  memorandumId: string;
  measureCode: string;
  category: string;
  implementingDepartment: string;
  target: { role: string; idType: string; id: string };
  validFrom: string;
  validTo: string;
}

describe('industry associations publish self-discipline sanctions over HTTP', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  const today = chinaDate(new Date());
  const run = `isd-${Date.now()}`;

  beforeAll(async () => {
    // A database of its own: the housing bureau's task list then holds this spec's tasks only.
    const url = await ownTestDatabaseUrl('industry_self_discipline');
    db = await openTestDatabase(url);
    await truncateAll(db);
    [ingest, engine, query] = await startEmbeddedApps({ DATABASE_URL: url, TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' });
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const publish = (association: string, subject: string, data: Record<string, unknown>, id: string = randomUUID()) =>
    fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${association}-token`, 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id,
        source: `/departments/${association}`,
        type: 'credit.association.sanction.v1',
        subject,
        time: new Date().toISOString(),
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: '广元市利州区某某建设工程有限公司' }, decidedOn: today, industry: 'construction', reason: 'bid-rigging', ...data },
      }),
    });
  const withdraw = (association: string, subject: string, sanctionDocumentNumber: string, id: string = randomUUID()) =>
    fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${association}-token`, 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id,
        source: `/departments/${association}`,
        type: 'credit.association.sanction.withdrawn.v1',
        subject,
        time: new Date().toISOString(),
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: '广元市利州区某某建设工程有限公司' }, decidedOn: today, documentNumber: `撤-${sanctionDocumentNumber}`, sanctionDocumentNumber, reason: 'decision-quashed' },
      }),
    });
  const decided = async (association: string, id: string): Promise<Report> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const report = (await (await fetch(`${query.baseUrl}/v1/events/${association}/${id}`, { headers: { authorization: `Bearer dev-${association}-token` } })).json()) as Report;
      if (report.status !== 'received' || Date.now() > deadline) return report;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const housingTasks = async (): Promise<Task[]> =>
    ((await (await fetch(`${query.baseUrl}/v1/tasks?limit=100`, { headers: { authorization: 'Bearer dev-housing-token' } })).json()) as { tasks: Task[] }).tasks;
  const housingCheck = async (subject: string) => {
    const response = await fetch(`${query.baseUrl}/v1/subjects/${subject}/check?approvalItem=inspection-planning`, { headers: { authorization: 'Bearer dev-housing-token' } });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      record: boolean;
      measures: { code: string }[];
      creditClasses: { model: { id: string }; class: string; rule: { name: string } | null }[];
      selfDiscipline: { counts: Record<string, number>; associations: { association: { code: string; name: { zh: string } }; industry: string; sanctions: { sanction: string; documentNumber: string; decidedOn: string; publicUntil: string }[] }[] } | null;
    };
  };

  it('decides a public condemnation of a member into the housing bureau\'s closer supervision, and shows it in the check', async () => {
    const id = `${run}-condemnation`;
    const documentNumber = `利建协〔2026〕${run}号`;
    expect((await publish('construction-association', CONDEMNED, { sanction: 'public-condemnation', documentNumber }, id)).status).toBe(202);
    const report = await decided('construction-association', id);
    expect(report.status).toBe('decided');
    expect(report.effects.decisions).toEqual([{ id: expect.any(String), memorandum: 'industry-self-discipline' }]);

    const tasks = (await housingTasks()).filter((t) => t.decisionId === report.effects.decisions[0].id);
    expect(tasks).toEqual([
      expect.objectContaining({ memorandumId: 'industry-self-discipline', measureCode: 'ISD-01', category: 'key-supervision', implementingDepartment: 'housing', target: expect.objectContaining({ role: 'subject', id: CONDEMNED }), validFrom: today }),
    ]);

    const check = await housingCheck(CONDEMNED);
    expect(check.record).toBe(true);
    expect(check.measures.map((m) => m.code)).toContain('ISD-01');
    expect(check.selfDiscipline?.counts['public-condemnation']).toBe(1);
    expect(check.selfDiscipline?.associations).toEqual([
      { association: { code: 'construction-association', name: expect.objectContaining({ zh: '利州区建筑业协会' }) }, industry: 'construction', sanctions: [expect.objectContaining({ sanction: 'public-condemnation', documentNumber, decidedOn: today })] },
    ]);
  });

  it('decides a warning into no government measure, yet shows it in the member\'s self-discipline record', async () => {
    const id = `${run}-warning`;
    expect((await publish('construction-association', WARNED, { sanction: 'warning', documentNumber: `利建协〔2026〕${run}-W号` }, id)).status).toBe(202);
    const report = await decided('construction-association', id);
    expect(report).toMatchObject({ status: 'decided', effects: { decisions: [] } });
    expect((await housingTasks()).filter((t) => t.target.id === WARNED)).toEqual([]);

    const check = await housingCheck(WARNED);
    expect(check.measures).toEqual([]);
    expect(check.record).toBe(true);
    expect(check.selfDiscipline?.counts).toEqual({ warning: 1, 'circulated-criticism': 0, 'public-condemnation': 0 });
    expect(check.selfDiscipline?.associations[0].sanctions).toEqual([expect.objectContaining({ sanction: 'warning', decidedOn: today })]);
  });

  it('withdraws a condemnation: it leaves the check, the measure and the class; a government department may not withdraw it', async () => {
    const documentNumber = `利建协〔2026〕${run}-R号`;
    const id = `${run}-to-withdraw`;
    expect((await publish('construction-association', WITHDRAWN, { sanction: 'public-condemnation', documentNumber }, id)).status).toBe(202);
    expect((await decided('construction-association', id)).status).toBe('decided');
    const before = await housingCheck(WITHDRAWN);
    expect(before.measures.map((m) => m.code)).toContain('ISD-01');
    expect(before.creditClasses.find((c) => c.model.id === 'market-credit-class')).toMatchObject({ class: 'C', rule: { name: 'publicly-condemned' } });

    await expectProblem(await withdraw('housing', WITHDRAWN, documentNumber), 403, 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED');
    const withdrawal = `${run}-withdrawal`;
    expect((await withdraw('construction-association', WITHDRAWN, documentNumber, withdrawal)).status).toBe(202);
    expect((await decided('construction-association', withdrawal)).status).not.toBe('received');
    const after = await housingCheck(WITHDRAWN);
    expect(after.selfDiscipline).toEqual({ counts: { warning: 0, 'circulated-criticism': 0, 'public-condemnation': 0 }, associations: [] });
    expect(after.measures.map((m) => m.code)).not.toContain('ISD-01');
    expect(after.creditClasses.find((c) => c.model.id === 'market-credit-class')).toMatchObject({ class: 'B', rule: null });
  });

  it('refuses a sanction about a non-member, one the association may not impose, and one in another industry, each with its code', async () => {
    const outsider = await expectProblem(await publish('construction-association', OUTSIDER, { sanction: 'public-condemnation', documentNumber: `${run}-X` }), 403, 'SUBJECT.NOT_A_MEMBER');
    expect(JSON.stringify(outsider)).not.toContain(OUTSIDER);
    await expectProblem(await publish('tourism-association', TOURISM_MEMBER, { sanction: 'public-condemnation', industry: 'tourism', documentNumber: `${run}-T` }), 403, 'ASSOCIATION.SANCTION_NOT_ALLOWED');
    await expectProblem(await publish('tourism-association', TOURISM_MEMBER, { sanction: 'warning', industry: 'construction', documentNumber: `${run}-I` }), 403, 'ASSOCIATION.INDUSTRY_MISMATCH');
    // A government department may not publish an association's sanction.
    await expectProblem(await publish('housing', CONDEMNED, { sanction: 'warning', documentNumber: `${run}-H` }), 403, 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED');
    // Nothing refused reached the record.
    expect((await housingCheck(OUTSIDER)).selfDiscipline).toEqual({ counts: { warning: 0, 'circulated-criticism': 0, 'public-condemnation': 0 }, associations: [] });
  });

  it("refuses an association's token on the credit check and the commitments: checking a subject's standing is a government department's duty", async () => {
    const subject = '91510802MA6B3N4TXM';
    const check = await fetch(`${query.baseUrl}/v1/subjects/${subject}/check?approvalItem=inspection-planning`, { headers: { authorization: 'Bearer dev-construction-association-token' } });
    expect(check.status).toBe(403);
    expect(await check.json()).toMatchObject({ code: 'DEPARTMENT.GOVERNMENT_ONLY' });
    const commitment = await fetch(`${query.baseUrl}/v1/commitments`, { method: 'POST', headers: { authorization: 'Bearer dev-construction-association-token', 'content-type': 'application/json' }, body: '{}' });
    expect(commitment.status).toBe(403);
    expect(await commitment.json()).toMatchObject({ code: 'DEPARTMENT.GOVERNMENT_ONLY' });
  });
});
