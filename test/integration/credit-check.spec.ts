import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, loadAppConfig } from '@app/config';
import { DomainError, parseCreditEvent } from '@app/domain';
import { AuditRetention, CatalogueService, CreditClassCatalogue } from '@app/engine';
import { AuditChainService, CreditCheckMetrics, CreditCheckResult, CreditCheckService, SupervisionPlans, PublicDisclosureService, QueryAuditService } from '@app/query';
import { AuditChainRepository, DecisionRepository, QueryAuditRepository, SubjectRecordRepository } from '@app/persistence';
import { decideCreditEvent, JsonRulesEngineEvaluator, loadRuleSet } from '@app/rules';
import { openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { MovableClock } from '../support/engine-harness';

const root = join(__dirname, '../..');
const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const caseEvent = (file: string, note: RegExp) => (read(file).cases as { note: string; event: unknown }[]).find((c) => note.test(c.note))!.event;

// The README's enterprise (judgment debtor from 2026-11-20) and its legal representative.
const listing = read('test/fixtures/judgment-debtor-listed.json');
const ENTERPRISE = listing.data.subject.id as string;
const LEGAL_REP = listing.data.relatedPersons[0].id as string;
// A natural person listed as a judgment debtor from 2026-10-09.
const personListing = caseEvent('rules/judgment-debtors.cases.json', /^A natural person listed/);
const PERSON = (personListing as { subject: string }).subject;
// An enterprise that is both A-grade (red list, from 2026-04-20) and on the abnormal-operation list (key attention, from 2026-07-10).
const aGrade = caseEvent('rules/a-grade-taxpayers.cases.json', /^A taxpayer rated A/);
const abnormal = (read('rules/abnormal-operation.cases.json').cases as { event: { subject: string } }[])[0].event;
const MIXED = abnormal.subject;
const UNKNOWN = '91350200776049653A';
// A natural person's check names the clerk and the purpose.
const CLERK = { userId: 'clerk-p', purpose: '资格审查' };

describe('credit check, query audit and public disclosure (real PostgreSQL)', () => {
  let db: DataSource;
  let config: AppConfig;
  let catalogue: CatalogueService;
  let clock: MovableClock;
  let audits: QueryAuditRepository;
  let auditService: QueryAuditService;
  let checks: CreditCheckService;
  const disclosure = (overrides: Partial<AppConfig> = {}) => new PublicDisclosureService(new SubjectRecordRepository(db), catalogue, { ...config, ...overrides } as AppConfig, clock);

  beforeAll(async () => {
    db = await openTestDatabase(await ownTestDatabaseUrl('credit_check'));
    await truncateAll(db);
    config = { ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: join(root, 'config/departments.json'), APPROVAL_ITEMS_FILE: join(root, 'config/approval-items.json') } as AppConfig;
    catalogue = new CatalogueService(config);
    clock = new MovableClock(new Date('2026-11-25T02:00:00Z'));
    audits = new QueryAuditRepository(db);
    auditService = new QueryAuditService(audits, config, clock);
    checks = new CreditCheckService(catalogue, new SubjectRecordRepository(db), config, clock, new CreditCheckMetrics(), new CreditClassCatalogue(config, catalogue), new SupervisionPlans(config, catalogue, new CreditClassCatalogue(config, catalogue)));

    const ruleSet = loadRuleSet(join(root, 'rules'));
    const evaluator = new JsonRulesEngineEvaluator(ruleSet);
    const decisions = (await Promise.all([listing, personListing, aGrade, abnormal].map((e) => decideCreditEvent(parseCreditEvent(e), ruleSet, evaluator)))).flat();
    await db.transaction((manager) => new DecisionRepository().saveAll(manager, decisions, [], { at: clock.now(), memoranda: catalogue.rules.memoranda }));
  });

  beforeEach(() => clock.set('2026-11-25T02:00:00Z'));

  afterAll(async () => {
    await db?.destroy();
  });

  const auditRows = async (department: string) =>
    db.query(`SELECT department, user_id, purpose, approval_item, subject_id, subject_id_type, subjects, endpoint, result_count FROM query_audit WHERE department = $1 ORDER BY id`, [department]);

  it('answers a procurement check with the list membership, the procurement ban, its basis and explanation, and logs it', async () => {
    const result = await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement', purpose: '项目 2026-118 供应商资格审查', userId: 'clerk-07' });
    expect(result).toMatchObject({
      asOf: '2026-11-25',
      record: true,
      outcome: 'restrict',
      subject: { id: ENTERPRISE, idType: 'USCC', kind: 'enterprise', name: '广元市利州区某某建材有限公司' },
      approvalItem: { code: 'government-procurement', name: { zh: '政府采购' } },
    });
    expect(result.listMemberships).toEqual([
      expect.objectContaining({
        list: { code: 'judgment-debtor', type: 'black', name: expect.objectContaining({ zh: '失信被执行人名单' }) },
        identifyingDepartment: { code: 'court', name: expect.objectContaining({ zh: '区人民法院' }) },
        documentNumber: '（2026）川0802执1234号',
        reason: 'evading-execution',
        validFrom: '2026-11-20',
        disputed: false,
      }),
    ]);
    expect(result.measures.map((m) => m.code)).toEqual(['JD-01']);
    const [jd01] = result.measures;
    expect(jd01).toMatchObject({ category: 'restrict', yourRole: 'implementing', target: { role: 'subject', via: null }, disputed: false, validFrom: '2026-11-20' });
    expect(jd01.legalBasis).toContainEqual({ instrument: { id: 'government-procurement-law', title: '《中华人民共和国政府采购法》', documentNumber: null, level: 'law', version: '2014年修正' }, article: '第二十二条第一款' });
    expect(jd01.explanation).toMatchObject({ memorandum: { id: 'judgment-debtors', version: '1.0.0' }, rule: { name: 'judgment-debtor-organisation-listed' }, ruleSetRevision: expect.stringMatching(/^sha256:/) });

    const rows = await auditRows('finance');
    expect(rows[rows.length - 1]).toEqual({
      department: 'finance',
      user_id: 'clerk-07',
      purpose: '项目 2026-118 供应商资格审查',
      approval_item: 'government-procurement',
      subject_id: ENTERPRISE,
      subject_id_type: 'USCC',
      subjects: [ENTERPRISE],
      endpoint: 'GET /v1/subjects/:id/check',
      result_count: 2,
    });
    expect(result.checkId).toMatch(/^\d+$/);
  });

  it('gives a different answer for an unrelated licence item: the membership, but no procurement ban', async () => {
    const result = await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'administrative-licensing' });
    expect(result.measures).toEqual([]);
    expect(result.outcome).toBe('clear');
    expect(result.listMemberships.map((m) => m.list.code)).toEqual(['judgment-debtor']);
  });

  it('shows a related person their own measures, in their role, with the organisation they stem from', async () => {
    const result = await checks.check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', ...CLERK });
    expect(result).toMatchObject({ record: true, outcome: 'restrict', subject: { idType: 'RESIDENT_ID', kind: 'individual', name: '张三' }, listMemberships: [] });
    expect(result.measures.map((m) => m.code)).toEqual(['JD-02']);
    expect(result.measures[0].target).toEqual({ role: 'legal-representative', via: { list: 'judgment-debtor', kind: 'enterprise', id: ENTERPRISE, name: '广元市利州区某某建材有限公司' } });
    // Finance implements nothing for the legal representative and sees no membership: answered as for an unknown person.
    expect(await checks.check({ department: 'finance', subject: LEGAL_REP, approvalItem: 'government-procurement', ...CLERK })).toMatchObject({ record: false, outcome: 'clear', measures: [], subject: { name: null } });
  });

  it('counts cooperating departments and shows the natural-person bars', async () => {
    const housing = await checks.check({ department: 'housing', subject: ENTERPRISE, approvalItem: 'high-consumption' });
    expect(housing.measures).toEqual([expect.objectContaining({ code: 'JD-04', yourRole: 'cooperating', implementingDepartment: 'natural-resources' })]);
    const hiring = await checks.check({ department: 'organisation', subject: PERSON, approvalItem: 'civil-service-hiring', ...CLERK });
    expect(hiring).toMatchObject({ outcome: 'deny', measures: [expect.objectContaining({ code: 'JD-09', category: 'deny' })] });
  });

  it('puts sanctions before incentives when a subject is on a red list and a key-attention list', async () => {
    const licence = (department: string) => checks.check({ department, subject: MIXED, approvalItem: 'administrative-licensing' });
    const market = await licence('market-regulation');
    expect(market.outcome).toBe('green-channel');
    expect(market.measures.map((m) => m.code)).toEqual(['AGT-03', 'AGT-04']);
    const housing = await licence('housing');
    expect(housing.measures.map((m) => m.code).sort()).toEqual(['AB-02', 'AGT-02', 'AGT-05']);
    expect(housing.outcome).toBe('key-supervision');
    expect((await checks.check({ department: 'development-reform', subject: MIXED, approvalItem: 'commitment-based-approval' })).outcome).toBe('deny');
    expect(market.listMemberships.map((m) => m.list.type).sort()).toEqual(['key-attention', 'red']);
  });

  it('answers "no record" for an unknown subject, and still logs the check', async () => {
    const result = await checks.check({ department: 'finance', subject: UNKNOWN, approvalItem: 'government-procurement' });
    expect(result).toMatchObject({ record: false, outcome: 'clear', listMemberships: [], measures: [], subject: { id: UNKNOWN, name: null } });
    const rows = await auditRows('finance');
    expect(rows[rows.length - 1]).toMatchObject({ subject_id: UNKNOWN, result_count: 0, approval_item: 'government-procurement' });
  });

  describe('one statement per check', () => {
    it('reads and logs in a single database round trip', async () => {
      // Every statement of every pooled connection goes through pg's Client#query.
      const statements = jest.spyOn(Client.prototype, 'query');
      try {
        await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' });
        await checks.check({ department: 'finance', subject: UNKNOWN, approvalItem: 'government-procurement' });
        expect(statements).toHaveBeenCalledTimes(2);
      } finally {
        statements.mockRestore();
      }
    });

    it('answers with the id of its audit row, committed and visible to others when the answer arrives, stamped with the check time', async () => {
      clock.set('2026-11-25T03:04:05.678Z');
      const result = await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement', purpose: 'p', userId: ' clerk-09 ' });
      const other = new Client({ connectionString: (db.options as { url: string }).url });
      await other.connect();
      try {
        const { rows } = await other.query(`SELECT at, department, user_id, purpose, approval_item, subject_id, endpoint, result_count FROM query_audit WHERE id = $1`, [result.checkId]);
        expect(rows).toEqual([
          {
            at: new Date('2026-11-25T03:04:05.678Z'),
            department: 'finance',
            user_id: 'clerk-09',
            purpose: 'p',
            approval_item: 'government-procurement',
            subject_id: ENTERPRISE,
            endpoint: 'GET /v1/subjects/:id/check',
            result_count: result.listMemberships.length + result.measures.length,
          },
        ]);
        expect(result.checkedAt).toBe('2026-11-25T03:04:05.678Z');
      } finally {
        await other.end();
      }
    });

    it('answers nothing when its audit row cannot be written', async () => {
      await db.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$`);
      await db.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON query_audit FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
      try {
        await expect(checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' })).rejects.toThrow(/audit unavailable/);
      } finally {
        await db.query(`DROP TRIGGER test_refuse_audit ON query_audit`);
        await db.query(`DROP FUNCTION test_refuse_audit()`);
      }
    });

    it('shows of a measure\'s explanation what names its basis, not the facts and conditions of the decision', async () => {
      const [jd01] = (await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' })).measures;
      expect(Object.keys(jd01.explanation).sort()).toEqual(['decisionId', 'memorandum', 'rule', 'ruleSetRevision']);
      expect(jd01.explanation.memorandum).toEqual({ id: 'judgment-debtors', version: '1.0.0', documentNumber: expect.any(String) });
      expect(JSON.stringify(jd01)).not.toMatch(/"facts"|"conditions"|"causeEvent"/);
    });
  });

  describe('group commit of concurrent checks', () => {
    const concurrentAsks = (run: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        department: i % 2 ? 'finance' : 'tax',
        subject: [ENTERPRISE, MIXED, UNKNOWN][i % 3],
        approvalItem: i % 4 ? 'government-procurement' : 'administrative-licensing',
        purpose: `${run}-${i}`,
        userId: `clerk-${run}-${i}`,
      }));

    it('writes every concurrent check\'s row, chained, in fewer transactions than checks, and answers each with its own row', async () => {
      const asks = concurrentAsks('group', 40);
      const results = await Promise.all(asks.map((ask) => checks.check(ask)));
      const rows = (await db.query(
        `SELECT id::text, xmin::text AS tx, department, user_id, purpose, approval_item, subject_id, result_count FROM query_audit WHERE purpose LIKE 'group-%' ORDER BY id`,
      )) as { id: string; tx: string; department: string; user_id: string; purpose: string; approval_item: string; subject_id: string; result_count: number }[];
      expect(rows).toHaveLength(asks.length);
      expect(new Set(results.map((result) => result.checkId)).size).toBe(asks.length);
      results.forEach((result, i) => {
        expect(rows.find((row) => row.id === result.checkId)).toEqual(
          expect.objectContaining({
            department: asks[i].department,
            user_id: asks[i].userId,
            purpose: asks[i].purpose,
            approval_item: asks[i].approvalItem,
            subject_id: asks[i].subject,
            result_count: result.listMemberships.length + result.measures.length,
          }),
        );
      });
      // Rows of one statement share its transaction: the checks were gathered, not written one by one.
      expect(new Set(rows.map((row) => row.tx)).size).toBeLessThan(asks.length);
      expect(await new AuditChainService(new AuditChainRepository(db)).verify()).toMatchObject({ intact: true });
    });

    it('answers a gathered group as it answers each check alone', async () => {
      const asks = concurrentAsks('alone', 12);
      const alone: CreditCheckResult[] = [];
      for (const ask of asks) alone.push(await checks.check(ask));
      const together = await Promise.all(asks.map((ask) => checks.check(ask)));
      const withoutRow = ({ checkId: _, ...answer }: CreditCheckResult) => answer;
      expect(together.map(withoutRow)).toEqual(alone.map(withoutRow));
    });

    it('refuses a user over the burst inside a group and answers the others of the group with their own rows', async () => {
      const limited = new CreditCheckService(catalogue, new SubjectRecordRepository(db), { ...config, CHECK_DISTINCT_PERSONS_PER_MINUTE: 2 } as AppConfig, clock, new CreditCheckMetrics(), new CreditClassCatalogue(config, catalogue), new SupervisionPlans(config, catalogue, new CreditClassCatalogue(config, catalogue)));
      const person = (n: number) => {
        const body = `51080219850101${String(n).padStart(3, '0')}`;
        const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        return body + '10X98765432'[[...body].reduce((sum, digit, i) => sum + Number(digit) * weights[i], 0) % 11];
      };
      const walk = (n: number, userId: string) => ({ department: 'transport', subject: person(n), approvalItem: 'high-consumption', purpose: `burst-${userId}-${n}`, userId });
      for (const n of [1, 2]) await limited.check(walk(n, 'walker-g'));
      // Five checks in flight first, so that the ones after them are gathered into one group.
      const fillers = concurrentAsks('filler', 5);
      const asks = [walk(3, 'walker-g'), walk(3, 'stroller-1'), walk(4, 'walker-g'), walk(4, 'stroller-2'), concurrentAsks('burst-org', 1)[0]];
      const outcomes = await Promise.allSettled([...fillers, ...asks].map((ask) => limited.check(ask)));
      const ours = outcomes.slice(fillers.length);
      expect(ours.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      for (const refused of [ours[0], ours[2]]) expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'CHECK.BURST_REFUSED' });
      for (const i of [1, 3, 4]) {
        const { checkId } = (ours[i] as PromiseFulfilledResult<CreditCheckResult>).value;
        const [row] = await db.query(`SELECT user_id, purpose FROM query_audit WHERE id = $1`, [checkId]);
        expect(row).toEqual({ user_id: asks[i].userId, purpose: asks[i].purpose });
      }
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM query_audit WHERE user_id = 'walker-g'`);
      expect(n).toBe(2);
    });

    it('fails each check of a group whose statement fails, and answers the next group', async () => {
      await db.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$`);
      await db.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON query_audit FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
      let outcomes: PromiseSettledResult<CreditCheckResult>[];
      try {
        outcomes = await Promise.allSettled(concurrentAsks('failed', 20).map((ask) => checks.check(ask)));
      } finally {
        await db.query(`DROP TRIGGER test_refuse_audit ON query_audit`);
        await db.query(`DROP FUNCTION test_refuse_audit()`);
      }
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(20).fill('rejected'));
      for (const outcome of outcomes) expect((outcome as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringMatching(/audit unavailable/) });
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM query_audit WHERE purpose LIKE 'failed-%'`);
      expect(n).toBe(0);
      expect((await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' })).checkId).toMatch(/^\d+$/);
    });
  });


  it('refuses an invalid identifier (SUBJECT.*, masked) and an unknown approval item (listing the known ones), logging nothing', async () => {
    const [{ before }] = await db.query(`SELECT count(*)::int AS before FROM query_audit`);
    const bad = await checks.check({ department: 'finance', subject: '510802199003071233', approvalItem: 'government-procurement' }).catch((e: DomainError) => e);
    expect(bad).toBeInstanceOf(DomainError);
    expect((bad as DomainError).code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect((bad as DomainError).message).not.toContain('510802199003071233');
    const unknown = (await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'moon-landing' }).catch((e: DomainError) => e)) as DomainError;
    expect(unknown.code).toBe('CHECK.UNKNOWN_APPROVAL_ITEM');
    expect(unknown.context.known).toEqual(expect.arrayContaining(['government-procurement', 'high-consumption']));
    const [{ after }] = await db.query(`SELECT count(*)::int AS after FROM query_audit`);
    expect(after).toBe(before);
  });

  it('applies validity windows on the China date of the clock: validFrom and validTo both in force (inclusive)', async () => {
    const [{ validTo }] = await db.query(`SELECT valid_to::text AS "validTo" FROM list_entry WHERE subject_id = $1`, [ENTERPRISE]);
    const check = () => checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' });

    clock.set('2026-11-19T15:59:59Z'); // 2026-11-19 23:59:59 in China: the day before
    expect(await check()).toMatchObject({ record: false, outcome: 'clear', listMemberships: [], measures: [] });
    clock.set('2026-11-19T16:00:00Z'); // 2026-11-20 00:00 in China: the first day
    expect((await check()).measures.map((m) => m.code)).toEqual(['JD-01']);

    // validTo is the last day in force: 23:59:59 on it still applies, 00:00 the next day no longer does.
    const onPublicList = async () => (await disclosure().list({ list: 'judgment-debtor' })).entries.some((e) => e.subject.name === '广元市利州区某某建材有限公司' && e.validTo === validTo);
    clock.set(new Date(Date.parse(`${validTo}T23:59:59+08:00`)).toISOString());
    expect((await check()).outcome).toBe('restrict');
    expect(await onPublicList()).toBe(true);
    clock.set(new Date(Date.parse(`${validTo}T23:59:59+08:00`) + 1000).toISOString());
    expect(await check()).toMatchObject({ record: false, listMemberships: [], measures: [] });
    expect(await onPublicList()).toBe(false);
  });

  it('shows the dispute flag, and stops showing an entry and its measures once the entry has ended', async () => {
    await db.query(`UPDATE list_entry SET disputed = true WHERE subject_id = $1`, [ENTERPRISE]);
    const disputed = await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' });
    expect(disputed.listMemberships[0].disputed).toBe(true);
    expect(disputed.measures[0].disputed).toBe(true);
    expect((await checks.check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', ...CLERK })).measures[0].disputed).toBe(true);

    await db.query(`UPDATE list_entry SET state = 'removed', disputed = false WHERE subject_id = $1`, [ENTERPRISE]);
    try {
      expect(await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'government-procurement' })).toMatchObject({ listMemberships: [], measures: [], outcome: 'clear' });
      // Tasks still marked active whose entry has ended do not apply either.
      expect((await checks.check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', ...CLERK })).measures).toEqual([]);
    } finally {
      await db.query(`UPDATE list_entry SET state = 'active' WHERE subject_id = $1`, [ENTERPRISE]);
    }
  });

  describe('query audit', () => {
    it('lists a department\'s own queries only, by cursor and time range, and logs the read', async () => {
      await checks.check({ department: 'finance', subject: ENTERPRISE, approvalItem: 'fiscal-subsidy', purpose: 'subsidy round 3', userId: 'clerk-11' });
      await checks.check({ department: 'finance', subject: UNKNOWN, approvalItem: 'government-procurement', userId: 'clerk-11' });
      await checks.check({ department: 'transport', subject: LEGAL_REP, approvalItem: 'high-consumption', purpose: 'ticket office', userId: 'desk-3' });

      const first = await auditService.listOwn('finance', 'auditor-1', { limit: 1 });
      expect(first.department).toBe('finance');
      const rest = await auditService.listOwn('finance', undefined, { after: first.nextCursor, limit: 500 });
      expect(Number(rest.queries[0].cursor)).toBeGreaterThan(Number(first.nextCursor));
      const all = [...first.queries, ...rest.queries];
      expect(all.length).toBeGreaterThan(10); // cursors past 9 order as numbers, not as text
      expect(all.map((q) => Number(q.cursor))).toEqual(all.map((q) => Number(q.cursor)).sort((a, b) => a - b));
      expect(all).toContainEqual(
        expect.objectContaining({ endpoint: 'GET /v1/subjects/:id/check', approvalItem: 'fiscal-subsidy', purpose: 'subsidy round 3', subjectId: ENTERPRISE, userId: 'clerk-11', resultCount: 2 }),
      );
      expect(all).toContainEqual(expect.objectContaining({ approvalItem: 'government-procurement', subjectId: UNKNOWN, resultCount: 0 }));
      // The first read was logged before the second one read the log.
      expect(all).toContainEqual(expect.objectContaining({ endpoint: 'GET /v1/audit/queries', userId: 'auditor-1', resultCount: 1 }));
      expect(all.some((q) => q.purpose === 'ticket office')).toBe(false);

      const transport = await auditService.listOwn('transport', undefined, {});
      expect(transport.queries.map((q) => q.purpose)).toContain('ticket office');
      expect(transport.queries.some((q) => q.subjectId === UNKNOWN || q.approvalItem === 'fiscal-subsidy')).toBe(false);

      expect((await auditService.listOwn('finance', undefined, { from: '2030-01-01' })).queries).toEqual([]);
      expect((await auditService.listOwn('finance', undefined, { from: '2026-11-25', to: '2026-11-26' })).queries.length).toBeGreaterThan(0);
      await expect(auditService.listOwn('finance', undefined, { from: '2026-12-01', to: '2026-11-01' })).rejects.toMatchObject({ code: 'AUDIT.BAD_TIME_RANGE' });
      await expect(auditService.listOwn('finance', undefined, { from: 'yesterday' })).rejects.toMatchObject({ code: 'AUDIT.BAD_TIME_RANGE' });
      await expect(auditService.listOwn('finance', undefined, { after: 'x' })).rejects.toMatchObject({ code: 'REQUEST.BAD_CURSOR' });
      await expect(auditService.record({ department: 'finance', userId: 'a\nb', subjects: [], endpoint: 'GET /v1/feed', resultCount: 0 })).rejects.toMatchObject({ code: 'AUDIT.BAD_USER_ID' });
    });

    it('is append-only: the trigger refuses UPDATE and DELETE', async () => {
      await expect(db.query(`UPDATE query_audit SET department = 'tax'`)).rejects.toThrow(/append-only \(UPDATE refused\)/);
      await expect(db.query(`DELETE FROM query_audit`)).rejects.toThrow(/append-only \(DELETE refused\)/);
      // The purge permission is transaction-local: it does not outlive the purge on a pooled connection.
      await audits.purgeOlderThan(1826, new Date('2026-11-25T00:00:00Z'));
      await expect(db.query(`DELETE FROM query_audit`)).rejects.toThrow(/append-only/);
    });

    it('purges on the clock only what the database allows: nothing younger than five years by its own clock', async () => {
      const row = { department: 'tax', userId: null, purpose: null, approvalItem: 'tax-services', subjectId: UNKNOWN, subjectIdType: 'USCC', subjects: [UNKNOWN], endpoint: 'GET /v1/subjects/:id/check', resultCount: 0 };
      const recent = await audits.record({ ...row, at: new Date('2026-11-01T00:00:00Z') });
      const ids = async () => (await db.query(`SELECT id::text FROM query_audit WHERE department = 'tax' ORDER BY query_audit.id`)).map((r: { id: string }) => r.id);

      expect(config.AUDIT_RETENTION_DAYS).toBe(1826);
      clock.set('2026-11-25T00:00:00Z');
      await expect(new AuditRetention(audits, config, clock).purgeExpired()).resolves.toMatchObject({ kind: 'purged', rows: 0 });
      // An app whose clock runs five years ahead cannot purge the log: purge_query_audit() goes by the database's clock.
      clock.set('2031-11-02T00:00:00Z');
      await expect(new AuditRetention(audits, config, clock).purgeExpired()).resolves.toMatchObject({ kind: 'refused', cutoff: new Date('2026-11-02T00:00:00Z') });
      expect(await ids()).toContain(recent.id);
    });
  });

  describe('public disclosure', () => {
    it('lists blacklist and red-list entries in force, never key-attention, masking natural persons', async () => {
      const page = await disclosure().list({});
      const bySubject = new Map(page.entries.map((e) => [e.subject.name, e]));
      expect(page.asOf).toBe('2026-11-25');
      expect(page.entries.map((e) => e.list.type).sort()).toEqual(['black', 'black', 'red']);
      expect(bySubject.get('广元市利州区某某建材有限公司')).toEqual({
        list: { code: 'judgment-debtor', type: 'black', name: expect.objectContaining({ zh: '失信被执行人名单' }) },
        subject: { kind: 'enterprise', name: '广元市利州区某某建材有限公司', idType: 'USCC', id: ENTERPRISE },
        validFrom: '2026-11-20',
        validTo: expect.stringMatching(/^2028-/),
        identifyingDepartment: { code: 'court', name: expect.objectContaining({ zh: '区人民法院' }) },
        documentNumber: '（2026）川0802执1234号',
        disputed: false,
      });
      expect(bySubject.get('刘明')!.subject).toEqual({ kind: 'individual', name: '刘明', idType: 'RESIDENT_ID', id: '510802********0938' });
      const text = JSON.stringify(page);
      for (const secret of [PERSON, LEGAL_REP, '张三', 'evading-execution', 'explanation', 'facts', 'relatedPersons']) expect(text).not.toContain(secret);
    });

    it('filters by type and list, pages by cursor, and can hide natural persons', async () => {
      expect((await disclosure().list({ type: 'red' })).entries.map((e) => e.list.code)).toEqual(['a-grade-taxpayer']);
      expect((await disclosure().list({ list: 'judgment-debtor' })).entries).toHaveLength(2);
      const first = await disclosure().list({ type: 'black', limit: 1 });
      expect(first.nextCursor).not.toBeNull();
      const second = await disclosure().list({ type: 'black', limit: 1, after: first.nextCursor! });
      expect(second.entries).toHaveLength(1);
      expect(second.entries[0].subject.name).not.toBe(first.entries[0].subject.name);
      const third = await disclosure().list({ type: 'black', limit: 1, after: second.nextCursor! });
      expect(third).toMatchObject({ entries: [], nextCursor: null });

      const hidden = await disclosure({ PUBLIC_HIDE_NATURAL_PERSONS: true }).list({ type: 'black' });
      expect(hidden.entries.map((e) => e.subject.kind)).toEqual(['enterprise']);

      await expect(disclosure().list({ type: 'key-attention' })).rejects.toMatchObject({ code: 'PUBLIC.BAD_LIST_TYPE' });
      await expect(disclosure().list({ list: 'abnormal-operation' })).rejects.toMatchObject({ code: 'PUBLIC.UNKNOWN_LIST' });
      await expect(disclosure().list({ type: 'red', list: 'judgment-debtor' })).rejects.toMatchObject({ code: 'PUBLIC.UNKNOWN_LIST' });
      await expect(disclosure().list({ after: 'not-a-cursor' })).rejects.toMatchObject({ code: 'REQUEST.BAD_CURSOR' });
    });

    it('shows nothing that has ended or is not yet in force', async () => {
      clock.set('2026-04-01T00:00:00Z');
      expect((await disclosure().list({})).entries).toEqual([]);
    });
  });
});
