import { DataSource } from 'typeorm';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { CreditEventProcessor, KafkaEventBatchService, LifecycleScheduler } from '@app/engine';
import { CreditClassRepository } from '@app/persistence';
import { DepartmentFeedService } from '@app/query';
import { truncateAll } from '../support/database';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// Credit classes recomputed in the transaction of the change, on real PostgreSQL: the market
// regulation model (rules/classes/market-credit-class.json) as decisions, removals, repairs and
// expiries change an enterprise's standing, and what its departments are told.

const ENTERPRISE = '91510802MA6T7E1QXE';
const SUBJECT = { idType: 'USCC', id: ENTERPRISE };
let sequence = 0;

function event(source: string, type: string, data: Record<string, unknown>): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `classes-${++sequence}`,
    source: `/departments/${source}`,
    type: `credit.${type}.v1`,
    subject: ENTERPRISE,
    time: '2026-01-01T00:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区云帆信息技术有限公司' }, documentNumber: `DOC-${sequence}`, ...data },
  });
}

const aGradeTaxpayer = () => event('tax', 'rating.assigned', { scheme: 'tax-credit', grade: 'A', ratingYear: 2025, decidedOn: '2026-01-05', validTo: '2027-01-04' });
const abnormalOperation = () => event('market-regulation', 'list-entry.added', { listCode: 'abnormal-operation', reason: 'annual-report-not-filed', decidedOn: '2026-01-05' });
const judgmentDebtor = (decidedOn = '2026-01-05') => event('court', 'judgment-debtor.listed', { decidedOn, reason: 'evading-execution' });

interface ClassRecord {
  kind: string;
  previousClass: string;
  previousBasis: string;
  class: string;
  basis: string;
  rule: { name: string } | null;
  matchedFacts: Record<string, unknown>;
  causeKey: string;
}

describe('credit classes (real PostgreSQL)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let scheduler: LifecycleScheduler;
  let feeds: DepartmentFeedService;
  let close: () => Promise<void>;
  let classes: CreditClassRepository;
  let processor: CreditEventProcessor;

  beforeAll(async () => {
    const harness = await startEngineHarness('2026-01-05T02:00:00Z');
    ({ db, clock, batches, scheduler, feeds, close } = harness);
    classes = new CreditClassRepository(db);
    processor = harness.get(CreditEventProcessor);
  });

  beforeEach(async () => {
    await truncateAll(db);
    clock.set('2026-01-05T02:00:00Z');
  });

  afterAll(async () => {
    await close?.();
  });

  const publish = (...events: CreditEvent[]) => batches.processBatch(events, []);
  const current = async () => (await classes.classesOf(SUBJECT)).find((c) => c.modelId === 'market-credit-class');
  const told = async (department: string) => ((await feeds.read(department, '0', 500)).records as unknown as ClassRecord[]).filter((r) => r.kind === 'credit-class.changed');

  it('gives an A-grade taxpayer class A and tells market regulation and the credit office, from the default class', async () => {
    const rating = aGradeTaxpayer();
    await publish(rating);
    expect(await current()).toMatchObject({ class: 'A', basis: 'rule', subjectKind: 'enterprise', asOf: '2026-01-05', causeKey: `${rating.source}/${rating.id}`, explanation: { rule: { name: 'commended' }, facts: { 'lists.red': 1, commendations: 1 } } });
    for (const department of ['market-regulation', 'credit-office']) {
      expect(await told(department)).toEqual([expect.objectContaining({ previousClass: 'B', previousBasis: 'default', class: 'A', basis: 'rule', rule: expect.objectContaining({ name: 'commended' }) })]);
    }
    // Not a department the model names.
    expect(await told('tax')).toEqual([]);
  });

  it('moves the subject to D when it is blacklisted, in the transaction that stores the listing, and nowhere if that rolls back', async () => {
    await publish(aGradeTaxpayer());
    const listing = judgmentDebtor();
    await expect(
      db.transaction(async (manager) => {
        await processor.store(manager, await processor.decide([listing]));
        const [inside] = await manager.query(`SELECT class FROM credit_class WHERE subject_id = $1`, [ENTERPRISE]);
        expect(inside).toEqual({ class: 'D' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await current()).toMatchObject({ class: 'A' });

    await publish(listing);
    expect(await current()).toMatchObject({ class: 'D', explanation: { rule: { name: 'blacklisted', matchedFacts: { 'lists.black': 1 } } } });
    expect((await told('market-regulation')).map((r) => `${r.previousClass}→${r.class}`)).toEqual(['B→A', 'A→D']);
    expect((await told('market-regulation'))[1]).toMatchObject({ matchedFacts: { 'lists.black': 1 }, causeKey: `${listing.source}/${listing.id}` });
    const history = await classes.history(SUBJECT, 'market-credit-class');
    expect(history.map((h) => [h.previousClass, h.class])).toEqual([
      [null, 'A'],
      ['A', 'D'],
    ]);
  });

  it('goes from A to C on a key-attention listing and back to A when the listing is repaired', async () => {
    await publish(aGradeTaxpayer());
    await publish(abnormalOperation());
    expect(await current()).toMatchObject({ class: 'C', explanation: { rule: { name: 'key-attention' }, alsoMatched: [] } });
    clock.set('2026-02-01T02:00:00Z');
    await publish(event('market-regulation', 'repair.approved', { listCode: 'abnormal-operation', decidedOn: '2026-02-01' }));
    expect(await current()).toMatchObject({ class: 'A', asOf: '2026-02-01' });
    expect((await told('credit-office')).map((r) => r.class)).toEqual(['A', 'C', 'A']);
  });

  it('goes back from D when the blacklist entry expires (the scheduler), and on its removal', async () => {
    await publish(judgmentDebtor());
    expect(await current()).toMatchObject({ class: 'D' });
    clock.set('2028-01-05T02:00:00Z'); // the day after the 730-day term
    await scheduler.tick();
    expect(await current()).toMatchObject({ class: 'B', basis: 'otherwise', causeKey: 'expired/2028-01-05' });

    await publish(judgmentDebtor('2028-01-05'));
    expect(await current()).toMatchObject({ class: 'D' });
    await publish(event('court', 'list-entry.removed', { listCode: 'judgment-debtor', decidedOn: '2028-01-05', reason: 'quashed' }));
    expect(await current()).toMatchObject({ class: 'B', basis: 'otherwise' });
    expect((await told('market-regulation')).map((r) => r.class)).toEqual(['D', 'B', 'D', 'B']);
  });

  it('keeps D while an objection is pending, saying the entry is disputed, and goes back when the objection revokes it', async () => {
    await publish(judgmentDebtor());
    await publish(event('court', 'objection.filed', { decidedOn: '2026-01-05', objectionId: 'OBJ-1', listCode: 'judgment-debtor', reason: '已履行' }));
    expect(await current()).toMatchObject({ class: 'D', explanation: { facts: { 'lists.black': 1, disputedEntries: 1 } } });
    expect(await told('market-regulation')).toHaveLength(1);
    await publish(event('court', 'objection.resolved', { decidedOn: '2026-01-06', objectionId: 'OBJ-1', listCode: 'judgment-debtor', outcome: 'revoked' }));
    expect(await current()).toMatchObject({ class: 'B', explanation: { facts: { 'lists.black': 0, disputedEntries: 0 } } });
    expect((await told('market-regulation')).map((r) => r.class)).toEqual(['D', 'B']);
  });

  it('classifies, in the lifecycle tick, subjects listed before they had a class, once', async () => {
    await publish(judgmentDebtor());
    // As after the migration: entries in force, no class yet.
    await db.query(`DELETE FROM credit_class`);
    await db.query(`DELETE FROM feed_record WHERE kind = 'credit-class.changed'`);
    expect(await current()).toBeUndefined();
    clock.set('2026-01-07T02:00:00Z'); // a day no other test ticks on
    expect((await scheduler.tick()).classified).toBe(1);
    expect(await current()).toMatchObject({ class: 'D', causeKey: 'backfill/2026-01-07' });
    expect((await told('market-regulation')).map((r) => [r.previousClass, r.class])).toEqual([['B', 'D']]);
    expect((await scheduler.tick()).classified).toBe(0);
  });

  it('does not write or tell anything when an event leaves the class and its facts as they were', async () => {
    await publish(judgmentDebtor());
    const before = await current();
    await publish(event('court', 'list-entry.removed', { listCode: 'wage-arrears', decidedOn: '2026-01-05', reason: 'quashed' }));
    expect(await current()).toEqual(before);
    expect(await told('market-regulation')).toHaveLength(1);
  });

  it('counts a serious penalty within publicity, and the blacklisting it causes', async () => {
    await publish(event('market-regulation', 'penalty.imposed', { severity: 'serious', penaltyType: 'fine', reason: 'food-safety-violation', fineAmountYuan: 800000, decidedOn: '2026-01-05' }));
    const row = await current();
    expect(row?.class).toBe('D');
    expect(row?.explanation).toMatchObject({ facts: { 'lists.black': 1, 'penalties.serious': 1 }, alsoMatched: ['serious-penalty'] });
  });
});
