import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { AppProcess, freePort } from '../support/app-process';
import type { Problem } from '../support/problem';
import { appRoleEnv, openTestDatabase, truncateAll } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// Credit commitments (信用承诺, 告知承诺) as an approval system drives them over HTTP: record,
// report broken, and see the breach decided by the commitment-breaches memorandum as an event
// of the recording department (its measure tasks on the approving departments' task lists);
// report another kept; every refusal a 4xx with its code.

const ENTERPRISE = '91510802MA6B3N4TXM';

interface Commitment {
  id: string;
  state: string;
  reference: string;
  subject: { id: string };
  breach: { kind: string; breachedOn: string; reason: string; eventId: string | null } | null;
  fulfilment: { fulfilledOn: string; evidenceReference: string } | null;
  settledAt: string | null;
}
interface Task {
  id: string;
  memorandumId: string;
  measureCode: string;
  category: string;
  target: { id: string };
  validFrom: string;
  validTo: string;
}
interface Check {
  outcome: string;
  creditClasses: { class: string; explanation: { en: string } }[];
  measures: { code: string; explanation: { memorandum: { id: string } } }[];
  commitments: { open: { id: string; dueOn: string }[]; record: { open: number; kept: number; broken: number } };
}

describe('credit commitments over HTTP', () => {
  let db: DataSource;
  let engine: AppProcess;
  let query: AppProcess;
  const today = () => chinaDate(new Date());
  const inDays = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000));

  beforeAll(async () => {
    db = await openTestDatabase();
    await truncateAll(db);
    // The apps run as the least-privilege role, as in production; the scheduler ticks often so a reported breach is decided at once.
    const env = { ...(await appRoleEnv(testDatabaseUrl())), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', LIFECYCLE_INTERVAL_MS: '200' };
    [engine, query] = await Promise.all([freePort().then((port) => AppProcess.start('decision-engine', env, port)), freePort().then((port) => AppProcess.start('query-api', env, port))]);
  });

  afterAll(async () => {
    await Promise.all([engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const call = (method: 'GET' | 'POST', path: string, department: string, body?: unknown) =>
    fetch(`${query.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer dev-${department}-token`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const commitment = (reference: string, dueOn = inDays(60)) => ({
    reference,
    subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区嘉禾商贸有限公司' },
    approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
    promise: '承诺60日内补齐经营场所证明材料',
    dueOn,
    approval: { reference: `JY1510802-${reference}`, grantedOn: today() },
  });
  const refused = async (response: Response, status: number, code: string) => {
    expect({ status: response.status, code: ((await response.json()) as Problem).code }).toEqual({ status, code });
  };
  const check = async (department: string) =>
    (await (await call('GET', `/v1/subjects/${ENTERPRISE}/check?approvalItem=commitment-based-approval`, department)).json()) as Check;
  async function tasksOf(department: string): Promise<Task[]> {
    const page = (await (await call('GET', '/v1/tasks?state=active', department)).json()) as { tasks: Task[] };
    return page.tasks.filter((t) => t.memorandumId === 'commitment-breaches');
  }

  it('records a commitment once (a retry answers it, other content under its reference is refused) and shows it in the credit check', async () => {
    const created = await call('POST', '/v1/commitments', 'market-regulation', commitment('利市监承诺〔2026〕1号'));
    expect(created.status).toBe(201);
    const stored = (await created.json()) as Commitment;
    expect(stored).toMatchObject({ state: 'open', reference: '利市监承诺〔2026〕1号', subject: { id: ENTERPRISE }, breach: null, fulfilment: null });

    const retry = await call('POST', '/v1/commitments', 'market-regulation', commitment('利市监承诺〔2026〕1号'));
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as Commitment).id).toBe(stored.id);
    await refused(await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕1号'), promise: '另一项承诺' }), 409, 'COMMITMENT.REFERENCE_REUSED');

    const checked = await check('market-regulation');
    expect(checked.commitments.open.map((c) => c.id)).toEqual([stored.id]);
    expect(checked.commitments.record).toEqual({ open: 1, kept: 0, broken: 0 });
    // Another department sees the record, not the market regulator's open commitments.
    expect((await check('tax')).commitments).toEqual({ open: [], record: { open: 1, kept: 0, broken: 0 } });
  });

  it('refuses what it cannot record, with a code for each refusal', async () => {
    await refused(await call('POST', '/v1/commitments', 'finance', commitment('财承诺-1')), 403, 'COMMITMENT.NOT_ALLOWED');
    await refused(await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕2号'), dueOn: 'soon' }), 400, 'REQUEST.INVALID_COMMITMENT');
    // A NUL PostgreSQL would refuse, or a control character the breach's event would be refused for later: 400, as the intake answers them.
    await refused(await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕2号'), promise: '承诺\u0000补齐材料' }), 400, 'REQUEST.INVALID_COMMITMENT');
    await refused(await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕2号'), promise: '承诺\u0007补齐材料' }), 400, 'REQUEST.INVALID_COMMITMENT');
    await refused(await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕2号'), approval: { reference: 'JY-2', grantedOn: inDays(2) } }), 422, 'COMMITMENT.DATE_IN_FUTURE');
    await refused(await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕2号'), dueOn: inDays(-1) }), 422, 'COMMITMENT.DATE_BEFORE_APPROVAL');
    await refused(
      await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕2号'), subject: { kind: 'enterprise', idType: 'USCC', id: '91510802MA6B3N4TXA', name: '某公司' } }),
      422,
      'SUBJECT.BAD_CHECK_DIGIT',
    );
    await refused(await call('GET', '/v1/commitments/00000000-0000-4000-8000-000000000000', 'market-regulation'), 404, 'COMMITMENT.NOT_FOUND');
    await refused(await call('GET', '/v1/commitments/510802198206300571', 'market-regulation'), 404, 'COMMITMENT.NOT_FOUND');
  });

  it('turns a reported breach into an event decided by commitment-breaches: no commitment-based approval from any approving department, key supervision by the recorder', async () => {
    const { id } = (await (await call('POST', '/v1/commitments', 'market-regulation', commitment('利市监承诺〔2026〕3号'))).json()) as Commitment;
    await refused(await call('GET', `/v1/commitments/${id}`, 'tax'), 403, 'COMMITMENT.NOT_RECORDING_DEPARTMENT');
    await refused(await call('POST', `/v1/commitments/${id}/breach`, 'tax', { breachedOn: today(), reason: '核查不符' }), 403, 'COMMITMENT.NOT_RECORDING_DEPARTMENT');
    await refused(await call('POST', `/v1/commitments/${id}/breach`, 'market-regulation', { breachedOn: inDays(1), reason: '核查不符' }), 422, 'COMMITMENT.DATE_IN_FUTURE');
    await refused(await call('POST', `/v1/commitments/${id}/breach`, 'market-regulation', { breachedOn: today() }), 400, 'REQUEST.INVALID_COMMITMENT');

    const reported = await call('POST', `/v1/commitments/${id}/breach`, 'market-regulation', { breachedOn: today(), reason: '核查发现经营场所与承诺不符', caseReference: '利市监查〔2026〕5号' });
    expect(reported.status).toBe(200);
    expect((await reported.json()) as Commitment).toMatchObject({ state: 'breached', breach: { kind: 'reported', breachedOn: today() } });
    await refused(await call('POST', `/v1/commitments/${id}/breach`, 'market-regulation', { breachedOn: today(), reason: '再次' }), 409, 'COMMITMENT.ALREADY_CLOSED');
    await refused(await call('POST', `/v1/commitments/${id}/fulfilment`, 'market-regulation', { fulfilledOn: today(), evidenceReference: 'x' }), 409, 'COMMITMENT.ALREADY_CLOSED');

    // The next lifecycle tick puts its event into the engine's intake and decides it.
    const eventId = `commitment-breach-${id}`;
    const deadline = Date.now() + 20_000;
    let read: Commitment;
    for (;;) {
      read = (await (await call('GET', `/v1/commitments/${id}`, 'market-regulation')).json()) as Commitment;
      if (read.breach?.eventId) break;
      if (Date.now() > deadline) throw new Error(`the breach was not announced:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(read.breach!.eventId).toBe(eventId);

    const status = (await (await call('GET', `/v1/events/market-regulation/${encodeURIComponent(eventId)}`, 'market-regulation')).json()) as {
      status: string;
      type: string;
      transport: string;
      effects: { decisions: { memorandum: string }[] };
    };
    expect(status).toMatchObject({ status: 'decided', type: 'credit.commitment.breached.v1', transport: 'scheduler' });
    expect(status.effects.decisions.map((d) => d.memorandum)).toEqual(['commitment-breaches']);

    // Every approving department has its task: no commitment-based approval for a year.
    for (const [department, code] of [['market-regulation', 'CB-01'], ['tax', 'CB-02'], ['development-reform', 'CB-03'], ['housing', 'CB-04']] as const) {
      const tasks = await tasksOf(department);
      expect(tasks.find((t) => t.measureCode === code)).toMatchObject({ category: 'deny', target: { id: ENTERPRISE }, validFrom: today() });
    }
    // Key supervision by the recording department only.
    expect((await tasksOf('market-regulation')).map((t) => t.measureCode).sort()).toEqual(['CB-01', 'CB-05']);
    expect((await tasksOf('housing')).map((t) => t.measureCode)).toEqual(['CB-04']);

    const taxCheck = await check('tax');
    expect(taxCheck.outcome).toBe('deny');
    expect(taxCheck.measures.map((m) => [m.code, m.explanation.memorandum.id])).toEqual([['CB-02', 'commitment-breaches']]);
    expect(taxCheck.commitments.record).toMatchObject({ broken: 1 });
  });

  it('closes a commitment kept by its due date, once; never in the future', async () => {
    const { id } = (await (await call('POST', '/v1/commitments', 'market-regulation', commitment('利市监承诺〔2026〕4号'))).json()) as Commitment;
    await refused(await call('POST', `/v1/commitments/${id}/fulfilment`, 'market-regulation', { fulfilledOn: inDays(1), evidenceReference: '利市监核〔2026〕88号' }), 422, 'COMMITMENT.DATE_IN_FUTURE');
    const kept = await call('POST', `/v1/commitments/${id}/fulfilment`, 'market-regulation', { fulfilledOn: today(), evidenceReference: '利市监核〔2026〕88号' });
    expect(kept.status).toBe(200);
    expect((await kept.json()) as Commitment).toMatchObject({ state: 'kept', fulfilment: { fulfilledOn: today(), evidenceReference: '利市监核〔2026〕88号' }, breach: null });
    await refused(await call('POST', `/v1/commitments/${id}/fulfilment`, 'market-regulation', { fulfilledOn: today(), evidenceReference: 'again' }), 409, 'COMMITMENT.ALREADY_CLOSED');

    const checked = await check('market-regulation');
    expect(checked.commitments.open.map((c) => c.id)).not.toContain(id);
    expect(checked.commitments.record).toEqual({ open: 1, kept: 1, broken: 1 });
    // The read is audited, with the subject it names.
    const [logged] = await db.query(`SELECT endpoint, subjects FROM query_audit WHERE endpoint = 'GET /v1/commitments/:id' ORDER BY id DESC LIMIT 1`);
    expect(logged).toEqual({ endpoint: 'GET /v1/commitments/:id', subjects: [ENTERPRISE] });
  });

  it('recomputes the class of a subject whose commitment was reported kept, at the next lifecycle tick (settledAt)', async () => {
    const other = '91440101MA5CJQ4N59';
    const { id } = (await (await call('POST', '/v1/commitments', 'market-regulation', { ...commitment('利市监承诺〔2026〕5号'), subject: { kind: 'enterprise', idType: 'USCC', id: other, name: '广州某某贸易有限公司' } })).json()) as Commitment;
    const kept = (await (await call('POST', `/v1/commitments/${id}/fulfilment`, 'market-regulation', { fulfilledOn: today(), evidenceReference: '利市监核〔2026〕89号' })).json()) as Commitment;
    expect(kept.settledAt).toBeNull();
    const deadline = Date.now() + 20_000;
    let read: Commitment;
    for (;;) {
      read = (await (await call('GET', `/v1/commitments/${id}`, 'market-regulation')).json()) as Commitment;
      if (read.settledAt) break;
      if (Date.now() > deadline) throw new Error(`the kept commitment was not settled:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [stored] = await db.query(`SELECT class, explanation -> 'facts' -> 'commitments.kept' AS kept FROM credit_class WHERE subject_id = $1`, [other]);
    expect(stored).toEqual({ class: 'B', kept: 1 });
    await refused(await call('POST', `/v1/commitments/${id}/correction`, 'market-regulation', { fulfilledOn: today(), evidenceReference: 'x', reason: '更正' }), 409, 'COMMITMENT.NOT_CORRECTABLE');
  });
});
