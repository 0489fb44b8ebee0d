import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { ingestClient, queryClient, QuerySchemas } from '@credit-engine/client';
import { AppProcess, freePort, startEmbeddedApps } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// 应查必查 as the departments do it: the court lists an enterprise over HTTP, the engine decides,
// and the finance and transport bureaus' approval systems check credit before acting.
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8'));
// Decided today, so the listing is in force whatever day the suite runs (the fixture's own date ages).
const listing = { ...fixture, time: new Date().toISOString(), data: { ...fixture.data, decidedOn: chinaDate(new Date()) } };
const ENTERPRISE = listing.data.subject.id as string;
const LEGAL_REP = listing.data.relatedPersons[0].id as string;
const UNKNOWN = '91440101MA5CJQ4N59';
// Valid resident identity numbers of nobody on file (GB 11643 check characters).
const UNKNOWN_PERSON = '11010519491231002X';
const BURST_LIMIT = 4;
function residentId(n: number): string {
  const body = `51080219900101${String(n).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[[...body].reduce((sum, digit, i) => sum + Number(digit) * weights[i], 0) % 11];
}

type CheckResult = QuerySchemas['CreditCheckResultDto'];

interface AuditPage {
  department: string;
  queries: { cursor: string; endpoint: string; approvalItem: string | null; subjectId: string | null; subjects: string[] | null; userId: string | null; purpose: string | null; resultCount: number }[];
  nextCursor: string;
}

describe('credit check for approval systems, query audit and public disclosure (apps as processes)', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('credit_check_e2e');
    db = await openTestDatabase(url);
    await truncateAll(db);
    // The apps run as the least-privilege role, as in production, and migrate as the owner.
    env = { ...(await appRoleEnv(url)), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', CHECK_DISTINCT_PERSONS_PER_MINUTE: String(BURST_LIMIT) };
    [ingest, engine, query] = await startEmbeddedApps(env);

    const published = await ingestClient(ingest.baseUrl, 'dev-court-token').POST('/v1/events', { body: listing });
    expect(published.response.status).toBe(202);
    // Finance sees the decision in its feed before it checks.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { data: feed } = await queryClient(query.baseUrl, 'dev-finance-token').GET('/v1/feed', { params: { query: { after: '0' }, header: { 'x-user-id': 'feed-reader' } } });
      if (feed!.records.length > 0) break;
      if (Date.now() > deadline) throw new Error(`the listing never reached the finance feed:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const get = (path: string, department?: string, user?: string) =>
    fetch(`${query.baseUrl}${path}`, { headers: { ...(department ? { authorization: `Bearer dev-${department}-token` } : {}), ...(user ? { 'x-user-id': user } : {}) } });

  // Through the generated client: the path, the parameters and the answer are typed by the OpenAPI document.
  const check = async (department: string, subject: string, approvalItem: string, purpose?: string, user?: string): Promise<CheckResult> => {
    const { data, response } = await queryClient(query.baseUrl, `dev-${department}-token`).GET('/v1/subjects/{id}/check', {
      params: { path: { id: subject }, query: { approvalItem, ...(purpose ? { purpose } : {}) }, header: user ? { 'x-user-id': user } : {} },
    });
    expect(response.status).toBe(200);
    return data!;
  };

  it('finance\'s procurement check finds the listing and the procurement ban with its legal basis', async () => {
    const result = await check('finance', ENTERPRISE, 'government-procurement', '2026年第118号采购项目供应商资格审查', 'clerk-07');
    expect(result).toMatchObject({ record: true, outcome: 'restrict', subject: { id: ENTERPRISE, name: listing.data.subject.name } });
    expect(result.listMemberships).toEqual([expect.objectContaining({ list: { code: 'judgment-debtor', type: 'black', name: expect.anything() }, documentNumber: listing.data.documentNumber, disputed: false })]);
    const jd01 = result.measures.find((m) => m.code === 'JD-01')!;
    // The types bite: a check without its approval item does not compile (and the API refuses it too).
    // @ts-expect-error query.approvalItem is required
    const unchecked = await queryClient(query.baseUrl, 'dev-finance-token').GET('/v1/subjects/{id}/check', { params: { path: { id: ENTERPRISE }, query: {} } });
    expect(unchecked.response.status).toBe(400);
    expect(jd01).toMatchObject({ category: 'restrict', target: { role: 'subject', via: null }, explanation: { memorandum: { id: 'judgment-debtors' } } });
    expect(jd01.legalBasis).toContainEqual({ instrument: { id: 'government-procurement-law', title: '《中华人民共和国政府采购法》', documentNumber: null, level: 'law', version: '2014年修正' }, article: '第二十二条第一款' });
  });

  it('finance\'s check of the same enterprise for an unrelated licence item does not show the procurement ban', async () => {
    const result = await check('finance', ENTERPRISE, 'administrative-licensing', undefined, 'clerk-07');
    expect(result.measures.map((m) => m.code)).not.toContain('JD-01');
    expect(result.outcome).toBe('clear');
    expect(result.listMemberships.map((m) => m.list.code)).toEqual(['judgment-debtor']);
  });

  it('transport\'s high-consumption check of the legal representative shows the travel restriction targeting them as legal representative', async () => {
    const result = await check('transport', LEGAL_REP, 'high-consumption', '购票实名核验', 'desk-3');
    expect(result).toMatchObject({ record: true, outcome: 'restrict', listMemberships: [] });
    expect(result.measures).toEqual([expect.objectContaining({ code: 'JD-02', target: { role: 'legal-representative', via: expect.objectContaining({ id: ENTERPRISE }) } })]);
  });

  it('answers "no record" for an unknown subject', async () => {
    expect(await check('finance', UNKNOWN, 'government-procurement', undefined, 'clerk-07')).toMatchObject({ record: false, outcome: 'clear', listMemberships: [], measures: [] });
  });

  it.each([
    ['an invalid identifier', `/v1/subjects/510802199003071233/check?approvalItem=government-procurement`, 'finance', 422, 'SUBJECT.BAD_CHECK_DIGIT'],
    ['an unknown approval item', `/v1/subjects/${ENTERPRISE}/check?approvalItem=moon-landing`, 'finance', 400, 'CHECK.UNKNOWN_APPROVAL_ITEM'],
    ['a missing approval item', `/v1/subjects/${ENTERPRISE}/check`, 'finance', 400, 'CHECK.MISSING_APPROVAL_ITEM'],
    ['no credentials', `/v1/subjects/${ENTERPRISE}/check?approvalItem=government-procurement`, undefined, 401, 'DEPARTMENT.NOT_AUTHENTICATED'],
  ])('refuses %s with a status and a code', async (_case, path, department, status, code) => {
    const response = await get(path, department);
    expect(response.status).toBe(status);
    const body = await response.text();
    expect(JSON.parse(body).code).toBe(code);
    expect(body).not.toContain('510802199003071233');
    if (code === 'CHECK.UNKNOWN_APPROVAL_ITEM') expect(JSON.parse(body).detail).toContain('government-procurement');
  });

  describe("a natural person's check", () => {
    it.each([
      ['no X-User-Id', {}, 'CHECK.USER_ID_REQUIRED'],
      ['an empty X-User-Id', { 'x-user-id': ' ' }, 'CHECK.USER_ID_REQUIRED'],
      ['no purpose', { 'x-user-id': 'desk-3' }, 'CHECK.PURPOSE_REQUIRED'],
    ])('is refused with %s (400, stable code), logging nothing', async (_case, headers, code) => {
      const [{ before }] = await db.query(`SELECT count(*)::int AS before FROM query_audit`);
      const params = code === 'CHECK.PURPOSE_REQUIRED' ? 'approvalItem=high-consumption' : 'approvalItem=high-consumption&purpose=%E8%B4%AD%E7%A5%A8';
      const response = await fetch(`${query.baseUrl}/v1/subjects/${LEGAL_REP}/check?${params}`, { headers: { authorization: 'Bearer dev-transport-token', ...headers } });
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(JSON.parse(body).code).toBe(code);
      expect(body).not.toContain(LEGAL_REP);
      const [{ after }] = await db.query(`SELECT count(*)::int AS after FROM query_audit`);
      expect(after).toBe(before);
    });

    it('answers a department that sees nothing of its own on a person on file byte for byte as for an unknown person', async () => {
      const ask = async (subject: string) => {
        const response = await get(`/v1/subjects/${subject}/check?approvalItem=government-procurement&purpose=2026-118`, 'finance', 'clerk-07');
        expect(response.status).toBe(200);
        const text = await response.text();
        const { checkId, checkedAt } = JSON.parse(text) as { checkId: string; checkedAt: string };
        // Only what differs by construction: the audit row's id, the time, the identifier asked about.
        return { text: text.replace(`"checkId":"${checkId}"`, '"checkId":"-"').replace(`"checkedAt":"${checkedAt}"`, '"checkedAt":"-"').split(subject).join('-'), type: response.headers.get('content-type') };
      };
      // The legal representative is on file (transport's travel restriction), but finance has no measure on them and sees no membership.
      const known = await ask(LEGAL_REP);
      const unknown = await ask(UNKNOWN_PERSON);
      expect(known.text).toBe(unknown.text);
      expect(known.type).toBe(unknown.type);
      expect(JSON.parse(known.text)).toMatchObject({ record: false, outcome: 'clear', listMemberships: [], measures: [], subject: { name: null } });
    });

    it(`refuses the next distinct person after ${BURST_LIMIT} in a minute by one user (429), counts it in /metrics, and lets other users through`, async () => {
      const ask = (n: number, user = 'walker-1') => get(`/v1/subjects/${residentId(n)}/check?approvalItem=high-consumption&purpose=walk`, 'transport', user);
      const scrape = async () => {
        const text = await (await fetch(`${query.baseUrl}/metrics`)).text();
        return Number(/^credit_check_bursts_refused_total\{department="transport"\} (\d+)$/m.exec(text)?.[1] ?? 0);
      };
      const before = await scrape();
      for (let n = 1; n <= BURST_LIMIT; n++) expect((await ask(n)).status).toBe(200);
      expect((await ask(1)).status).toBe(200); // the same person again is no new person

      const refused = await ask(BURST_LIMIT + 1);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('60');
      const body = await refused.text();
      expect(JSON.parse(body)).toMatchObject({ code: 'CHECK.BURST_REFUSED', context: { limit: BURST_LIMIT, windowSeconds: 60 } });
      expect(body).not.toContain(residentId(BURST_LIMIT + 1));
      expect(await scrape()).toBe(before + 1);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM query_audit WHERE subject_id = $1`, [residentId(BURST_LIMIT + 1)]);
      expect(n).toBe(0);

      expect((await ask(BURST_LIMIT + 1, 'walker-2')).status).toBe(200);
      // Organisations are not counted.
      expect((await get('/v1/subjects/91350200776049653A/check?approvalItem=high-consumption', 'transport', 'walker-1')).status).toBe(200);
      expect(query.log).not.toContain(residentId(BURST_LIMIT + 1));
    });
  });

  it('logs task list and task detail reads over HTTP with the targets they returned', async () => {
    const page = (await (await get('/v1/tasks', 'transport', 'desk-9')).json()) as { tasks: { id: string; target: { id: string } }[] };
    expect(page.tasks.map((t) => t.target.id)).toContain(LEGAL_REP);
    const detail = (await (await get(`/v1/tasks/${page.tasks[0].id}`, 'transport', 'desk-9')).json()) as { target: { id: string } };
    const rows = await db.query(`SELECT endpoint, subjects, result_count AS "resultCount" FROM query_audit WHERE department = 'transport' AND user_id = 'desk-9' ORDER BY id`);
    expect(rows).toEqual([
      { endpoint: 'GET /v1/tasks', subjects: [...new Set(page.tasks.map((t) => t.target.id))].sort(), resultCount: page.tasks.length },
      { endpoint: 'GET /v1/tasks/:taskId', subjects: [detail.target.id], resultCount: 1 },
    ]);
  });

  it('lists finance\'s own queries (checks with approval item and subject, feed reads), and nothing of finance\'s to transport', async () => {
    const response = await get('/v1/audit/queries?limit=500', 'finance', 'auditor-1');
    expect(response.status).toBe(200);
    const finance = (await response.json()) as AuditPage;
    expect(finance.department).toBe('finance');
    const checks = finance.queries.filter((q) => q.endpoint === 'GET /v1/subjects/:id/check');
    expect(checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ approvalItem: 'government-procurement', subjectId: ENTERPRISE, userId: 'clerk-07', purpose: '2026年第118号采购项目供应商资格审查', resultCount: 2 }),
        expect.objectContaining({ approvalItem: 'administrative-licensing', subjectId: ENTERPRISE, resultCount: 1 }),
        expect.objectContaining({ approvalItem: 'government-procurement', subjectId: UNKNOWN, resultCount: 0 }),
      ]),
    );
    // Finance's record names the enterprise only: the legal representative is in no measure of finance's.
    expect(finance.queries).toContainEqual(expect.objectContaining({ endpoint: 'GET /v1/feed', userId: 'feed-reader', resultCount: 1, subjects: [ENTERPRISE] }));

    const transport = (await (await get('/v1/audit/queries', 'transport')).json()) as AuditPage;
    expect(transport.queries).toContainEqual(expect.objectContaining({ approvalItem: 'high-consumption', subjectId: LEGAL_REP, userId: 'desk-3' }));
    expect(transport.queries.some((q) => q.userId === 'clerk-07' || q.subjectId === UNKNOWN || q.approvalItem === 'government-procurement')).toBe(false);

    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM query_audit WHERE department = 'finance' AND endpoint = 'GET /v1/audit/queries'`);
    expect(n).toBe(1);
  });

  it('publishes the enterprise on the public blacklist without credentials, never the legal representative\'s identifier', async () => {
    const response = await fetch(`${query.baseUrl}/v1/public/lists?type=black`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const page = JSON.parse(text) as { entries: { list: { code: string }; subject: { id: string; name: string; kind: string }; documentNumber: string }[] };
    expect(page.entries).toEqual([expect.objectContaining({ list: expect.objectContaining({ code: 'judgment-debtor' }), subject: expect.objectContaining({ id: ENTERPRISE, kind: 'enterprise' }) })]);
    expect(text).not.toContain(LEGAL_REP);
    expect(text).not.toContain(listing.data.relatedPersons[0].name);
    expect((await fetch(`${query.baseUrl}/v1/public/lists?type=key-attention`)).status).toBe(400);
  });

  it('publishes the approval items with the measures each checks', async () => {
    const items = ((await (await fetch(`${query.baseUrl}/v1/approval-items`)).json()) as { items: { code: string; measures: string[] }[] }).items;
    expect(items.find((i) => i.code === 'government-procurement')!.measures).toContain('JD-01');
  });

  it('refuses to start when the approval items name a measure the rules do not have', async () => {
    const items = JSON.parse(readFileSync(join(__dirname, '../../config/approval-items.json'), 'utf8'));
    items.items[0].measures.push('JD-99');
    const file = join(mkdtempSync(join(tmpdir(), 'approval-items-')), 'approval-items.json');
    writeFileSync(file, JSON.stringify(items));
    const failed = await AppProcess.start('query-api', { ...env, APPROVAL_ITEMS_FILE: file }, await freePort(), 30_000).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/exited with 1[\s\S]*JD-99/);
  });

  // Runs last: refused checks, bursts and 400s above were all logged by now (LOG_LEVEL warn).
  it('writes no resident ID to any app\'s log', () => {
    for (const app of [ingest, engine, query]) expect(app.log).not.toMatch(/\b\d{17}[\dX]\b/);
  });
});
