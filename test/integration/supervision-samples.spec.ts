import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, loadAppConfig } from '@app/config';
import { computeUsccCheckCharacter, Department, DomainError } from '@app/domain';
import { CatalogueService, CreditClassCatalogue } from '@app/engine';
import { CreditClassRepository, QueryAuditRepository, SupervisionSampleRepository } from '@app/persistence';
import { drawSample, QueryAuditService, SampleView, SupervisionPlans, SupervisionSampleService } from '@app/query';
import { openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { MovableClock } from '../support/engine-harness';

// Spot-check samples (双随机抽查) on real PostgreSQL: drawn from stored classes and the model's
// default, stored once per department, model and period (two simultaneous draws: one wins),
// audited with the subjects drawn, and redone from the stored seed and population.

const root = join(__dirname, '../..');
const MODEL = 'market-credit-class';
const department = (code: string): Department => ({ code, name: { zh: code, en: code }, publishes: { eventTypes: [], lists: [] }, credentials: { tokens: [] } });
const MARKET = department('market-regulation');
const TAX = department('tax');
/** A valid unified social credit code of a Lizhou enterprise, numbered. */
const uscc = (n: number) => {
  const first17 = `91510802MA${String(n).padStart(7, '0')}`;
  return first17 + computeUsccCheckCharacter(first17);
};

describe('supervision samples (real PostgreSQL)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let samples: SupervisionSampleService;
  let repository: SupervisionSampleRepository;
  let plans: SupervisionPlans;
  let revision: string;
  let version: string;
  let config: AppConfig;
  let catalogue: CatalogueService;
  let classModels: CreditClassCatalogue;

  beforeAll(async () => {
    db = await openTestDatabase(await ownTestDatabaseUrl('supervision'));
    config = { ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: join(root, 'config/departments.json'), SUPERVISION_FILE: join(root, 'config/supervision.json') } as AppConfig;
    catalogue = new CatalogueService(config);
    classModels = new CreditClassCatalogue(config, catalogue);
    revision = classModels.model(MODEL)!.revision;
    version = classModels.model(MODEL)!.version;
    clock = new MovableClock(new Date('2026-11-25T02:00:00Z'));
    plans = new SupervisionPlans(config, catalogue, classModels);
    repository = new SupervisionSampleRepository(db);
    samples = new SupervisionSampleService(plans, classModels, repository, new QueryAuditService(new QueryAuditRepository(db), config, clock), clock);
  });

  beforeEach(async () => {
    await truncateAll(db);
    clock.set('2026-11-25T02:00:00Z');
  });

  afterAll(async () => {
    await db?.destroy();
  });

  /** Store classes as the engine would: `classes` maps a subject number to its class. */
  const classify = (classes: Record<number, string>) =>
    db.transaction((manager) =>
      new CreditClassRepository(db).save(
        manager,
        Object.entries(classes).map(([n, cls]) => ({
          modelId: MODEL, subjectIdType: 'USCC', subjectId: uscc(Number(n)), subjectKind: 'enterprise', class: cls, basis: 'rule' as const,
          modelVersion: version, modelRevision: revision, explanation: {}, asOf: '2026-11-25', causeKey: `test-${n}`, previousClass: null, changed: true, at: clock.now(),
        })),
      ),
    );
  const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('accepted'); }, (error: DomainError) => error);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('refuses a draw meeting classes of an earlier model revision or a class the model no longer has, storing nothing', async () => {
    await classify({ 0: 'C', 1: 'D' });
    await db.query(`UPDATE credit_class SET model_revision = 'sha256:earlier' WHERE subject_id = $1`, [uscc(0)]);
    const listed = { period: '2026-Q4', population: { subjects: [uscc(0), uscc(1)] } };
    expect(await refusal(samples.draw(MARKET, listed))).toMatchObject({ code: 'SUPERVISION.CLASSES_STALE', context: { model: MODEL, revision, otherRevision: 1, unplannedClasses: [] } });
    // A class an edited model file dropped, stored under that earlier revision.
    await db.query(`UPDATE credit_class SET class = 'E' WHERE subject_id = $1`, [uscc(0)]);
    expect(await refusal(samples.draw(MARKET, { period: '2026-Q4', population: { includeClassified: true } }))).toMatchObject({ code: 'SUPERVISION.CLASSES_STALE', context: { unplannedClasses: ['E'] } });
    expect(await db.query(`SELECT id FROM supervision_sample`)).toEqual([]);
    // Reclassified under the current revision (the engine's sweep), the draw goes ahead.
    await classify({ 0: 'C' });
    expect((await samples.draw(MARKET, listed)).population.total).toBe(2);
  });

  it('draws each class at its ratio from stored classes and the default, stores the draw and audits the subjects drawn', async () => {
    // 40 listed: 10 in C, 2 in D, 8 in A, 20 never classified (default class B); 5 more classified but not listed.
    await classify(Object.fromEntries([...range(0, 10).map((n) => [n, 'C']), [10, 'D'], [11, 'D'], ...range(12, 20).map((n) => [n, 'A']), ...range(100, 105).map((n) => [n, 'B'])]));
    const listed = range(0, 40).map(uscc);
    const sample = await samples.draw(MARKET, { period: '2026-Q4', population: { subjects: listed } }, 'clerk-7');

    expect(sample).toMatchObject({ department: 'market-regulation', model: { id: MODEL, version, revision }, period: { name: '2026-Q4', frequency: 'quarter', from: '2026-10-01', to: '2026-12-31' }, drawnBy: 'clerk-7' });
    expect(sample.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(sample.population).toMatchObject({ total: 40, listed: 40, classified: 0, defaultClass: { class: 'B', count: 20 } });
    expect(sample.strata).toEqual([
      { class: 'A', inspectionRatio: 0.03, frequency: 'quarter', due: true, population: 8, sampleSize: 1 },
      { class: 'B', inspectionRatio: 0.05, frequency: 'quarter', due: true, population: 20, sampleSize: 1 },
      { class: 'C', inspectionRatio: 0.2, frequency: 'quarter', due: true, population: 10, sampleSize: 2 },
      { class: 'D', inspectionRatio: 1, frequency: 'quarter', due: true, population: 2, sampleSize: 2 },
    ]);
    expect(sample.drawn.filter((d) => d.class === 'D').map((d) => d.subjectId).sort()).toEqual([uscc(10), uscc(11)].sort());
    expect(sample.drawn.find((d) => d.class === 'B')!.basis).toBe('default');

    // The stored draw is the one the seed gives.
    const row = (await repository.find(sample.id))!;
    const redone = drawSample(row.seed, row.population, new Map(row.strata.map((s) => [s.class, s.due ? s.inspectionRatio : 0])));
    expect(redone.drawn.map((d) => d.id)).toEqual(sample.drawn.map((d) => d.subjectId));

    const [audit] = await db.query(`SELECT endpoint, user_id AS "userId", subjects, result_count AS "resultCount" FROM query_audit WHERE department = 'market-regulation' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ endpoint: 'POST /v1/supervision/samples', userId: 'clerk-7', subjects: sample.drawn.map((d) => d.subjectId).sort(), resultCount: 6 });
  });

  it('takes every classified organisation with includeClassified, a listed code in both counted once', async () => {
    await classify({ 1: 'A', 2: 'B', 3: 'C', 4: 'D' });
    const sample = await samples.draw(MARKET, { period: '2026-Q4', population: { subjects: [uscc(4), uscc(9)], includeClassified: true } });
    expect(sample.population).toMatchObject({ total: 5, listed: 2, classified: 4, defaultClass: { class: 'B', count: 1 } });
    expect(sample.strata.map((s) => [s.class, s.population])).toEqual([['A', 1], ['B', 2], ['C', 1], ['D', 1]]);
  });

  it('keeps one sample per department, model and period: a second draw is refused with the first one’s id', async () => {
    const first = await samples.draw(MARKET, { period: '2026-Q4', population: { subjects: [uscc(1)] } });
    const second = await refusal(samples.draw(MARKET, { period: '2026-Q4', population: { subjects: [uscc(2)] } }));
    expect(second).toMatchObject({ code: 'SUPERVISION.ALREADY_DRAWN', context: { sampleId: first.id, period: '2026-Q4' } });
    // The next quarter is open; another period is another sample.
    await expect(samples.draw(MARKET, { period: '2027-Q1', population: { subjects: [uscc(1)] } })).resolves.toMatchObject({ period: { name: '2027-Q1' } });
    expect(Number((await db.query(`SELECT count(*) FROM supervision_sample`))[0].count)).toBe(2);
  });

  it('lets exactly one of two simultaneous draws for a period win', async () => {
    await classify(Object.fromEntries(range(0, 50).map((n) => [n, n % 4 === 0 ? 'C' : 'B'])));
    const body = { period: '2026-Q4', population: { includeClassified: true } };
    const results = await Promise.allSettled([samples.draw(MARKET, body), samples.draw(MARKET, body)]);
    const won = results.filter((r): r is PromiseFulfilledResult<SampleView> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toMatchObject({ code: 'SUPERVISION.ALREADY_DRAWN', context: { sampleId: won[0].value.id } });
    expect(await db.query(`SELECT id FROM supervision_sample`)).toEqual([{ id: won[0].value.id }]);
  });

  it('verifies a stored sample, and shows a tampered one is not reproducible', async () => {
    await classify(Object.fromEntries(range(0, 30).map((n) => [n, ['A', 'B', 'C', 'D'][n % 4]])));
    const sample = await samples.draw(MARKET, { period: '2026-Q4', population: { includeClassified: true } });
    await expect(samples.verify(MARKET, sample.id)).resolves.toMatchObject({ sampleId: sample.id, reproducible: true, populationDigest: { matches: true }, strata: { matches: true }, drawn: { matches: true, count: sample.drawn.length }, ratiosInForce: true });

    // Swap one drawn C-class subject for an undrawn one, as someone editing the table would.
    const drawnC = sample.drawn.find((d) => d.class === 'C')!.subjectId;
    const undrawnC = range(0, 30).filter((n) => n % 4 === 2).map(uscc).find((id) => !sample.drawn.some((d) => d.subjectId === id))!;
    await db.query(`UPDATE supervision_sample SET drawn = replace(drawn::text, $1, $2)::jsonb WHERE id = $3`, [drawnC, undrawnC, sample.id]);
    await expect(samples.verify(MARKET, sample.id)).resolves.toMatchObject({ reproducible: false, populationDigest: { matches: true }, drawn: { matches: false } });
  });

  it('reads a sample only for its department, and audits the read', async () => {
    const sample = await samples.draw(MARKET, { period: '2026-Q4', population: { subjects: [uscc(1)] } });
    await expect(samples.read(MARKET, sample.id, 'clerk-8')).resolves.toEqual(sample);
    expect(await refusal(samples.read(TAX, sample.id))).toMatchObject({ code: 'SUPERVISION.NOT_OWN_SAMPLE' });
    expect(await refusal(samples.verify(TAX, sample.id))).toMatchObject({ code: 'SUPERVISION.NOT_OWN_SAMPLE' });
    expect(await refusal(samples.read(MARKET, '00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 'SUPERVISION.NOT_FOUND' });
    const [audit] = await db.query(`SELECT endpoint, subjects FROM query_audit WHERE user_id = 'clerk-8'`);
    expect(audit).toEqual({ endpoint: 'GET /v1/supervision/samples/:id', subjects: [uscc(1)] });
    expect((await samples.list(MARKET, '2026-Q4')).samples.map((s) => [s.id, s.drawnCount])).toEqual([[sample.id, 1]]);
    expect((await samples.list(TAX, undefined)).samples).toEqual([]);
  });

  it("draws a class with a longer frequency only in the period that opens it (a yearly class in a monthly plan: January's sample)", async () => {
    // Housing, monthly: D every month, A once a year.
    const file = join(mkdtempSync(join(tmpdir(), 'supervision-')), 'supervision.json');
    const classes = { A: { inspectionRatio: 0.5, frequency: 'year' }, B: { inspectionRatio: 0.1 }, C: { inspectionRatio: 0.5 }, D: { inspectionRatio: 1 } };
    writeFileSync(file, JSON.stringify({ plans: [{ department: 'housing', model: MODEL, frequency: 'month', classes }] }));
    const monthly = new SupervisionPlans({ ...config, SUPERVISION_FILE: file } as AppConfig, catalogue, classModels);
    const housing = new SupervisionSampleService(monthly, classModels, repository, new QueryAuditService(new QueryAuditRepository(db), config, clock), clock);
    expect(monthly.classSupervision('housing', MODEL, 'A')).toEqual({ planned: true, inspectionRatio: 0.5, frequency: 'year', expectedInspectionsPerYear: 0.5 });
    expect(monthly.classSupervision('housing', MODEL, 'D')).toEqual({ planned: true, inspectionRatio: 1, frequency: 'month', expectedInspectionsPerYear: 12 });

    await classify({ 1: 'A', 2: 'A', 3: 'D' });
    const population = { subjects: [uscc(1), uscc(2), uscc(3)] };
    const november = await housing.draw(department('housing'), { period: '2026-11', population });
    expect(november.strata.map((s) => [s.class, s.due, s.sampleSize])).toEqual([['A', false, 0], ['B', true, 0], ['C', true, 0], ['D', true, 1]]);
    expect(november.drawn.map((d) => d.subjectId)).toEqual([uscc(3)]);

    clock.set('2026-12-20T02:00:00Z');
    const january = await housing.draw(department('housing'), { period: '2027-01', population });
    expect(january.strata.map((s) => [s.class, s.due, s.sampleSize])).toEqual([['A', true, 1], ['B', true, 0], ['C', true, 0], ['D', true, 1]]);
    await expect(housing.verify(department('housing'), november.id)).resolves.toMatchObject({ reproducible: true, strata: { matches: true }, ratiosInForce: true });
    await expect(housing.verify(department('housing'), january.id)).resolves.toMatchObject({ reproducible: true, strata: { matches: true } });
  });

  it('refuses a past or far period, another department, duplicates and an empty population', async () => {
    expect(await refusal(samples.draw(MARKET, { period: '2026-Q3', population: { subjects: [uscc(1)] } }))).toMatchObject({ code: 'SUPERVISION.PERIOD_NOT_OPEN', context: { current: '2026-Q4' } });
    expect(await refusal(samples.draw(MARKET, { period: '2027-Q2', population: { subjects: [uscc(1)] } }))).toMatchObject({ code: 'SUPERVISION.PERIOD_NOT_OPEN' });
    expect(await refusal(samples.draw(MARKET, { period: '2026-11', population: { subjects: [uscc(1)] } }))).toMatchObject({ code: 'SUPERVISION.BAD_PERIOD', context: { frequency: 'quarter' } });
    expect(await refusal(samples.draw(TAX, { period: '2026-Q4', population: { subjects: [uscc(1)] } }))).toMatchObject({ code: 'SUPERVISION.NOT_CONFIGURED' });
    expect(await refusal(samples.draw(MARKET, { model: 'tax-grades', period: '2026-Q4', population: { subjects: [uscc(1)] } }))).toMatchObject({ code: 'SUPERVISION.UNKNOWN_MODEL' });
    expect(await refusal(samples.draw(MARKET, { period: '2026-Q4', population: { subjects: [uscc(1), uscc(2), uscc(1).toLowerCase()] } }))).toMatchObject({ code: 'SUPERVISION.DUPLICATE_SUBJECT', context: { index: 2, firstIndex: 0 } });
    expect(await refusal(samples.draw(MARKET, { period: '2026-Q4', population: { includeClassified: true } }))).toMatchObject({ code: 'SUPERVISION.EMPTY_POPULATION' });
    expect(Number((await db.query(`SELECT count(*) FROM supervision_sample`))[0].count)).toBe(0);
  });
});
