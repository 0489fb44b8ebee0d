import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { queryClient, QuerySchemas } from '@credit-engine/client';
import { AppProcess, freePort } from '../support/app-process';
import type { Problem } from '../support/problem';
import { appRoleEnv, openTestDatabase, truncateAll } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// The applicant credit review (申请人信用审查) as an approval system calls it, over HTTP with the
// typed client: the subject's class, lists, the caller's measures, its commitments and their
// record, and whether the commitment route (告知承诺) is open, before and after a commitment the
// applicant made is broken by its date. Logged like the credit check, with its rules.

const ENTERPRISE = '91510802MA62XK0U3U';
const BURST_LIMIT = 2;
type Review = QuerySchemas['ApplicantReviewDto'];

function residentId(n: number): string {
  const body = `51080219850202${String(n).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[[...body].reduce((sum, digit, i) => sum + Number(digit) * weights[i], 0) % 11];
}

describe('applicant credit review over HTTP', () => {
  let db: DataSource;
  let engine: AppProcess;
  let query: AppProcess;
  const today = () => chinaDate(new Date());
  const inDays = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000));
  const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    db = await openTestDatabase();
    await truncateAll(db);
    const env = { ...(await appRoleEnv(testDatabaseUrl())), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', LIFECYCLE_INTERVAL_MS: '200', CHECK_DISTINCT_PERSONS_PER_MINUTE: String(BURST_LIMIT) };
    [engine, query] = await Promise.all([freePort().then((port) => AppProcess.start('decision-engine', env, port)), freePort().then((port) => AppProcess.start('query-api', env, port))]);
  });

  afterAll(async () => {
    await Promise.all([engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const review = async (department: string, id = ENTERPRISE, approvalItem = 'administrative-licensing', purpose?: string, userId?: string) => {
    const { data, error, response } = await queryClient(query.baseUrl, `dev-${department}-token`).GET('/v1/subjects/{id}/applicant-review', {
      params: { path: { id }, query: { approvalItem, ...(purpose ? { purpose } : {}) }, header: userId ? { 'x-user-id': userId } : {} },
    });
    return { review: data as Review | undefined, problem: error as Problem | undefined, status: response.status };
  };
  const post = (path: string, department: string, body: unknown) =>
    fetch(`${query.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer dev-${department}-token`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what}:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('finds the route open for an applicant with nothing on record, and logs the review as its own endpoint', async () => {
    const { review: clean, status } = await review('market-regulation', ENTERPRISE, 'administrative-licensing', '利市监许〔2026〕301号', 'clerk-11');
    expect(status).toBe(200);
    expect(clean).toMatchObject({
      department: 'market-regulation',
      approvalItem: { code: 'administrative-licensing' },
      subject: { id: ENTERPRISE, idType: 'USCC' },
      record: false,
      outcome: 'clear',
      listMemberships: [],
      measures: [],
      commitments: { open: [], record: { open: 0, kept: 0, broken: 0 }, history: [] },
      commitmentRoute: { allowed: true, reasons: [] },
    });
    expect(clean!.creditClasses).toEqual([expect.objectContaining({ class: 'B', basis: 'default' })]);
    const [logged] = await db.query(`SELECT id::text, endpoint, approval_item AS "approvalItem", purpose, user_id AS "userId", subjects FROM query_audit WHERE id = $1`, [clean!.reviewId]);
    expect(logged).toEqual({ id: clean!.reviewId, endpoint: 'GET /v1/subjects/:id/applicant-review', approvalItem: 'administrative-licensing', purpose: '利市监许〔2026〕301号', userId: 'clerk-11', subjects: [ENTERPRISE] });
  });

  it('closes the route for a year from the day a commitment was broken, naming the measure; shows the commitment, how it ended, and the class it caused', async () => {
    const recorded = await post('/v1/commitments', 'market-regulation', {
      reference: '利市监承诺〔2026〕301号',
      subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区某某建材有限公司' },
      approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
      promise: '承诺10日内补齐经营场所证明材料',
      // Due yesterday and not reported kept: the next tick breaks it today.
      dueOn: inDays(-1),
      approval: { reference: 'JY15108020030101', grantedOn: inDays(-10) },
    });
    expect(recorded.status).toBe(201);
    const { id } = (await recorded.json()) as { id: string };
    const barred = await until('the broken commitment was not decided', () => review('market-regulation'), (r) => r.review?.commitmentRoute.allowed === false);
    expect(barred.review!.commitmentRoute.reasons).toEqual([
      expect.objectContaining({ code: 'measure-in-force', measure: expect.objectContaining({ code: 'CB-01', validTo: addDays(today(), 364), disputed: false }) }),
    ]);
    expect(barred.review!.commitments).toEqual({
      open: [],
      record: { open: 0, kept: 0, broken: 1 },
      history: [{ id, department: 'market-regulation', reference: '利市监承诺〔2026〕301号', approvalItem: { code: 'food-business-licence', name: '食品经营许可' }, dueOn: inDays(-1), ended: 'broken', endedOn: today(), breach: { kind: 'overdue', withdrawnBy: null } }],
    });
    expect(barred.review!.creditClasses).toEqual([expect.objectContaining({ class: 'C', rule: expect.objectContaining({ name: 'broken-commitment' }), matchedFacts: { 'commitments.broken': 1 } })]);
    // The licensing item itself is not denied: the applicant is reviewed under the ordinary procedure.
    expect(barred.review).toMatchObject({ record: true, outcome: 'clear', measures: [] });

    // Every approving department's own measure bars it; a department without one sees the record only.
    expect((await review('tax', ENTERPRISE, 'tax-services')).review!.commitmentRoute.reasons.map((r) => r.measure.code)).toEqual(['CB-02']);
    const finance = (await review('finance', ENTERPRISE, 'fiscal-subsidy')).review!;
    expect(finance.commitmentRoute).toEqual({ allowed: true, reasons: [] });
    expect(finance.commitments.record.broken).toBe(1);

    // The department corrects it (kept in time, reported late): the breach decision is withdrawn and the route opens again.
    const corrected = await post(`/v1/commitments/${id}/correction`, 'market-regulation', { fulfilledOn: inDays(-1), evidenceReference: '利市监核〔2026〕301号', reason: '申请人到期日前已提交材料，录入延误' });
    expect(corrected.status).toBe(200);
    const reopened = await until('the correction was not settled', () => review('market-regulation'), (r) => r.review?.commitmentRoute.allowed === true);
    expect(reopened.review!.commitments.record).toEqual({ open: 0, kept: 1, broken: 0 });
    expect(reopened.review!.commitments.history).toEqual([expect.objectContaining({ id, ended: 'kept-corrected', endedOn: inDays(-1), breach: null })]);
    expect(reopened.review!.creditClasses).toEqual([expect.objectContaining({ class: 'B' })]);
  });

  it('asks the clerk and the purpose for a natural person, and counts reviews and checks of persons together towards the burst limit', async () => {
    const missingUser = await review('market-regulation', residentId(1), 'administrative-licensing', '利市监许〔2026〕302号');
    expect({ status: missingUser.status, code: missingUser.problem?.code }).toEqual({ status: 400, code: 'CHECK.USER_ID_REQUIRED' });
    const missingPurpose = await review('market-regulation', residentId(1), 'administrative-licensing', undefined, 'clerk-12');
    expect({ status: missingPurpose.status, code: missingPurpose.problem?.code }).toEqual({ status: 400, code: 'CHECK.PURPOSE_REQUIRED' });

    const checked = await fetch(`${query.baseUrl}/v1/subjects/${residentId(1)}/check?approvalItem=administrative-licensing&purpose=walk`, { headers: { authorization: 'Bearer dev-market-regulation-token', 'x-user-id': 'clerk-12' } });
    expect(checked.status).toBe(200);
    const person = await review('market-regulation', residentId(2), 'administrative-licensing', 'walk', 'clerk-12');
    expect(person.review).toMatchObject({ record: false, commitments: { history: [] }, selfDiscipline: null, commitmentRoute: { allowed: true } });
    const refused = await review('market-regulation', residentId(3), 'administrative-licensing', 'walk', 'clerk-12');
    expect({ status: refused.status, code: refused.problem?.code }).toEqual({ status: 429, code: 'CHECK.BURST_REFUSED' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM query_audit WHERE subject_id = $1`, [residentId(3)]);
    expect(n).toBe(0);
  });

  it('refuses an unknown approval item with the known ones', async () => {
    const unknown = await review('market-regulation', ENTERPRISE, 'no-such-item');
    expect({ status: unknown.status, code: unknown.problem?.code }).toEqual({ status: 400, code: 'CHECK.UNKNOWN_APPROVAL_ITEM' });
  });
});
