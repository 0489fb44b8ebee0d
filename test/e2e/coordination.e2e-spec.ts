import { DataSource } from 'typeorm';
import { chinaDate, computeUsccCheckCharacter } from '@app/domain';
import { AppProcess, freePort } from '../support/app-process';
import type { Problem } from '../support/problem';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// A major dishonesty event as the departments meet it over HTTP (README "Coordination on major
// dishonesty"): the environment bureau publishes a serious fine of 1.2 million yuan; the engine
// opens a coordination case under the shipped criteria; each department concerned finds it on its
// feed, reads it and acknowledges it once; a department it does not concern gets 404.

const today = chinaDate(new Date());
const first17 = `91510802MD${Date.now().toString().slice(-7)}`;
const POLLUTER = first17 + computeUsccCheckCharacter(first17);

interface CaseView {
  id: string;
  criterion: string;
  subjectId: string | null;
  departments: string[];
  acknowledgements: { department: string }[];
  awaiting: string[];
}

describe('coordination cases over HTTP (apps as processes)', () => {
  let db: DataSource;
  let apps: AppProcess[] = [];
  let ingest: AppProcess;
  let query: AppProcess;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('coordination_e2e');
    db = await openTestDatabase(url);
    await truncateAll(db);
    const env = { ...(await appRoleEnv(url)), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' };
    apps = await Promise.all((['ingest-api', 'decision-engine', 'query-api'] as const).map(async (name) => AppProcess.start(name, env, await freePort())));
    [ingest, , query] = apps;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await db?.destroy();
  });

  const call = (method: 'GET' | 'POST', path: string, department: string) => fetch(`${query.baseUrl}${path}`, { method, headers: { authorization: `Bearer dev-${department}-token` } });
  const json = async <T>(response: Response, status = 200): Promise<T> => {
    expect(response.status).toBe(status);
    return (await response.json()) as T;
  };

  it('opens a case for a serious million-yuan fine; each department concerned reads and acknowledges it once', async () => {
    const published = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-environment-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        specversion: '1.0', id: `coordination-e2e-${Date.now()}`, source: '/departments/environment', type: 'credit.penalty.imposed.v1', subject: POLLUTER, time: new Date().toISOString(),
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: POLLUTER, name: '广元市利州区嘉禾化工有限公司' }, decidedOn: today, severity: 'serious', penaltyType: 'fine', reason: 'pollution-over-standard', fineAmountYuan: 1_200_000, documentNumber: `广环罚〔2026〕${Date.now() % 100000}号` },
      }),
    });
    expect(published.status).toBe(202);

    let listed: { cases: CaseView[] } = { cases: [] };
    for (let i = 0; i < 100 && listed.cases.length === 0; i++) {
      listed = await json<{ cases: CaseView[] }>(await call('GET', '/v1/coordination/cases', 'environment'));
      if (listed.cases.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed.cases).toEqual([expect.objectContaining({ criterion: 'serious-large-fine', subjectId: POLLUTER })]);
    const [opened] = listed.cases;
    expect(opened.departments).toEqual(expect.arrayContaining(['environment', 'credit-office']));

    // On the feed of every department concerned.
    const feed = await json<{ records: { kind: string; caseId?: string }[] }>(await call('GET', '/v1/feed', 'environment'));
    expect(feed.records.filter((r) => r.kind === 'coordination.opened').map((r) => r.caseId)).toEqual([opened.id]);

    const first = await json<CaseView>(await call('POST', `/v1/coordination/cases/${opened.id}/acknowledgement`, 'environment'), 201);
    expect(first.acknowledgements.map((a) => a.department)).toEqual(['environment']);
    expect(first.awaiting).not.toContain('environment');
    const again = await json<CaseView>(await call('POST', `/v1/coordination/cases/${opened.id}/acknowledgement`, 'environment'), 200);
    expect(again.acknowledgements).toEqual(first.acknowledgements);

    // The credit office convenes: it reads every case; a department the case does not concern does not learn it exists.
    expect((await json<{ cases: CaseView[] }>(await call('GET', '/v1/coordination/cases', 'credit-office'))).cases.map((c) => c.id)).toEqual([opened.id]);
    const outsider = ['education', 'civil-affairs', 'publicity', 'organisation', 'tax'].find((d) => !opened.departments.includes(d))!;
    const hidden = await call('GET', `/v1/coordination/cases/${opened.id}`, outsider);
    expect({ status: hidden.status, code: ((await hidden.json()) as Problem).code }).toEqual({ status: 404, code: 'COORDINATION.CASE_NOT_FOUND' });
    expect((await json<{ cases: CaseView[] }>(await call('GET', '/v1/coordination/cases', outsider))).cases).toEqual([]);
    const unknown = await call('GET', '/v1/coordination/cases/not-a-uuid', 'environment');
    expect(unknown.status).toBe(404);

    // The credit office closes it with the meeting's minutes and the joint document issued; once.
    const minutes = { heldOn: today, attendees: ['credit-office', 'environment'], summary: '会议研究了联合惩戒措施的落实。', jointDocuments: [{ documentNumber: '利信联〔2026〕7号', title: '关于对严重环境违法企业实施联合惩戒的通知', issuedBy: ['credit-office', 'environment'] }] };
    const post = (department: string, body: unknown) =>
      fetch(`${query.baseUrl}/v1/coordination/cases/${opened.id}/minutes`, { method: 'POST', headers: { authorization: `Bearer dev-${department}-token`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const code = async (response: Response) => ({ status: response.status, code: ((await response.json()) as Problem).code });
    expect(await code(await post('environment', minutes))).toEqual({ status: 403, code: 'COORDINATION.CREDIT_OFFICE_ONLY' });
    expect(await code(await post('credit-office', { ...minutes, attendees: [] }))).toEqual({ status: 400, code: 'COORDINATION.INVALID_MINUTES' });
    expect(await code(await post('credit-office', { ...minutes, attendees: ['nobody'] }))).toEqual({ status: 400, code: 'COORDINATION.INVALID_MINUTES' });
    expect(await code(await post('credit-office', { ...minutes, heldOn: '2026-02-30' }))).toEqual({ status: 400, code: 'COORDINATION.INVALID_MINUTES' });
    const closed = await json<CaseView & { status: string; minutes: typeof minutes }>(await post('credit-office', minutes));
    expect(closed).toMatchObject({ status: 'closed', minutes });
    expect(await code(await post('credit-office', minutes))).toEqual({ status: 409, code: 'COORDINATION.CASE_CLOSED' });
    const told = await json<{ records: { kind: string; caseId?: string; minutes?: unknown }[] }>(await call('GET', '/v1/feed', 'environment'));
    expect(told.records.filter((r) => r.kind === 'coordination.closed')).toEqual([expect.objectContaining({ caseId: opened.id, minutes })]);
  });
});
