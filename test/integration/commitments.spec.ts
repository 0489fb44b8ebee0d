import { DataSource } from 'typeorm';
import { chinaDate, Department, parseCreditEvent } from '@app/domain';
import { commitmentBreachEventId, commitmentWithdrawalEventId, KafkaEventBatchService, LifecycleScheduler, recordedCommitments } from '@app/engine';
import { loadAppConfig } from '@app/config';
import { CommitmentRepository, CreditClassRepository, QueryAuditRepository, SubjectRecordRepository } from '@app/persistence';
import { AUDITED_ENDPOINTS, CommitmentService, QueryAuditService } from '@app/query';
import { truncateAll } from '../support/database';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// Credit commitments on real PostgreSQL with the engine's own scheduler and processor: a
// commitment not kept by its date (inclusive) is broken the next day, and every breach becomes
// one credit.commitment.breached.v1 event, decided by commitment-breaches, in the same transaction.

const ENTERPRISE = '91510802MA6B3N4TXM';
const MARKET: Department = {
  code: 'market-regulation',
  name: { zh: '区市场监管局', en: 'District Market Regulation' },
  publishes: { eventTypes: ['credit.commitment.made.v1', 'credit.commitment.breached.v1'], lists: [] },
  credentials: { tokens: [] },
};
let sequence = 0;

describe('credit commitments (real PostgreSQL, moved clock)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let scheduler: LifecycleScheduler;
  let commitments: CommitmentService;
  let repository: CommitmentRepository;
  let close: () => Promise<void>;
  let batches: KafkaEventBatchService;
  let records: SubjectRecordRepository;

  beforeAll(async () => {
    ({ db, clock, scheduler, batches, close } = await startEngineHarness('2026-03-01T02:00:00Z'));
    repository = new CommitmentRepository(db);
    const config = loadAppConfig({ COMMITMENT_CORRECTION_DAYS: '10' });
    commitments = new CommitmentService(repository, clock, new QueryAuditService(new QueryAuditRepository(db), config, clock), config);
    records = new SubjectRecordRepository(db);
  });

  beforeEach(async () => {
    await truncateAll(db);
    clock.set('2026-03-01T02:00:00Z');
  });

  afterAll(async () => {
    await close?.();
  });

  const record = async (dueOn = '2026-03-31') =>
    (
      await commitments.record(MARKET, {
        reference: `利市监承诺〔2026〕${++sequence}号`,
        subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区嘉禾商贸有限公司' },
        approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
        promise: '承诺30日内补齐经营场所证明材料',
        dueOn,
        approval: { reference: `JY151080200${sequence}`, grantedOn: '2026-03-01' },
      })
    ).commitment;
  const inbound = (id: string) => db.query(`SELECT source, event_id AS "eventId", type, status, transport FROM inbound_event WHERE event_id = $1`, [commitmentBreachEventId(id)]);
  const tasks = (id: string) =>
    db.query(
      `SELECT t.measure_code AS code, t.implementing_department AS department, t.valid_from::text AS "validFrom", t.valid_to::text AS "validTo"
       FROM measure_task t JOIN decision d ON d.id = t.decision_id WHERE d.cause_event_id = $1 AND d.memorandum_id = 'commitment-breaches' ORDER BY t.measure_code`,
      [commitmentBreachEventId(id)],
    );

  it('breaches a commitment the day after its due date (the date is inclusive), exactly once, with its event decided', async () => {
    const commitment = await record('2026-03-31');
    clock.set('2026-03-31T15:59:00Z'); // 23:59 on the due date, China time
    expect((await scheduler.tick()).breachedCommitments).toBe(0);
    expect((await repository.find(commitment.id))!.state).toBe('open');

    clock.set('2026-03-31T16:00:00Z'); // 00:00 on 1 April, China time
    expect((await scheduler.tick()).breachedCommitments).toBe(1);
    const breached = (await repository.find(commitment.id))!;
    expect(breached).toMatchObject({ state: 'breached', breachKind: 'overdue', closedOn: '2026-04-01', breachEventId: commitmentBreachEventId(commitment.id) });
    expect(await inbound(commitment.id)).toEqual([
      { source: '/departments/market-regulation', eventId: commitmentBreachEventId(commitment.id), type: 'credit.commitment.breached.v1', status: 'processed', transport: 'scheduler' },
    ]);
    const decided = await tasks(commitment.id);
    expect(decided.map((t: { code: string; department: string }) => [t.code, t.department])).toEqual([
      ['CB-01', 'market-regulation'],
      ['CB-02', 'tax'],
      ['CB-03', 'development-reform'],
      ['CB-04', 'housing'],
      ['CB-05', 'market-regulation'],
    ]);
    // One year from the decision, inclusive.
    expect(decided[0]).toMatchObject({ validFrom: '2026-04-01', validTo: '2027-03-31' });
    // The broken commitment moves the enterprise to class C in the same tick (credit classes read the commitments in its transaction).
    const [klass] = await db.query(`SELECT class, basis, explanation FROM credit_class WHERE subject_id = $1 AND model_id = 'market-credit-class'`, [ENTERPRISE]);
    expect(klass).toMatchObject({ class: 'C', basis: 'rule' });
    expect(JSON.stringify(klass.explanation)).toContain('commitments.broken');

    clock.set('2026-04-02T02:00:00Z');
    expect((await scheduler.tick()).breachedCommitments).toBe(0);
    expect(await inbound(commitment.id)).toHaveLength(1);
    expect(await tasks(commitment.id)).toHaveLength(5);
  });

  it('announces a reported breach at the next tick, once, as of the day the department found it', async () => {
    const commitment = await record('2026-06-30');
    clock.set('2026-03-10T02:00:00Z');
    const reported = await commitments.breach(MARKET, commitment.id, { breachedOn: '2026-03-09', reason: '核查发现承诺内容与实际不符' });
    expect(reported).toMatchObject({ state: 'breached', breach: { kind: 'reported', breachedOn: '2026-03-09', eventId: null } });
    expect(await inbound(commitment.id)).toEqual([]);

    expect((await scheduler.tick()).breachedCommitments).toBe(1);
    expect((await commitments.read(MARKET, commitment.id)).breach).toMatchObject({ eventId: commitmentBreachEventId(commitment.id) });
    expect(await tasks(commitment.id)).toHaveLength(5);
    expect((await scheduler.tick()).breachedCommitments).toBe(0);
    expect(await inbound(commitment.id)).toHaveLength(1);
  });

  it('keeps the breach and its event in one transaction: a failed decision leaves the commitment open and no event', async () => {
    const commitment = await record('2026-03-31');
    clock.set('2026-04-01T02:00:00Z');
    await db.query(`CREATE FUNCTION refuse_commitment_decision() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await db.query(`CREATE TRIGGER refuse_commitment_decision BEFORE INSERT ON decision FOR EACH ROW WHEN (NEW.memorandum_id = 'commitment-breaches') EXECUTE FUNCTION refuse_commitment_decision()`);
    try {
      await expect(scheduler.tick()).rejects.toThrow(/refused for the test/);
    } finally {
      await db.query(`DROP TRIGGER refuse_commitment_decision ON decision`);
      await db.query(`DROP FUNCTION refuse_commitment_decision()`);
    }
    expect((await repository.find(commitment.id))!).toMatchObject({ state: 'open', breachEventId: null });
    expect(await inbound(commitment.id)).toEqual([]);

    expect((await scheduler.tick()).breachedCommitments).toBe(1);
    expect(await inbound(commitment.id)).toHaveLength(1);
    expect(await tasks(commitment.id)).toHaveLength(5);
  });

  const klass = async () =>
    (await db.query(`SELECT class, explanation -> 'facts' AS facts FROM credit_class WHERE subject_id = $1 AND model_id = 'market-credit-class'`, [ENTERPRISE]))[0] as { class: string; facts: Record<string, number> } | undefined;
  // The credit check's own statement: the record it answers, in the platform scope (an organisation).
  const checkedRecord = async (department = 'market-regulation') => {
    const result = await records.checkAndLog({
      subject: { idType: 'USCC', id: ENTERPRISE },
      department,
      measureCodes: [],
      today: chinaDate(clock.now()),
      recordScope: 'platform',
      burstLimit: null,
      burstEndpoints: [AUDITED_ENDPOINTS.creditCheck],
      commitmentHistory: true,
      audit: { at: clock.now(), userId: null, purpose: null, approvalItem: 'commitment-based-approval', endpoint: AUDITED_ENDPOINTS.applicantReview },
    });
    if (result.outcome !== 'answered') throw new Error('refused');
    return result;
  };
  // A breach's decision has measures and no list entry: its recording department removes or repairs it by decision id.
  const lifecycleEvent = (type: string, data: Record<string, unknown>) =>
    parseCreditEvent({
      specversion: '1.0',
      id: `commitments-${type}-${++sequence}`,
      source: '/departments/market-regulation',
      type: `credit.${type}.v1`,
      subject: ENTERPRISE,
      time: clock.now().toISOString(),
      data: { subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区嘉禾商贸有限公司' }, documentNumber: `利市监〔2026〕${sequence}号`, decidedOn: chinaDate(clock.now()), ...data },
    });
  const breachDecision = async (commitmentId: string): Promise<string> => (await db.query(`SELECT id FROM decision WHERE cause_event_id = $1`, [commitmentBreachEventId(commitmentId)]))[0].id;

  it('never breaches a kept commitment, counts the record open / kept / broken, and lists the closed ones', async () => {
    const kept = await record('2026-03-31');
    await record('2026-12-31');
    const broken = await record('2026-03-15');
    clock.set('2026-03-31T02:00:00Z');
    // Kept on its due date: in time.
    expect(await commitments.fulfil(MARKET, kept.id, { fulfilledOn: '2026-03-31', evidenceReference: '利市监核〔2026〕88号' })).toMatchObject({ state: 'kept', fulfilment: { fulfilledOn: '2026-03-31' }, settledAt: null });
    clock.set('2026-04-05T02:00:00Z');
    expect(await scheduler.tick()).toMatchObject({ breachedCommitments: 1, keptCommitments: 1 });
    expect((await repository.find(broken.id))!.closedOn).toBe('2026-03-16');
    clock.set('2026-04-10T02:00:00Z');
    const checked = await checkedRecord();
    expect(checked.commitmentRecord).toEqual({ open: 1, kept: 1, broken: 1 });
    expect(checked.commitmentHistory.map((h) => [h.id, h.state, h.closedOn, h.breachKind, h.withdrawnBy])).toEqual([
      [kept.id, 'kept', '2026-03-31', null, null],
      [broken.id, 'breached', '2026-03-16', 'overdue', null],
    ]);
  });

  it('runs the measures of a breach from the day it was broken, not from the day it was found or reported', async () => {
    const overdue = await record('2026-03-15');
    const reported = await record('2026-06-30');
    clock.set('2026-03-25T02:00:00Z');
    await commitments.breach(MARKET, reported.id, { breachedOn: '2026-03-09', reason: '核查发现承诺内容与实际不符' });
    clock.set('2026-04-05T02:00:00Z'); // the scheduler was down: it finds the overdue one 20 days late
    expect((await scheduler.tick()).breachedCommitments).toBe(2);
    expect((await tasks(overdue.id))[0]).toMatchObject({ code: 'CB-01', validFrom: '2026-03-16', validTo: '2027-03-15' });
    expect((await tasks(reported.id))[0]).toMatchObject({ code: 'CB-01', validFrom: '2026-03-09', validTo: '2027-03-08' });
  });

  it('announces every breach of a tick with one intake statement and one update, each event once', async () => {
    const due = await Promise.all([record('2026-03-10'), record('2026-03-11'), record('2026-03-12')]);
    clock.set('2026-04-01T02:00:00Z');
    const statements: string[] = [];
    const query = db.driver.createQueryRunner;
    // Counts the statements the tick sends through TypeORM (its query runners), by their first words.
    db.driver.createQueryRunner = (mode) => {
      const runner = query.call(db.driver, mode);
      const original = runner.query.bind(runner);
      runner.query = ((sql: string, ...rest: unknown[]) => (statements.push(sql.trim().slice(0, 60)), original(sql, ...(rest as [])))) as typeof runner.query;
      return runner;
    };
    try {
      expect((await scheduler.tick()).breachedCommitments).toBe(3);
    } finally {
      db.driver.createQueryRunner = query;
    }
    expect(statements.filter((q) => q.startsWith('INSERT INTO inbound_event'))).toHaveLength(1);
    expect(statements.filter((q) => q.startsWith('UPDATE credit_commitment c SET breach_event_id'))).toHaveLength(1);
    for (const c of due) {
      expect(await inbound(c.id)).toHaveLength(1);
      expect(await tasks(c.id)).toHaveLength(5);
    }
  });

  it('recomputes the class when a commitment is reported kept (commitments.kept is a fact), at the next tick, once', async () => {
    const kept = await record('2026-03-31');
    clock.set('2026-03-20T02:00:00Z');
    await commitments.fulfil(MARKET, kept.id, { fulfilledOn: '2026-03-20', evidenceReference: '利市监核〔2026〕90号' });
    expect(await klass()).toBeUndefined();
    expect((await scheduler.tick()).keptCommitments).toBe(1);
    expect(await klass()).toMatchObject({ class: 'B', facts: expect.objectContaining({ 'commitments.kept': 1, 'commitments.broken': 0 }) });
    expect((await commitments.read(MARKET, kept.id)).settledAt).toBe(clock.now().toISOString());
    expect((await scheduler.tick()).keptCommitments).toBe(0);
  });

  it.each([
    // A repair waits for the minimum publicity of general conduct (three months from the first day of the measures).
    ['repaired', '2026-06-20T02:00:00Z', (decisionId: string) => lifecycleEvent('repair.approved', { decisionId })],
    ['removed', '2026-04-10T02:00:00Z', (decisionId: string) => lifecycleEvent('list-entry.removed', { decisionId, reason: 'quashed' })],
  ])('no longer counts a breach whose decision was %s, in the class and in the check', async (withdrawnBy, on, withdrawal) => {
    const broken = await record('2026-03-15');
    clock.set('2026-04-01T02:00:00Z');
    await scheduler.tick();
    expect(await klass()).toMatchObject({ class: 'C', facts: expect.objectContaining({ 'commitments.broken': 1 }) });
    clock.set(on);
    expect((await checkedRecord()).commitmentRecord.broken).toBe(1);

    const reported = async () => (await repository.ofSubject(db.manager, { idType: 'USCC', id: ENTERPRISE }, chinaDate(clock.now()), null)).map((c) => c.id);
    expect(await reported()).toEqual([broken.id]);

    await batches.processBatch([withdrawal(await breachDecision(broken.id))], []);
    expect(await db.query(`SELECT DISTINCT end_reason AS "endReason" FROM measure_task WHERE decision_id = $1`, [await breachDecision(broken.id)])).toEqual([{ endReason: withdrawnBy }]);
    // A credit report no longer publishes the breach at all (DOMAIN §4): not as broken, not as withdrawn.
    expect(await reported()).toEqual([]);
    expect(await klass()).toMatchObject({ class: 'B', facts: expect.objectContaining({ 'commitments.broken': 0 }) });
    const checked = await checkedRecord();
    expect(checked.commitmentRecord.broken).toBe(0);
    expect(checked.commitmentHistory).toEqual([expect.objectContaining({ id: broken.id, state: 'breached', withdrawnBy })]);
    // Taken back, the breach is no longer published: only the recording department still sees it.
    expect((await checkedRecord('tax')).commitmentHistory).toEqual([]);
  });

  it('stops counting a breach on the day after its last counted day, a leap day too, wherever it is counted', async () => {
    const broken = await record('2026-03-15');
    clock.set('2026-04-01T02:00:00Z');
    await scheduler.tick();
    // Closed 2023-02-28: five years on is 2028-02-28, its last counted day; 2028-02-29 is the first it is not.
    await db.query(`UPDATE credit_commitment SET closed_on = '2023-02-28' WHERE id = $1`, [broken.id]);
    const subject = [{ idType: 'USCC', id: ENTERPRISE }];
    const key = `USCC/${ENTERPRISE}`;
    const classFacts = recordedCommitments(repository);
    expect((await classFacts.countsFor(db.manager, subject, '2028-02-28')).get(key)?.broken).toBe(1);
    // The day the class looks again (the day after the last counted) is the day it no longer counts.
    expect((await new CreditClassRepository(db).standings(db.manager, subject, '2028-02-28')).get(key)?.nextChangeOn).toBe('2028-02-29');
    expect((await classFacts.countsFor(db.manager, subject, '2028-02-29')).get(key)?.broken).toBe(0);
    clock.set('2028-02-28T02:00:00Z');
    expect((await checkedRecord()).commitmentRecord.broken).toBe(1);
    expect(await repository.ofSubject(db.manager, { idType: 'USCC', id: ENTERPRISE }, '2028-02-28', null)).toHaveLength(1);
    clock.set('2028-02-29T02:00:00Z');
    const checked = await checkedRecord();
    expect(checked.commitmentRecord.broken).toBe(0);
    expect(checked.commitmentHistory).toEqual([]);
    expect(await repository.ofSubject(db.manager, { idType: 'USCC', id: ENTERPRISE }, '2028-02-29', null)).toEqual([]);
  });

  it('keeps counting a breach whose measures merely expired', async () => {
    await record('2026-03-15');
    clock.set('2026-04-01T02:00:00Z');
    await scheduler.tick();
    clock.set('2027-04-01T02:00:00Z'); // the year of CB-01..05 is over
    await scheduler.tick();
    expect(await klass()).toMatchObject({ class: 'C', facts: expect.objectContaining({ 'commitments.broken': 1 }) });
  });

  describe('correcting an automatic breach (kept in time, reported late)', () => {
    const correction = { fulfilledOn: '2026-03-31', evidenceReference: '利市监核〔2026〕91号', reason: '申请人已于到期日前提交材料，窗口人员未及时录入' };

    it('makes the commitment kept, withdraws the breach decision through the removal path (every addressee told), and recomputes the class', async () => {
      const late = await record('2026-03-31');
      clock.set('2026-04-01T02:00:00Z');
      await scheduler.tick();
      expect(await klass()).toMatchObject({ class: 'C' });
      const decision = { id: await breachDecision(late.id) };

      clock.set('2026-04-08T02:00:00Z');
      const corrected = await commitments.correct(MARKET, late.id, correction);
      expect(corrected).toMatchObject({
        state: 'kept',
        breach: null,
        fulfilment: { fulfilledOn: '2026-03-31' },
        correction: { reason: correction.reason, breach: { kind: 'overdue', breachedOn: '2026-04-01', eventId: commitmentBreachEventId(late.id) }, withdrawalEventId: null },
        settledAt: null,
      });

      expect((await scheduler.tick()).keptCommitments).toBe(1);
      const removal = await db.query(`SELECT source, type, transport FROM inbound_event WHERE event_id = $1`, [commitmentWithdrawalEventId(decision.id)]);
      // No list entry: its publisher, the recording department, removes it ("whoever identifies, removes").
      expect(removal).toEqual([{ source: '/departments/market-regulation', type: 'credit.list-entry.removed.v1', transport: 'scheduler' }]);
      expect(await db.query(`SELECT DISTINCT state, end_reason AS "endReason" FROM measure_task WHERE decision_id = $1`, [decision.id])).toEqual([{ state: 'revoked', endReason: 'removed' }]);
      // Every department with a measure of the decision is told it was revoked.
      const told = await db.query(`SELECT DISTINCT department FROM feed_record WHERE kind = 'decision.revoked' ORDER BY department`);
      expect(told.map((r: { department: string }) => r.department)).toEqual(expect.arrayContaining(['development-reform', 'housing', 'market-regulation', 'tax']));
      expect(await klass()).toMatchObject({ class: 'B', facts: expect.objectContaining({ 'commitments.broken': 0, 'commitments.kept': 1 }) });
      expect((await commitments.read(MARKET, late.id)).correction).toMatchObject({ withdrawalEventId: commitmentWithdrawalEventId(decision.id) });
      clock.set('2026-04-10T02:00:00Z');
      expect((await checkedRecord()).commitmentHistory).toEqual([expect.objectContaining({ id: late.id, state: 'kept', corrected: true })]);
      // To any other department the corrected breach was never published: the commitment is simply kept.
      expect((await checkedRecord('tax')).commitmentHistory).toEqual([expect.objectContaining({ id: late.id, state: 'kept', corrected: false })]);
      expect((await scheduler.tick()).keptCommitments).toBe(0);
    });

    it('leaves a corrected breach whose withdrawal event is refused unsettled, and settles the others of the tick', async () => {
      const bad = await record('2026-03-31');
      const good = await record('2026-03-31');
      clock.set('2026-04-01T02:00:00Z');
      await scheduler.tick();
      clock.set('2026-04-08T02:00:00Z');
      await commitments.correct(MARKET, bad.id, correction);
      await commitments.correct(MARKET, good.id, correction);
      // A row stored before its fields were checked as the intake checks events: its removal event is refused.
      await db.query(`UPDATE credit_commitment SET subject_kind = 'spaceship' WHERE id = $1`, [bad.id]);

      expect((await scheduler.tick()).keptCommitments).toBe(1);
      expect((await commitments.read(MARKET, good.id)).settledAt).toBe(clock.now().toISOString());
      expect((await commitments.read(MARKET, bad.id)).settledAt).toBeNull();
      // The next tick runs as well; the refused row waits.
      expect((await scheduler.tick()).keptCommitments).toBe(0);
      expect((await commitments.read(MARKET, bad.id)).settledAt).toBeNull();
    });

    it('counts the window from the day the breach was recorded when the scheduler recorded it late', async () => {
      const late = await record('2026-03-15');
      // The engine was down over the due date: broken on 03-16, recorded on 04-20.
      clock.set('2026-04-20T02:00:00Z');
      await scheduler.tick();
      expect((await commitments.read(MARKET, late.id)).breach).toMatchObject({ breachedOn: '2026-03-16' });
      clock.set('2026-04-30T02:00:00Z');
      expect(await commitments.correct(MARKET, late.id, { ...correction, fulfilledOn: '2026-03-15' })).toMatchObject({ state: 'kept' });
    });

    it("stores who corrected (X-User-Id) and logs the answer, which names the subject, in query_audit as a read's", async () => {
      const late = await record('2026-03-31');
      clock.set('2026-04-01T02:00:00Z');
      await scheduler.tick();
      const corrected = await commitments.correct(MARKET, late.id, correction, ' clerk-7 ');
      expect(corrected.correction).toMatchObject({ correctedBy: 'clerk-7' });
      expect((await repository.find(late.id))!.correctedBy).toBe('clerk-7');
      const audits = await db.query(`SELECT endpoint, user_id AS "userId", subjects, result_count AS "resultCount" FROM query_audit WHERE department = 'market-regulation' AND endpoint LIKE 'POST %'`);
      expect(audits).toEqual([{ endpoint: 'POST /v1/commitments/:id/correction', userId: 'clerk-7', subjects: [ENTERPRISE], resultCount: 1 }]);
    });

    it('corrects a breach not yet decided without any event', async () => {
      const late = await record('2026-03-31');
      clock.set('2026-04-01T02:00:00Z');
      await repository.inTransaction((manager) => repository.breachOverdue(manager, '2026-04-01', clock.now()));
      await commitments.correct(MARKET, late.id, correction);
      expect(await scheduler.tick()).toMatchObject({ breachedCommitments: 0, keptCommitments: 1 });
      expect(await inbound(late.id)).toEqual([]);
      expect(await klass()).toMatchObject({ class: 'B' });
    });

    it('refuses a reported breach, a correction after the window, and a fulfilment after the due date', async () => {
      const reported = await record('2026-06-30');
      const late = await record('2026-03-31');
      clock.set('2026-04-01T02:00:00Z');
      await commitments.breach(MARKET, reported.id, { breachedOn: '2026-03-30', reason: '核查发现承诺内容与实际不符' });
      await scheduler.tick();
      await expect(commitments.correct(MARKET, reported.id, { ...correction, fulfilledOn: '2026-03-30' })).rejects.toMatchObject({ code: 'COMMITMENT.NOT_CORRECTABLE' });
      await expect(commitments.correct(MARKET, late.id, { ...correction, fulfilledOn: '2026-04-01' })).rejects.toMatchObject({ code: 'COMMITMENT.PAST_DUE' });
      clock.set('2026-04-11T02:00:00Z'); // broken on 1 April, ten days (COMMITMENT_CORRECTION_DAYS): 11 April is the last
      await expect(commitments.correct(MARKET, late.id, { ...correction, evidenceReference: 'x' })).resolves.toMatchObject({ state: 'kept' });
      const later = await record('2026-04-05');
      clock.set('2026-04-06T02:00:00Z'); // recorded the day it was broken: the window runs to 16 April
      await scheduler.tick();
      expect((await repository.find(later.id))!.closedOn).toBe('2026-04-06');
      clock.set('2026-04-17T02:00:00Z');
      await expect(commitments.correct(MARKET, later.id, { ...correction, fulfilledOn: '2026-04-05' })).rejects.toMatchObject({
        code: 'COMMITMENT.CORRECTION_TOO_LATE',
        context: { brokenOn: '2026-04-06', correctionDays: 10, lastDay: '2026-04-16' },
      });
    });
  });
});
