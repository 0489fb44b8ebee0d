import { DataSource } from 'typeorm';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { KafkaEventBatchService } from '@app/engine';
import { CreditClassRepository } from '@app/persistence';
import { DepartmentFeedService } from '@app/query';
import { selfDisciplineRecordOf } from '@app/rules';
import { truncateAll } from '../support/database';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// An association withdraws (撤销) its own sanction, on real PostgreSQL: the sanction leaves the
// record and the class, the housing bureau's closer supervision (ISD-01) ends and it is told; a
// withdrawal by another association, or a second one, changes nothing and says so.

const MEMBER = '91510802MA6C0NJ30Y'; // a member of the shipped construction association
let sequence = 0;

function event(source: string, type: string, data: Record<string, unknown>): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `withdrawal-${++sequence}`,
    source: `/departments/${source}`,
    type,
    subject: MEMBER,
    time: '2026-03-01T02:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: MEMBER, name: '广元市利州区某某建设工程有限公司' }, decidedOn: '2026-03-01', ...data },
  });
}

const condemnation = () =>
  event('construction-association', 'credit.association.sanction.v1', { sanction: 'public-condemnation', industry: 'construction', reason: 'bid-rigging', documentNumber: '利建协〔2026〕9号' });
const withdrawal = (source = 'construction-association', sanctionDocumentNumber = '利建协〔2026〕9号') =>
  event(source, 'credit.association.sanction.withdrawn.v1', { documentNumber: `利建协撤〔2026〕${sequence}号`, sanctionDocumentNumber, reason: 'decision-quashed' });

describe('withdrawing an association sanction (real PostgreSQL)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let feeds: DepartmentFeedService;
  let close: () => Promise<void>;
  let classes: CreditClassRepository;

  beforeAll(async () => {
    ({ db, clock, batches, feeds, close } = await startEngineHarness('2026-03-01T02:00:00Z'));
    classes = new CreditClassRepository(db);
  });

  beforeEach(async () => {
    await truncateAll(db);
    clock.set('2026-03-01T02:00:00Z');
  });

  afterAll(async () => {
    await close?.();
  });

  const publish = (...events: CreditEvent[]) => batches.processBatch(events, []);
  const record = async () => selfDisciplineRecordOf((await classes.sanctions(db.manager, [{ idType: 'USCC', id: MEMBER }], '2026-03-01')).get(`USCC/${MEMBER}`) ?? [], '2026-03-01');
  const marketClass = async () => (await classes.classesOf({ idType: 'USCC', id: MEMBER })).find((c) => c.modelId === 'market-credit-class');
  const housingTasks = async () => (await db.query(`SELECT state, end_reason AS "endReason" FROM measure_task WHERE target_id = $1 AND measure_code = 'ISD-01'`, [MEMBER])) as { state: string; endReason: string | null }[];
  const outcomeOf = async (e: CreditEvent) => ((await db.query(`SELECT outcome FROM inbound_event WHERE source = $1 AND event_id = $2`, [e.source, e.id])) as { outcome: { status: string; code?: string } }[])[0].outcome;
  const feed = async (department: string) => (await feeds.read(department, '0', 500)).records as unknown as { kind: string; reason?: string; code?: string; class?: string }[];

  it('takes the sanction out of the record and the class, ends the measure that followed it and tells its department', async () => {
    await publish(condemnation());
    expect((await record()).counts['public-condemnation']).toBe(1);
    expect(await marketClass()).toMatchObject({ class: 'C' });
    expect(await housingTasks()).toEqual([{ state: 'active', endReason: null }]);

    const withdrawn = withdrawal();
    await publish(withdrawn);
    expect(await outcomeOf(withdrawn)).toMatchObject({ status: 'applied' });
    expect((await record()).counts['public-condemnation']).toBe(0);
    expect(await marketClass()).toMatchObject({ class: 'B', causeKey: `${withdrawn.source}/${withdrawn.id}`, explanation: { facts: { 'selfDiscipline.condemnations': 0 } } });
    expect(await housingTasks()).toEqual([{ state: 'revoked', endReason: 'removed' }]);
    expect((await feed('housing')).filter((r) => r.kind === 'decision.revoked').map((r) => r.reason)).toEqual(['removed']);
    expect((await feed('market-regulation')).filter((r) => r.kind === 'credit-class.changed').map((r) => r.class)).toEqual(['C', 'B']);

    // Twice: nothing left to withdraw, told to the association.
    const again = withdrawal();
    await publish(again);
    expect(await outcomeOf(again)).toMatchObject({ status: 'no-effect', code: 'LIFECYCLE.NOTHING_ACTIVE' });
    expect((await feed('construction-association')).filter((r) => r.kind === 'change.no-effect')).toHaveLength(1);
  });

  it('withdraws only the association\'s own sanction, by its document number', async () => {
    await publish(condemnation());
    const foreign = withdrawal('food-association');
    const unknown = withdrawal('construction-association', '利建协〔2026〕99号');
    await publish(foreign, unknown);
    for (const e of [foreign, unknown]) expect(await outcomeOf(e)).toMatchObject({ status: 'no-effect', code: 'LIFECYCLE.NOTHING_ACTIVE' });
    expect((await record()).counts['public-condemnation']).toBe(1);
    expect(await marketClass()).toMatchObject({ class: 'C' });
    expect(await housingTasks()).toEqual([{ state: 'active', endReason: null }]);
  });
});
