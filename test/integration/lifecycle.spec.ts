import { DataSource } from 'typeorm';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { KafkaEventBatchService, LifecycleScheduler } from '@app/engine';
import { DepartmentFeedService } from '@app/query';
import { truncateAll } from '../support/database';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// Every lifecycle path, driven with a moved clock against real PostgreSQL, asserting what the
// affected departments' feeds show. The scheduler and the processor are the engine's own.

const ENTERPRISE = '91510802MA6T7E1QXE';
const OTHER_ENTERPRISE = '91510802MA62XK8R6G';
const LEGAL_REP = '510802197804150310';
let sequence = 0;

function event(source: string, type: string, data: Record<string, unknown>, subject = ENTERPRISE): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `lifecycle-${++sequence}`,
    source: `/departments/${source}`,
    type: `credit.${type}.v1`,
    subject,
    time: '2026-01-01T00:00:00Z',
    data: {
      subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: '广元市利州区某公司' },
      relatedPersons: [{ role: 'legal-representative', idType: 'RESIDENT_ID', id: LEGAL_REP, name: '王建国' }],
      documentNumber: `DOC-${sequence}`,
      ...data,
    },
  });
}

interface Record_ {
  kind: string;
  reason?: string;
  listEntries: { list: { code: string }; state?: string; endReason?: string; disputed: boolean }[];
  measures: { code: string; implementingDepartment: string; target: { id: string }; state?: string }[];
  otherMeasures: Record<string, number>;
}

describe('decision lifecycle (moved clock, real PostgreSQL)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let scheduler: LifecycleScheduler;
  let feeds: DepartmentFeedService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, clock, batches, scheduler, feeds, close } = await startEngineHarness('2026-01-05T02:00:00Z'));
  });

  beforeEach(async () => {
    await truncateAll(db);
    clock.set('2026-01-05T02:00:00Z');
  });

  afterAll(async () => {
    await close?.();
  });

  const publish = (...events: CreditEvent[]) => batches.processBatch(events, []);
  const feed = async (department: string): Promise<Record_[]> => (await feeds.read(department, '0', 500)).records as unknown as Record_[];
  const lastOf = async (department: string, kind: string) => (await feed(department)).filter((r) => r.kind === kind).pop();
  const entryState = async (list: string, subject = ENTERPRISE) =>
    (await db.query(`SELECT state, end_reason AS "endReason", disputed FROM list_entry WHERE list_code = $1 AND subject_id = $2 ORDER BY created_at DESC LIMIT 1`, [list, subject]))[0];
  const judgmentDebtor = (decidedOn = '2026-01-05') => event('court', 'judgment-debtor.listed', { decidedOn, reason: 'evading-execution' });

  it('expires an entry at the end of its validity, once, telling every addressee', async () => {
    await publish(judgmentDebtor('2026-01-05'));
    clock.set('2028-01-04T02:00:00Z'); // the last day in force (default term 730 days)
    expect((await scheduler.tick()).expiredEntries).toBe(0);
    clock.set('2028-01-05T02:00:00Z');
    const summary = await scheduler.tick();
    expect(summary.expiredEntries).toBe(1);
    expect(await entryState('judgment-debtor')).toMatchObject({ state: 'expired', endReason: 'expired' });
    const revoked = await lastOf('finance', 'decision.revoked');
    expect(revoked).toMatchObject({ reason: 'expired', listEntries: [{ list: { code: 'judgment-debtor' }, state: 'expired' }] });
    expect(revoked!.measures.every((m) => m.state === 'expired')).toBe(true);
    expect(await lastOf('transport', 'decision.revoked')).toBeDefined();

    const before = (await feed('finance')).length;
    expect((await scheduler.tick()).expiredEntries).toBe(0);
    expect((await feed('finance')).length).toBe(before);
  });

  describe('the five-year limit', () => {
    it('cuts an entry back to the last usable day and ends it the day after, with a reason of its own, telling every addressee', async () => {
      // Conduct ended 2021-03-01: usable through 2026-03-01, although the default term would run to 2028.
      await publish(event('court', 'judgment-debtor.listed', { decidedOn: '2026-01-05', conductEndedOn: '2021-03-01', reason: 'evading-execution' }));
      const [row] = await db.query(`SELECT valid_to::text AS "validTo", conduct_ended_on::text AS "conductEndedOn", last_usable_on::text AS "lastUsableOn" FROM list_entry WHERE subject_id = $1`, [ENTERPRISE]);
      expect(row).toEqual({ validTo: '2026-03-01', conductEndedOn: '2021-03-01', lastUsableOn: '2026-03-01' });
      const tasks = await db.query(`SELECT DISTINCT valid_to::text AS "validTo" FROM measure_task WHERE list_entry_id IS NOT NULL`);
      expect(tasks).toEqual([{ validTo: '2026-03-01' }]);

      clock.set('2026-03-01T15:59:59Z'); // 23:59:59 on the last usable day, China time
      expect((await scheduler.tick()).expiredEntries).toBe(0);
      clock.set('2026-03-01T16:00:00Z'); // 00:00 the next day
      expect((await scheduler.tick()).expiredEntries).toBe(1);
      expect(await entryState('judgment-debtor')).toMatchObject({ state: 'expired', endReason: 'limitation-reached' });
      for (const department of ['finance', 'transport', 'court']) {
        expect(await lastOf(department, 'decision.revoked')).toMatchObject({ reason: 'limitation-reached', listEntries: [{ endReason: 'limitation-reached' }] });
      }
      clock.set('2026-03-02T16:00:00Z'); // the day after: nothing more to do
      expect((await scheduler.tick()).expiredEntries).toBe(0);
    });

    it('decides nothing on conduct already past the limit, and tells the identifying department why', async () => {
      await publish(event('court', 'judgment-debtor.listed', { decidedOn: '2026-01-05', conductEndedOn: '2021-01-04', reason: 'evading-execution' }));
      expect(await db.query(`SELECT id FROM list_entry`)).toEqual([]);
      expect(await db.query(`SELECT id FROM measure_task`)).toEqual([]);
      expect(await lastOf('court', 'sanction.refused')).toMatchObject({ code: 'EVENT.CONDUCT_PAST_LIMIT', memorandum: 'judgment-debtors', lastUsableOn: '2026-01-04' });
      expect(await lastOf('finance', 'decision.issued')).toBeUndefined();
      const [{ outcome }] = await db.query(`SELECT outcome FROM inbound_event WHERE envelope->'data'->>'conductEndedOn' = '2021-01-04'`);
      expect(outcome).toMatchObject({ status: 'refused', code: 'EVENT.CONDUCT_PAST_LIMIT' });
    });
  });

  describe('penalty-based measures (no list entry)', () => {
    const generalPenalty = () => event('environment', 'penalty.imposed', { decidedOn: '2026-01-05', severity: 'general', penaltyType: 'fine', reason: 'pollution-over-standard', documentNumber: '广环罚〔2026〕7号' });
    const task = async () => (await db.query(`SELECT state, end_reason AS "endReason" FROM measure_task WHERE measure_code = 'ENV-01' AND target_id = $1`, [ENTERPRISE]))[0];

    it('repairs them by the penalty\'s document number after the minimum publicity of a general penalty (3 months), refusing before with the earliest date', async () => {
      await publish(generalPenalty());
      expect(await task()).toMatchObject({ state: 'active' });
      clock.set('2026-04-04T02:00:00Z');
      await publish(event('environment', 'repair.approved', { decidedOn: '2026-04-04', penaltyDocumentNumber: '广环罚〔2026〕7号' }));
      expect(await task()).toMatchObject({ state: 'active' });
      expect(await lastOf('environment', 'repair.refused')).toMatchObject({ code: 'REPAIR.TOO_EARLY', earliestRepairOn: '2026-04-05' });

      clock.set('2026-04-05T02:00:00Z');
      await publish(event('environment', 'repair.approved', { decidedOn: '2026-04-05', penaltyDocumentNumber: '广环罚〔2026〕7号' }));
      expect(await task()).toMatchObject({ state: 'revoked', endReason: 'repaired' });
      const revoked = await lastOf('environment', 'decision.revoked');
      expect(revoked).toMatchObject({ reason: 'repaired', listEntries: [] });
      expect(revoked!.measures.map((m) => m.code)).toEqual(['ENV-01']);
    });

    it('removes them by decision id, but only for the department that published the penalty', async () => {
      await publish(generalPenalty());
      const [{ decisionId }] = await db.query(`SELECT decision_id AS "decisionId" FROM measure_task WHERE measure_code = 'ENV-01'`);
      await publish(event('market-regulation', 'list-entry.removed', { decidedOn: '2026-01-06', decisionId, reason: 'quashed' }));
      expect(await task()).toMatchObject({ state: 'active' });
      expect(await lastOf('market-regulation', 'removal.refused')).toMatchObject({ code: 'LIFECYCLE.NOT_IDENTIFYING_DEPARTMENT' });

      // Named for another subject, the decision is not touched.
      await publish(event('environment', 'list-entry.removed', { decidedOn: '2026-01-06', decisionId, reason: 'quashed' }, OTHER_ENTERPRISE));
      expect(await task()).toMatchObject({ state: 'active' });
      expect(await lastOf('environment', 'change.no-effect')).toMatchObject({ code: 'LIFECYCLE.NOTHING_ACTIVE' });

      await publish(event('environment', 'list-entry.removed', { decidedOn: '2026-01-06', decisionId, reason: 'quashed' }));
      expect(await task()).toMatchObject({ state: 'revoked', endReason: 'removed' });
      expect(await lastOf('environment', 'decision.revoked')).toMatchObject({ reason: 'removed' });
    });
  });

  it('answers every lifecycle event that changes nothing, to its sender', async () => {
    await publish(event('court', 'list-entry.removed', { decidedOn: '2026-01-05', listCode: 'judgment-debtor', reason: 'obligation-performed' }));
    expect(await lastOf('court', 'change.no-effect')).toMatchObject({ code: 'LIFECYCLE.NOTHING_ACTIVE', list: 'judgment-debtor' });
    await publish(judgmentDebtor());
    await publish(event('court', 'objection.resolved', { decidedOn: '2026-01-06', objectionId: 'OBJ-9', listCode: 'judgment-debtor', outcome: 'confirmed' }));
    expect(await lastOf('court', 'change.no-effect')).toMatchObject({ code: 'LIFECYCLE.NOT_DISPUTED' });
    await publish(event('court', 'objection.filed', { decidedOn: '2026-01-06', objectionId: 'OBJ-10', listCode: 'judgment-debtor', reason: '已履行' }));
    await publish(event('court', 'objection.filed', { decidedOn: '2026-01-07', objectionId: 'OBJ-11', listCode: 'judgment-debtor', reason: '已履行' }));
    expect(await lastOf('court', 'change.no-effect')).toMatchObject({ code: 'LIFECYCLE.ALREADY_DISPUTED' });
    // Resolving an objection other than the one pending settles nothing.
    await publish(event('court', 'objection.resolved', { decidedOn: '2026-01-08', objectionId: 'OBJ-11', listCode: 'judgment-debtor', outcome: 'revoked' }));
    expect(await entryState('judgment-debtor')).toMatchObject({ state: 'active', disputed: true });
    const outcomes = await db.query(`SELECT outcome->>'status' AS status, outcome->>'code' AS code FROM inbound_event WHERE type LIKE 'credit.objection%' ORDER BY seq`);
    expect(outcomes).toEqual([
      { status: 'no-effect', code: 'LIFECYCLE.NOT_DISPUTED' },
      { status: 'applied', code: null },
      { status: 'no-effect', code: 'LIFECYCLE.ALREADY_DISPUTED' },
      { status: 'no-effect', code: 'LIFECYCLE.NOT_DISPUTED' },
    ]);
  });

  it('ends the measures when the identifying department removes the entry', async () => {
    await publish(judgmentDebtor());
    await publish(event('court', 'list-entry.removed', { decidedOn: '2026-02-01', listCode: 'judgment-debtor', reason: 'obligation-performed' }));
    expect(await entryState('judgment-debtor')).toMatchObject({ state: 'removed', endReason: 'removed' });
    const revoked = await lastOf('finance', 'decision.revoked');
    expect(revoked?.reason).toBe('removed');
    expect(revoked?.measures.map((m) => m.code)).toContain('JD-01');
    // Finance's own tasks by id; transport's travel restriction only in summary, without its target persons.
    expect(revoked!.measures.every((m) => m.implementingDepartment === 'finance')).toBe(true);
    expect(revoked!.otherMeasures['JD-02']).toBeGreaterThan(0);
    expect(JSON.stringify(revoked)).not.toContain(LEGAL_REP);
  });

  it('repairs an entry when the memorandum allows it and the minimum period has passed', async () => {
    await publish(judgmentDebtor());
    clock.set('2026-02-01T02:00:00Z');
    await publish(event('court', 'repair.approved', { decidedOn: '2026-02-01', listCode: 'judgment-debtor' }));
    expect(await entryState('judgment-debtor')).toMatchObject({ state: 'repaired' });
    expect((await lastOf('finance', 'decision.revoked'))?.reason).toBe('repaired');
  });

  it('refuses a repair before the minimum period, telling the identifying department why', async () => {
    const listing = event('hr-social-security', 'list-entry.added', { decidedOn: '2026-01-05', listCode: 'wage-arrears', reason: 'wage-arrears' }, OTHER_ENTERPRISE);
    await publish(listing);
    clock.set('2026-03-01T02:00:00Z');
    await publish(event('hr-social-security', 'repair.approved', { decidedOn: '2026-03-01', listCode: 'wage-arrears' }, OTHER_ENTERPRISE));
    expect(await entryState('wage-arrears', OTHER_ENTERPRISE)).toMatchObject({ state: 'active' });
    const refusal = (await lastOf('hr-social-security', 'repair.refused')) as unknown as { code: string; reason: string; earliestRepairOn: string };
    // 180 days from the entry's first day, 2026-01-05.
    expect(refusal).toMatchObject({ code: 'REPAIR.TOO_EARLY', earliestRepairOn: '2026-07-04' });
    expect(refusal.reason).toContain('2026-07-04');
    expect(await lastOf('finance', 'decision.revoked')).toBeUndefined();

    clock.set('2026-07-05T02:00:00Z');
    await publish(event('hr-social-security', 'repair.approved', { decidedOn: '2026-07-05', listCode: 'wage-arrears' }, OTHER_ENTERPRISE));
    expect(await entryState('wage-arrears', OTHER_ENTERPRISE)).toMatchObject({ state: 'repaired' });
  });

  it('flags a decision disputed at once when an objection is filed, and clears it when confirmed', async () => {
    await publish(judgmentDebtor());
    await publish(event('court', 'objection.filed', { decidedOn: '2026-01-06', objectionId: 'OBJ-1', listCode: 'judgment-debtor', reason: 'identity mistaken' }));
    expect(await entryState('judgment-debtor')).toMatchObject({ state: 'active', disputed: true });
    const disputed = await lastOf('finance', 'decision.disputed');
    expect(disputed?.listEntries[0].disputed).toBe(true);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM measure_task WHERE disputed AND state = 'active'`);
    expect(n).toBeGreaterThan(0);

    await publish(event('court', 'objection.resolved', { decidedOn: '2026-01-10', objectionId: 'OBJ-1', listCode: 'judgment-debtor', outcome: 'confirmed' }));
    expect(await entryState('judgment-debtor')).toMatchObject({ state: 'active', disputed: false });
    expect((await lastOf('finance', 'decision.confirmed'))?.listEntries[0].disputed).toBe(false);
  });

  it('revokes a decision when an objection succeeds', async () => {
    await publish(judgmentDebtor());
    await publish(event('court', 'objection.filed', { decidedOn: '2026-01-06', objectionId: 'OBJ-2', listCode: 'judgment-debtor', reason: 'paid in full' }));
    await publish(event('court', 'objection.resolved', { decidedOn: '2026-01-10', objectionId: 'OBJ-2', listCode: 'judgment-debtor', outcome: 'revoked' }));
    expect(await entryState('judgment-debtor')).toMatchObject({ state: 'revoked', endReason: 'objection-revoked' });
    expect((await lastOf('transport', 'decision.revoked'))?.reason).toBe('objection-revoked');
  });

  it('escalates an abnormal-operation entry unresolved for 3 years to the serious list, with the legal representative\'s bar', async () => {
    await publish(event('market-regulation', 'list-entry.added', { decidedOn: '2026-01-05', listCode: 'abnormal-operation', reason: 'annual-report-not-filed' }));
    clock.set('2029-01-03T02:00:00Z'); // 1094 days: not yet
    expect((await scheduler.tick()).escalated).toBe(0);
    clock.set('2029-01-04T02:00:00Z'); // 1095 days
    expect((await scheduler.tick()).escalated).toBe(1);
    expect(await entryState('abnormal-operation')).toMatchObject({ state: 'revoked', endReason: 'escalated' });
    expect(await entryState('serious-illegal-dishonest')).toMatchObject({ state: 'active' });
    const feed_ = await feed('market-regulation');
    expect(feed_.find((r) => r.kind === 'decision.revoked')?.reason).toBe('escalated');
    const issued = feed_.filter((r) => r.kind === 'decision.issued').pop()!;
    expect(issued.listEntries[0].list.code).toBe('serious-illegal-dishonest');
    expect(issued.measures.some((m) => m.target.id === LEGAL_REP)).toBe(true);

    expect((await scheduler.tick()).escalated).toBe(0); // never twice
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM list_entry WHERE list_code = 'serious-illegal-dishonest'`);
    expect(n).toBe(1);
  });

  it('does not escalate an entry removed in time', async () => {
    await publish(event('market-regulation', 'list-entry.added', { decidedOn: '2026-01-05', listCode: 'abnormal-operation', reason: 'annual-report-not-filed' }));
    await publish(event('market-regulation', 'list-entry.removed', { decidedOn: '2026-06-01', listCode: 'abnormal-operation', reason: 'report-filed' }));
    clock.set('2029-02-01T02:00:00Z');
    expect((await scheduler.tick()).escalated).toBe(0);
  });

  it('revokes a red-list entry when the subject becomes seriously dishonest, and grants none while blacklisted', async () => {
    const rating = (year: number) => event('tax', 'rating.assigned', { decidedOn: `${year + 1}-01-05`, scheme: 'tax-credit', grade: 'A', ratingYear: year });
    await publish(rating(2025));
    expect(await entryState('a-grade-taxpayer')).toMatchObject({ state: 'active' });
    const penalty = event('tax', 'penalty.imposed', { decidedOn: '2026-01-06', severity: 'serious', penaltyType: 'fine', reason: 'tax-evasion' });
    await publish(penalty);
    expect(await entryState('a-grade-taxpayer')).toMatchObject({ state: 'revoked', endReason: 'superseded' });
    expect((await lastOf('tax', 'decision.revoked'))?.listEntries[0].list.code).toBe('a-grade-taxpayer');
    // The revocation is an effect of the penalty event: its status lists it (and the class change, A to D, it caused).
    const kinds = await db.query(`SELECT DISTINCT kind FROM feed_record WHERE cause_key = $1 ORDER BY kind`, [`${penalty.source}/${penalty.id}`]);
    expect(kinds.map((k: { kind: string }) => k.kind)).toEqual(['credit-class.changed', 'decision.issued', 'decision.revoked']);

    const refusedRating = rating(2026);
    await publish(refusedRating);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM list_entry WHERE list_code = 'a-grade-taxpayer' AND state = 'active'`);
    expect(n).toBe(0);
    const [{ outcome }] = await db.query(`SELECT outcome FROM inbound_event WHERE event_id = $1`, [refusedRating.id]);
    expect(outcome).toMatchObject({ status: 'refused', code: 'GRANT.WHILE_BLACKLISTED', memoranda: ['a-grade-taxpayers'] });
    expect((await lastOf('tax', 'grant.refused'))?.reason).toMatch(/while the subject has an active blacklist entry/);
  });
});
