import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chinaDate, computeUsccCheckCharacter } from '@app/domain';
import { AppProcess, freePort } from '../support/app-process';
import type { Problem } from '../support/problem';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// Differentiated supervision as market regulation meets it over HTTP (README "Supervision
// samples"): an enterprise listed as abnormal is class C and the credit check gives its
// ratio; this quarter's spot-check sample draws it from the class-C stratum at 20% while the
// unclassified ones sit in B at 5%; the draw is stored once, read back, verified from its
// seed; every refusal a 4xx with its code; a broken plan file stops the boot.

const today = chinaDate(new Date());
const uscc = (n: number) => {
  const first17 = `91510802MA${String(n).padStart(7, '0')}`;
  return first17 + computeUsccCheckCharacter(first17);
};
const ABNORMAL = uscc(7_000_001);
const A_GRADE = uscc(7_000_002);
const UNCLASSIFIED = Array.from({ length: 38 }, (_, i) => uscc(7_100_000 + i));
const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
const QUARTER = quarterOf(today);
const previousQuarter = () => {
  const [year, q] = [Number(QUARTER.slice(0, 4)), Number(QUARTER.slice(6))];
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
};

interface Sample {
  id: string;
  period: { name: string };
  seed: string;
  population: { total: number; listed: number; classified: number; defaultClass: { class: string; count: number } };
  strata: { class: string; inspectionRatio: number; frequency: string; due: boolean; population: number; sampleSize: number }[];
  drawn: { subjectId: string; class: string; basis: string; rank: string }[];
}
interface CheckedClass {
  model: { id: string };
  class: string;
  supervision: { planned: true; inspectionRatio: number; frequency: string; expectedInspectionsPerYear: number } | { planned: false; reason: string } | null;
}

describe('supervision samples over HTTP (apps as processes)', () => {
  let db: DataSource;
  let apps: AppProcess[] = [];
  let ingest: AppProcess;
  let query: AppProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('supervision_e2e');
    db = await openTestDatabase(url);
    await truncateAll(db);
    env = { ...(await appRoleEnv(url)), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', LOG_LEVEL: 'verbose' };
    apps = await Promise.all((['ingest-api', 'decision-engine', 'query-api'] as const).map(async (name) => AppProcess.start(name, env, await freePort())));
    [ingest, , query] = apps;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await db?.destroy();
  });

  const call = (method: 'GET' | 'POST', path: string, department: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${query.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer dev-${department}-token`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const refused = async (response: Response, status: number, code: string): Promise<Problem> => {
    const problem = (await response.json()) as Problem;
    expect({ status: response.status, code: problem.code }).toEqual({ status, code });
    return problem;
  };
  const publish = async (department: string, id: string, type: string, subject: string, data: Record<string, unknown>) => {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${department}-token`, 'content-type': 'application/json' },
      body: JSON.stringify({
        specversion: '1.0', id, source: `/departments/${department}`, type, subject, time: new Date().toISOString(), datacontenttype: 'application/json',
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: `利州区测试企业${subject.slice(-4)}` }, decidedOn: today, ...data },
      }),
    });
    expect(response.status).toBe(202);
  };
  const marketClass = async (department: string, id: string): Promise<CheckedClass | undefined> => {
    const response = await call('GET', `/v1/subjects/${id}/check?approvalItem=inspection-planning&purpose=${encodeURIComponent('双随机抽查')}`, department, undefined, { 'x-user-id': 'inspector-1' });
    expect(response.status).toBe(200);
    return ((await response.json()) as { creditClasses: CheckedClass[] }).creditClasses.find((c) => c.model.id === 'market-credit-class');
  };
  const classOnceIt = async (id: string, expected: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = await marketClass('market-regulation', id);
      if (found?.class === expected) return found;
      if (Date.now() > deadline) throw new Error(`class never became ${expected}: ${JSON.stringify(found)}\n${apps[1].log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  let sample: Sample;

  it("answers the caller's inspection ratio and frequency for the subject's class in the credit check", async () => {
    await publish('market-regulation', 'supervision-e2e-abnormal', 'credit.list-entry.added.v1', ABNORMAL, { listCode: 'abnormal-operation', reason: 'annual-report-not-filed', documentNumber: '利市监异列〔2026〕301号' });
    await publish('tax', 'supervision-e2e-a-grade', 'credit.rating.assigned.v1', A_GRADE, { scheme: 'tax-credit', grade: 'A', ratingYear: 2025, documentNumber: '广利税信评〔2026〕31号' });
    expect((await classOnceIt(ABNORMAL, 'C')).supervision).toEqual({ planned: true, inspectionRatio: 0.2, frequency: 'quarter', expectedInspectionsPerYear: 0.8 });
    expect((await classOnceIt(A_GRADE, 'A')).supervision).toEqual({ planned: true, inspectionRatio: 0.03, frequency: 'quarter', expectedInspectionsPerYear: 0.12 });
    // A subject never seen: the default class B, at B's ratio.
    expect(await marketClass('market-regulation', UNCLASSIFIED[0])).toMatchObject({ class: 'B', supervision: { inspectionRatio: 0.05 } });
    // Finance has no spot-check plan for the model.
    expect((await marketClass('finance', ABNORMAL))!.supervision).toBeNull();
  });

  it('draws the quarter’s sample: the class-C enterprise from the 20% stratum, the unclassified ones in B at 5%, audited', async () => {
    const response = await call('POST', '/v1/supervision/samples', 'market-regulation', { period: QUARTER, population: { subjects: [ABNORMAL, A_GRADE, ...UNCLASSIFIED] } }, { 'x-user-id': 'inspector-1' });
    expect(response.status).toBe(201);
    sample = (await response.json()) as Sample;
    expect(sample.period.name).toBe(QUARTER);
    expect(sample.population).toMatchObject({ total: 40, listed: 40, classified: 0, defaultClass: { class: 'B', count: 38 } });
    expect(sample.strata).toEqual([
      { class: 'A', inspectionRatio: 0.03, frequency: 'quarter', due: true, population: 1, sampleSize: 1 },
      { class: 'B', inspectionRatio: 0.05, frequency: 'quarter', due: true, population: 38, sampleSize: 2 },
      { class: 'C', inspectionRatio: 0.2, frequency: 'quarter', due: true, population: 1, sampleSize: 1 },
      { class: 'D', inspectionRatio: 1, frequency: 'quarter', due: true, population: 0, sampleSize: 0 },
    ]);
    expect(sample.drawn.find((d) => d.subjectId === ABNORMAL)).toMatchObject({ class: 'C', basis: 'rule' });
    expect(sample.drawn.filter((d) => d.class === 'B').every((d) => UNCLASSIFIED.includes(d.subjectId) && d.basis === 'default')).toBe(true);
    const [audit] = await db.query(`SELECT subjects FROM query_audit WHERE endpoint = 'POST /v1/supervision/samples' AND department = 'market-regulation' AND user_id = 'inspector-1'`);
    expect(audit.subjects).toEqual(sample.drawn.map((d) => d.subjectId).sort());
  });

  it('refuses a second draw for the quarter with the first sample’s id, and reads and verifies the one drawn', async () => {
    const again = await refused(await call('POST', '/v1/supervision/samples', 'market-regulation', { period: QUARTER, population: { subjects: [ABNORMAL] } }), 409, 'SUPERVISION.ALREADY_DRAWN');
    expect(again.context).toMatchObject({ sampleId: sample.id });
    expect(await (await call('GET', `/v1/supervision/samples/${sample.id}`, 'market-regulation')).json()).toEqual(sample);
    const verification = await (await call('GET', `/v1/supervision/samples/${sample.id}/verification`, 'market-regulation')).json();
    expect(verification).toMatchObject({ sampleId: sample.id, seed: sample.seed, reproducible: true, populationDigest: { matches: true }, strata: { matches: true }, drawn: { matches: true, count: 4 }, ratiosInForce: true });
    const list = (await (await call('GET', `/v1/supervision/samples?period=${QUARTER}`, 'market-regulation')).json()) as { samples: { id: string; drawnCount: number }[] };
    expect(list.samples.map((s) => [s.id, s.drawnCount])).toEqual([[sample.id, 4]]);
  });

  it('answers 4xx with a code for what it cannot draw or show', async () => {
    const draw = (body: unknown, department = 'market-regulation') => call('POST', '/v1/supervision/samples', department, body);
    const population = { subjects: [ABNORMAL] };
    await refused(await draw({ period: 'next quarter', population }), 400, 'REQUEST.INVALID_SAMPLE');
    await refused(await draw({ period: QUARTER }), 400, 'REQUEST.INVALID_SAMPLE');
    await refused(await draw({ period: QUARTER, population: { subjects: [ABNORMAL], seed: 'ff'.repeat(32) } }), 400, 'REQUEST.INVALID_SAMPLE');
    await refused(await draw('[1,2', 'market-regulation'), 400, 'EVENT.MALFORMED_JSON');
    await refused(await draw({ period: `${today.slice(0, 7)}`, population }), 400, 'SUPERVISION.BAD_PERIOD');
    await refused(await draw({ period: previousQuarter(), population }), 422, 'SUPERVISION.PERIOD_NOT_OPEN');
    await refused(await draw({ model: 'tax-grades', period: QUARTER, population }), 400, 'SUPERVISION.UNKNOWN_MODEL');
    await refused(await draw({ period: QUARTER, population: { subjects: [UNCLASSIFIED[1], UNCLASSIFIED[2], UNCLASSIFIED[1]] } }), 400, 'SUPERVISION.DUPLICATE_SUBJECT');
    await refused(await draw({ period: QUARTER, population: {} }), 422, 'SUPERVISION.EMPTY_POPULATION');
    // A natural person's resident ID is no organisation; the answer names its position, not the number.
    const person = await refused(await draw({ period: QUARTER, population: { subjects: [ABNORMAL, '11010519491231002X'] } }), 422, 'SUBJECT.BAD_DIVISION');
    expect(JSON.stringify(person)).not.toContain('11010519491231002X');
    expect(person.context).toMatchObject({ index: 1 });
    await refused(await draw({ period: QUARTER, population }, 'tax'), 403, 'SUPERVISION.NOT_CONFIGURED');
    await refused(await draw({ period: QUARTER, population }, 'construction-association'), 403, 'DEPARTMENT.GOVERNMENT_ONLY');
    await refused(await call('GET', `/v1/supervision/samples/${sample.id}`, 'tax'), 403, 'SUPERVISION.NOT_OWN_SAMPLE');
    await refused(await call('GET', `/v1/supervision/samples/${sample.id}/verification`, 'tax'), 403, 'SUPERVISION.NOT_OWN_SAMPLE');
    await refused(await call('GET', '/v1/supervision/samples/00000000-0000-4000-8000-000000000000', 'market-regulation'), 404, 'SUPERVISION.NOT_FOUND');
    await refused(await call('GET', '/v1/supervision/samples?period=Q4', 'market-regulation'), 400, 'SUPERVISION.BAD_PERIOD');
    await refused(await fetch(`${query.baseUrl}/v1/supervision/samples/${sample.id}`), 401, 'DEPARTMENT.NOT_AUTHENTICATED');
  });

  it('refuses to start when the supervision plan names a class the model does not have', async () => {
    const plans = JSON.parse(readFileSync(join(__dirname, '../../config/supervision.json'), 'utf8'));
    plans.plans[0].classes.E = { inspectionRatio: 0.5 };
    const file = join(mkdtempSync(join(tmpdir(), 'supervision-')), 'supervision.json');
    writeFileSync(file, JSON.stringify(plans));
    const failed = await AppProcess.start('query-api', { ...env, SUPERVISION_FILE: file }, await freePort(), 30_000).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/exited with 1[\s\S]*SUPERVISION_FILE=[^\n]*market-credit-class has no class \\?"E\\?" \(its classes: A, B, C, D\)/);
  });

  it('writes no resident ID to any app\'s log, the one refused above included', () => {
    // At the most verbose level the apps have (LOG_LEVEL verbose), so that the check reads everything they could write.
    expect(apps.some((app) => /"level":"(debug|trace)"/.test(app.log))).toBe(true);
    for (const app of apps) expect(app.log).not.toMatch(/\b\d{17}[\dX]\b/);
  });
});
