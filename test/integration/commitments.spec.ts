import { DataSource } from 'typeorm';
import { Department } from '@app/domain';
import { commitmentBreachEventId, LifecycleScheduler } from '@app/engine';
import { loadAppConfig } from '@app/config';
import { CommitmentRepository, QueryAuditRepository } from '@app/persistence';
import { CommitmentService, QueryAuditService } from '@app/query';
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

  beforeAll(async () => {
    ({ db, clock, scheduler, close } = await startEngineHarness('2026-03-01T02:00:00Z'));
    repository = new CommitmentRepository(db);
    commitments = new CommitmentService(repository, clock, new QueryAuditService(new QueryAuditRepository(db), loadAppConfig({}), clock));
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

  it('never breaches a kept commitment, and counts the record open / kept / broken', async () => {
    const kept = await record('2026-03-31');
    const open = await record('2026-12-31');
    const broken = await record('2026-03-15');
    clock.set('2026-03-31T02:00:00Z');
    // Kept on its due date: in time.
    expect(await commitments.fulfil(MARKET, kept.id, { fulfilledOn: '2026-03-31', evidenceReference: '利市监核〔2026〕88号' })).toMatchObject({ state: 'kept', fulfilment: { fulfilledOn: '2026-03-31' } });
    clock.set('2026-04-05T02:00:00Z');
    expect((await scheduler.tick()).breachedCommitments).toBe(1);
    expect((await repository.find(broken.id))!.closedOn).toBe('2026-03-16');
    expect(await repository.commitmentRecord({ idType: 'USCC', id: ENTERPRISE })).toEqual({ open: 1, kept: 1, broken: 1 });
    expect(await repository.commitmentRecord({ idType: 'USCC', id: ENTERPRISE }, 'tax')).toEqual({ open: 0, kept: 0, broken: 0 });
    expect((await repository.openOf({ idType: 'USCC', id: ENTERPRISE }, 'market-regulation')).map((c) => c.id)).toEqual([open.id]);
  });
});
