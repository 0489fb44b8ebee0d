import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { chinaDate, computeUsccCheckCharacter } from '@app/domain';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// The README's "Walk-through: one enterprise" (issue 15), step by step through the apps as
// processes: an A-grade taxpayer is class A; a broken credit commitment moves it to class C with
// its explanation (and closes the commitment route of the applicant review); market
// regulation's spot-check sample for the quarter draws it from the class-C stratum; the tender's
// credit report shows all of it and verifies through the public endpoint.

const today = chinaDate(new Date());
const uscc = (n: number) => {
  const first17 = `91510802MA${String(n).padStart(7, '0')}`;
  return first17 + computeUsccCheckCharacter(first17);
};
const ENTERPRISE = uscc(8_000_001);
const NAME = '广元市利州区嘉禾商贸有限公司';
const NEVER_SEEN = Array.from({ length: 19 }, (_, i) => uscc(8_100_000 + i));
const QUARTER = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
const inDays = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface CheckedClass {
  model: { id: string };
  class: string;
  basis: string;
  rule: { name: string } | null;
  matchedFacts: Record<string, unknown>;
  explanation: { zh: string; en: string };
  supervision: { inspectionRatio: number; frequency: string } | null;
}

describe('walk-through: one enterprise from class A to a verified tender report (apps as processes)', () => {
  let db: DataSource;
  let apps: AppProcess[] = [];
  let ingest: AppProcess;
  let query: AppProcess;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('walk_through_e2e');
    db = await openTestDatabase(url);
    await truncateAll(db);
    // The scheduler ticks often, so a reported breach is announced and decided at once.
    const env = { ...(await appRoleEnv(url)), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', LIFECYCLE_INTERVAL_MS: '200', LOG_LEVEL: 'warn' };
    apps = await Promise.all((['ingest-api', 'decision-engine', 'query-api'] as const).map(async (name) => AppProcess.start(name, env, await freePort())));
    [ingest, , query] = apps;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await db?.destroy();
  });

  const call = (method: 'GET' | 'POST', path: string, department: string | null, body?: unknown) =>
    fetch(`${query.baseUrl}${path}`, {
      method,
      headers: {
        ...(department === null ? {} : { authorization: `Bearer dev-${department}-token` }),
        'x-user-id': 'clerk-7',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const marketClass = async (): Promise<CheckedClass> => {
    const response = await call('GET', `/v1/subjects/${ENTERPRISE}/check?approvalItem=inspection-planning&purpose=${encodeURIComponent('双随机抽查')}`, 'market-regulation');
    expect(response.status).toBe(200);
    return ((await response.json()) as { creditClasses: CheckedClass[] }).creditClasses.find((c) => c.model.id === 'market-credit-class')!;
  };
  async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value).slice(0, 2000)}\n${apps[1].log.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('1. the tax bureau rates it an A-grade taxpayer: class A, inspected at A’s 3 %', async () => {
    expect(await marketClass()).toMatchObject({ class: 'B', basis: 'default' });
    const published = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-tax-token', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0', id: 'walk-through-rating', source: '/departments/tax', type: 'credit.rating.assigned.v1', subject: ENTERPRISE, time: new Date().toISOString(),
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: NAME }, decidedOn: today, scheme: 'tax-credit', grade: 'A', ratingYear: 2025, documentNumber: '广利税信评〔2026〕1号' },
      }),
    });
    expect(published.status).toBe(202);
    const a = await until('never class A', marketClass, (c) => c.class === 'A');
    expect(a).toMatchObject({ basis: 'rule', rule: { name: 'commended' }, supervision: { inspectionRatio: 0.03, frequency: 'quarter' } });
    expect(a.explanation.zh).toContain('守信红名单');
  });

  it('2. it breaks a credit commitment: class C with its explanation, and no commitment route for a year', async () => {
    const recorded = await call('POST', '/v1/commitments', 'market-regulation', {
      reference: '利市监承诺〔2026〕17号',
      subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: NAME },
      approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
      promise: '承诺60日内补齐经营场所证明材料',
      dueOn: inDays(60),
      approval: { reference: 'JY15108020012345', grantedOn: today },
    });
    expect(recorded.status).toBe(201);
    const { id } = (await recorded.json()) as { id: string };
    expect((await call('POST', `/v1/commitments/${id}/breach`, 'market-regulation', { breachedOn: today, reason: '核查发现经营场所与承诺不符' })).status).toBe(200);

    const c = await until('never class C', marketClass, (found) => found.class === 'C');
    expect(c).toMatchObject({ basis: 'rule', rule: { name: 'broken-commitment' }, matchedFacts: { 'commitments.broken': 1 }, supervision: { inspectionRatio: 0.2, frequency: 'quarter' } });
    expect(c.explanation.zh).toBe('C类（信用风险较高）：存在未履行的信用承诺（commitments.broken=1）');

    // The change reached market regulation's feed as its own record kind: A → C, and why.
    const feed = (await (await call('GET', '/v1/feed?after=0&limit=500', 'market-regulation')).json()) as { records: { kind: string; subjectId?: string; previousClass?: string; class?: string; rule?: { name: string } }[] };
    const changes = feed.records.filter((r) => r.kind === 'credit-class.changed' && r.subjectId === ENTERPRISE).map((r) => [r.previousClass, r.class, r.rule?.name]);
    expect(changes).toEqual([['B', 'A', 'commended'], ['A', 'C', 'broken-commitment']]);

    // The applicant review of a commitment-based approval: the route is closed by the breach's measure.
    const review = (await (await call('GET', `/v1/subjects/${ENTERPRISE}/applicant-review?approvalItem=administrative-licensing&purpose=${encodeURIComponent('利市监许〔2026〕301号')}`, 'market-regulation')).json()) as {
      commitmentRoute: { allowed: boolean; reasons: { code: string; measure: { code: string } }[] };
      commitments: { record: { broken: number } };
    };
    expect(review.commitmentRoute.allowed).toBe(false);
    expect(review.commitmentRoute.reasons.map((r) => [r.code, r.measure.code])).toEqual([['measure-in-force', 'CB-01']]);
    expect(review.commitments.record.broken).toBe(1);
  });

  it('3. market regulation’s sample for the quarter draws it from the class-C stratum (20 %), the never-seen ones at B’s 5 %', async () => {
    const response = await call('POST', '/v1/supervision/samples', 'market-regulation', { period: QUARTER, population: { subjects: [ENTERPRISE, ...NEVER_SEEN] } });
    expect(response.status).toBe(201);
    const sample = (await response.json()) as { id: string; strata: { class: string; population: number; sampleSize: number; inspectionRatio: number }[]; drawn: { subjectId: string; class: string }[] };
    expect(sample.strata.map((s) => [s.class, s.inspectionRatio, s.population, s.sampleSize])).toEqual([['A', 0.03, 0, 0], ['B', 0.05, 19, 1], ['C', 0.2, 1, 1], ['D', 1, 0, 0]]);
    expect(sample.drawn.find((d) => d.subjectId === ENTERPRISE)).toMatchObject({ class: 'C' });
    const verification = (await (await call('GET', `/v1/supervision/samples/${sample.id}/verification`, 'market-regulation')).json()) as { reproducible: boolean };
    expect(verification.reproducible).toBe(true);
  });

  it('4. the tender’s credit report shows all of it, and verifies through the public endpoint', async () => {
    const response = await call('POST', '/v1/reports', 'finance', { subject: ENTERPRISE, use: 'tendering', purpose: '广利采〔2026〕17号 资格审查' });
    expect(response.status).toBe(201);
    const issued = (await response.json()) as { number: string; verificationCode: string; pdf: { sha256: string; href: string }; html: { sha256: string; href: string } };

    const html = await (await call('GET', `/v1/reports/${issued.number}.html`, 'finance')).text();
    for (const shown of [NAME, ENTERPRISE, 'C类（信用风险较高）', '存在未履行的信用承诺', '纳税信用A级纳税人名单', '利市监承诺〔2026〕17号', '未履约（失信）', 'CB-01']) expect(html).toContain(shown);
    const pdf = Buffer.from(await (await call('GET', `/v1/reports/${issued.number}.pdf`, 'finance')).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // A third party with the number and the code: genuine, and the file it holds is the one issued.
    const verified = await call('GET', `/v1/public/reports/${issued.number}?code=${issued.verificationCode}`, null);
    expect(verified.status).toBe(200);
    const answer = (await verified.json()) as { valid: boolean; pdfSha256: string; subject: { name: string; id: string } };
    expect(answer).toMatchObject({ valid: true, subject: { name: NAME, id: ENTERPRISE } });
    expect(answer.pdfSha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const wrong = await call('GET', `/v1/public/reports/${issued.number}?code=${issued.verificationCode.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))}`, null);
    expect(wrong.status).toBe(404);
  });
});
