import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, loadAppConfig } from '@app/config';
import { Department, parseCreditEvent } from '@app/domain';
import { CatalogueService, CreditClassCatalogue } from '@app/engine';
import { CreditCheckMetrics, CreditCheckService, SupervisionPlans, DepartmentFeedService, FeedbackService, QueryAuditService, subjectsNamedIn } from '@app/query';
import { decisionIssuedEntries } from '@app/decision-log';
import { DecisionRepository, FeedbackRepository, FeedRepository, QueryAuditRepository, SubjectRecordRepository } from '@app/persistence';
import { decideCreditEvent, JsonRulesEngineEvaluator, loadRuleSet } from '@app/rules';
import { openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { MovableClock } from '../support/engine-harness';

const root = join(__dirname, '../..');
const listing = JSON.parse(readFileSync(join(root, 'test/fixtures/judgment-debtor-listed.json'), 'utf8'));
const ENTERPRISE = listing.data.subject.id as string;
const LEGAL_REP = listing.data.relatedPersons[0].id as string;

/** A valid resident identity number of Lizhou district, born 1990-01-01, the n-th of the day (GB 11643 check character). */
function residentId(n: number): string {
  const body = `51080219900101${String(n).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

type AuditRow = { department: string; user_id: string | null; subject_id: string | null; subject_id_type: string | null; subjects: string[] | null; endpoint: string; result_count: number };

// Every read of personal data leaves one query_audit row naming every subject its answer named,
// written on the read's own path: when the row cannot be written, the read fails.
describe('reads of personal data are audited with the subjects they returned (real PostgreSQL)', () => {
  let db: DataSource;
  let config: AppConfig;
  let catalogue: CatalogueService;
  let clock: MovableClock;
  let audit: QueryAuditService;
  let feeds: DepartmentFeedService;
  let tasks: FeedbackService;
  let metrics: CreditCheckMetrics;
  const checks = (overrides: Partial<AppConfig> = {}) => new CreditCheckService(catalogue, new SubjectRecordRepository(db), { ...config, ...overrides } as AppConfig, clock, metrics, new CreditClassCatalogue(config, catalogue), new SupervisionPlans(config, catalogue, new CreditClassCatalogue(config, catalogue)));
  const department = (code: string): Department => catalogue.departments.get(code)!;

  beforeAll(async () => {
    db = await openTestDatabase(await ownTestDatabaseUrl('read_audit'));
    await truncateAll(db);
    config = { ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: join(root, 'config/departments.json'), APPROVAL_ITEMS_FILE: join(root, 'config/approval-items.json') } as AppConfig;
    catalogue = new CatalogueService(config);
    clock = new MovableClock(new Date('2026-11-25T02:00:00Z'));
    audit = new QueryAuditService(new QueryAuditRepository(db), config, clock);
    feeds = new DepartmentFeedService(new FeedRepository(db), audit);
    tasks = new FeedbackService(new FeedbackRepository(db), clock, audit);
    metrics = new CreditCheckMetrics();

    const ruleSet = loadRuleSet(join(root, 'rules'));
    const decisions = await decideCreditEvent(parseCreditEvent(listing), ruleSet, new JsonRulesEngineEvaluator(ruleSet));
    await db.transaction((manager) => new DecisionRepository().saveAll(manager, decisions, decisionIssuedEntries(decisions), { at: clock.now(), memoranda: catalogue.rules.memoranda }));
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const lastRow = async (department: string, endpoint: string): Promise<AuditRow | undefined> =>
    (
      await db.query(`SELECT department, user_id, subject_id, subject_id_type, subjects, endpoint, result_count FROM query_audit WHERE department = $1 AND endpoint = $2 ORDER BY id DESC LIMIT 1`, [
        department,
        endpoint,
      ])
    )[0];
  const rowCount = async () => (await db.query(`SELECT count(*)::int AS n FROM query_audit`))[0].n as number;

  it('a feed page: one row naming the listed enterprise and the legal representative its records target; an empty poll: none', async () => {
    const page = await feeds.read('transport', '0', 100, 'feed-bot');
    expect(page.records.length).toBeGreaterThan(0);
    expect(JSON.stringify(page)).toContain(LEGAL_REP);
    expect(await lastRow('transport', 'GET /v1/feed')).toEqual({
      department: 'transport',
      user_id: 'feed-bot',
      subject_id: null,
      subject_id_type: null,
      subjects: [LEGAL_REP, ENTERPRISE].sort(),
      endpoint: 'GET /v1/feed',
      result_count: page.records.length,
    });
    expect(subjectsNamedIn(page)).toEqual([LEGAL_REP, ENTERPRISE].sort());

    const before = await rowCount();
    expect((await feeds.read('transport', page.nextCursor, 100)).records).toEqual([]);
    expect(await rowCount()).toBe(before);
  });

  it('a task list: one row naming every target on the page', async () => {
    const page = await tasks.list(department('transport'), {}, 'desk-1');
    const targets = [...new Set(page.tasks.map((t) => t.target.id))].sort();
    expect(targets).toContain(LEGAL_REP);
    expect(await lastRow('transport', 'GET /v1/tasks')).toMatchObject({ user_id: 'desk-1', subjects: targets, result_count: page.tasks.length });
  });

  it('a task detail: one row naming its target', async () => {
    const [task] = (await tasks.list(department('finance'), {})).tasks;
    const detail = await tasks.read(department('finance'), task.id, 'clerk-2');
    expect(await lastRow('finance', 'GET /v1/tasks/:taskId')).toEqual({
      department: 'finance',
      user_id: 'clerk-2',
      subject_id: null,
      subject_id_type: null,
      subjects: [detail.target.id],
      endpoint: 'GET /v1/tasks/:taskId',
      result_count: 1,
    });
  });

  it('a check: one row naming the person checked and the organisation their measure stems from, as the answer does', async () => {
    const result = await checks().check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', purpose: '购票核验', userId: 'desk-3' });
    expect(result.measures[0].target.via!.id).toBe(ENTERPRISE);
    const row = await lastRow('transport', 'GET /v1/subjects/:id/check');
    expect(row).toEqual({
      department: 'transport',
      user_id: 'desk-3',
      subject_id: LEGAL_REP,
      subject_id_type: 'RESIDENT_ID',
      subjects: [LEGAL_REP, ENTERPRISE].sort(),
      endpoint: 'GET /v1/subjects/:id/check',
      result_count: 1,
    });
    // The statement's own list equals what the generic finder reads off the answer.
    expect(row!.subjects).toEqual(subjectsNamedIn(result));
  });

  it('lets the legal representative learn who read their data: every read path above, by department and user', async () => {
    const reads = await new QueryAuditRepository(db).readsOf(LEGAL_REP);
    expect(reads.map((r) => [r.department, r.endpoint, r.userId])).toEqual(
      expect.arrayContaining([
        ['transport', 'GET /v1/feed', 'feed-bot'],
        ['transport', 'GET /v1/tasks', 'desk-1'],
        ['transport', 'GET /v1/subjects/:id/check', 'desk-3'],
      ]),
    );
    expect(reads.every((r) => r.subjects!.includes(LEGAL_REP))).toBe(true);
    expect(reads.some((r) => r.department === 'finance' && r.endpoint === 'GET /v1/tasks/:taskId')).toBe(false); // finance's task targets the enterprise only
  });

  it('fails every read whose audit row cannot be written, and returns nothing', async () => {
    const [task] = (await tasks.list(department('finance'), {})).tasks;
    await db.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$`);
    await db.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON query_audit FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
    try {
      await expect(feeds.read('transport', '0', 100)).rejects.toThrow(/audit unavailable/);
      await expect(tasks.list(department('finance'), {})).rejects.toThrow(/audit unavailable/);
      await expect(tasks.read(department('finance'), task.id)).rejects.toThrow(/audit unavailable/);
      await expect(checks().check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', purpose: 'p', userId: 'u' })).rejects.toThrow(/audit unavailable/);
      await expect(audit.listOwn('transport', 'auditor', {})).rejects.toThrow(/audit unavailable/);
    } finally {
      await db.query(`DROP TRIGGER test_refuse_audit ON query_audit`);
      await db.query(`DROP FUNCTION test_refuse_audit()`);
    }
  });

  it('refuses a header the audit row cannot hold before reading', async () => {
    await expect(feeds.read('transport', '0', 100, 'x'.repeat(65))).rejects.toMatchObject({ code: 'AUDIT.BAD_USER_ID' });
    await expect(tasks.list(department('transport'), {}, 'a\nb')).rejects.toMatchObject({ code: 'AUDIT.BAD_USER_ID' });
  });

  describe('a natural person\'s check', () => {
    it('needs X-User-Id and purpose; an organisation\'s does not, unless the item says every-subject', async () => {
      const check = checks();
      const before = await rowCount();
      await expect(check.check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', purpose: 'p' })).rejects.toMatchObject({
        code: 'CHECK.USER_ID_REQUIRED',
        context: { missing: ['X-User-Id'] },
      });
      await expect(check.check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', userId: 'u', purpose: '  ' })).rejects.toMatchObject({ code: 'CHECK.PURPOSE_REQUIRED' });
      await expect(check.check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption' })).rejects.toMatchObject({
        code: 'CHECK.USER_ID_REQUIRED',
        context: { missing: ['X-User-Id', 'purpose'] },
      });
      expect(await rowCount()).toBe(before);
      expect((await check.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' })).record).toBe(true);

      const strict = check.approvalItems.get('government-procurement')!;
      const original = { ...strict };
      Object.assign(strict, { requirePurpose: 'every-subject' });
      try {
        await expect(check.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' })).rejects.toMatchObject({ code: 'CHECK.PURPOSE_REQUIRED' });
      } finally {
        Object.assign(strict, original);
      }
    });

    it('tells a department that sees nothing of its own on a person on file exactly what it tells about an unknown person', async () => {
      const check = checks();
      const ask = async (subject: string) => {
        const result = await check.check({ department: 'finance', subject, approvalItem: 'government-procurement', purpose: '资格审查', userId: 'clerk-5' });
        return JSON.stringify({ ...result, checkId: '-', checkedAt: '-', subject: { ...result.subject, id: '-' } });
      };
      // The legal representative is on file (transport's JD-02 targets them), but finance has no measure and sees no membership.
      expect(await ask(LEGAL_REP)).toBe(await ask(residentId(900)));
      expect(JSON.parse(await ask(LEGAL_REP))).toMatchObject({ record: false, outcome: 'clear', measures: [], listMemberships: [], subject: { name: null, kind: 'individual' } });
      // An organisation's record stays platform-wide: its list membership is public anyway (双公示).
      expect((await check.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'administrative-licensing' })).record).toBe(true);
    });

    it('refuses a burst of distinct persons by one user, counts it, reads and logs nothing, and lets the others through', async () => {
      clock.set('2026-11-25T03:00:00Z');
      const check = checks({ CHECK_DISTINCT_PERSONS_PER_MINUTE: 3 });
      const ask = (subject: string, userId = 'walker') => check.check({ department: 'housing', subject, approvalItem: 'high-consumption', purpose: 'batch', userId });
      const refusedBefore = await refusedCount('housing');
      for (const n of [1, 2, 3]) await ask(residentId(n));
      await ask(ENTERPRISE); // organisations are not counted
      await ask(residentId(2)); // the same person again is no new person
      const before = await rowCount();
      const refused = await ask(residentId(4)).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'CHECK.BURST_REFUSED', context: { limit: 3, windowSeconds: 60 } });
      expect((refused as Error).message).not.toContain(residentId(4));
      expect(await rowCount()).toBe(before);
      expect(await refusedCount('housing')).toBe(refusedBefore + 1);

      await ask(residentId(4), 'another-clerk'); // per user
      clock.set('2026-11-25T03:00:59.999Z');
      await expect(ask(residentId(5))).rejects.toMatchObject({ code: 'CHECK.BURST_REFUSED' });
      clock.set('2026-11-25T03:01:00.001Z'); // the first three checks left the window
      await expect(ask(residentId(5))).resolves.toMatchObject({ record: false });
    });
  });

  async function refusedCount(code: string): Promise<number> {
    const metric = await metrics.registry.getSingleMetric('credit_check_bursts_refused_total')!.get();
    return metric.values.find((v) => v.labels.department === code)?.value ?? 0;
  }
});
