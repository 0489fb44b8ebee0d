import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, loadAppConfig } from '@app/config';
import { eventContentHash, parseCreditEvent } from '@app/domain';
import { CatalogueService, CreditClassCatalogue } from '@app/engine';
import { CreditCheckMetrics, CreditCheckService, SupervisionPlans } from '@app/query';
import { CreditClassRepository, InboundEventRepository, inboxInput, SubjectRecordRepository } from '@app/persistence';
import { DEFAULT_PUBLICITY, SanctionPublicityMonths, selfDisciplineRecordOf } from '@app/rules';
import { openTestDatabase, ownTestDatabaseUrl } from '../support/database';
import { MovableClock } from '../support/engine-harness';

const root = join(__dirname, '../..');
// Members of the shipped construction association (config/departments.json), and a natural person.
const MEMBER = '91510802MA6C0NJ20X';
const OTHER_MEMBER = '91510802MA6C0NJ30Y';
const PERSON = '510802199003071232';

function sanction(source: string, subject: { idType: 'USCC' | 'RESIDENT_ID'; id: string; kind?: string }, sanction: string, decidedOn: string, extra: Record<string, unknown> = {}) {
  return parseCreditEvent({
    specversion: '1.0',
    id: randomUUID(),
    source,
    type: 'credit.association.sanction.v1',
    subject: subject.id,
    time: `${decidedOn}T08:00:00Z`,
    data: {
      subject: { kind: subject.kind ?? 'enterprise', idType: subject.idType, id: subject.id, name: '广元市利州区某某建设工程有限公司' },
      sanction,
      industry: 'construction',
      reason: 'bid-rigging',
      documentNumber: `利建协〔2026〕${decidedOn.slice(5, 7)}${sanction.length}号`,
      decidedOn,
      ...extra,
    },
  });
}

describe('self-discipline record (real PostgreSQL)', () => {
  let db: DataSource;
  let classes: CreditClassRepository;
  // The record as credit classes read it: the repository's sanctions of the subject, within publicity on `today`.
  const repository = {
    selfDisciplineRecord: async (subject: { idType: string; id: string }, options: { today: string; publicity?: SanctionPublicityMonths }) =>
      selfDisciplineRecordOf((await classes.sanctions(db.manager, [subject], options.today)).get(`${subject.idType}/${subject.id}`) ?? [], options.today, options.publicity ?? DEFAULT_PUBLICITY),
  };
  let inbox: InboundEventRepository;

  const decided = (events: ReturnType<typeof sanction>[]) =>
    db.transaction((manager) => inbox.markFirstSeen(manager, events.map((event) => ({ ...inboxInput({ event, contentHash: eventContentHash(event) }), decisionCount: 0 }))));

  beforeAll(async () => {
    db = await openTestDatabase(await ownTestDatabaseUrl('self_discipline'));
    classes = new CreditClassRepository(db);
    inbox = new InboundEventRepository(db);
    // This spec's own database; the subjects are the registry's members, so a previous run's sanctions of them are removed first.
    await db.query(`DELETE FROM inbound_event WHERE subject_id IN ($1, $2, $3) AND type = 'credit.association.sanction.v1'`, [MEMBER, OTHER_MEMBER, PERSON]);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('counts decided sanctions by kind within their publicity period, by association, and nothing of an event not yet decided', async () => {
    const construction = '/departments/construction-association';
    await decided([
      sanction(construction, { idType: 'USCC', id: MEMBER }, 'warning', '2026-09-20'),
      sanction(construction, { idType: 'USCC', id: MEMBER }, 'warning', '2026-03-01'), // shown through 2026-05-31: over by November
      sanction(construction, { idType: 'USCC', id: MEMBER }, 'public-condemnation', '2026-02-10'),
      sanction('/departments/food-association', { idType: 'USCC', id: MEMBER }, 'circulated-criticism', '2026-08-01', { industry: 'food', memberSince: '2020-01-01' }),
      sanction(construction, { idType: 'USCC', id: OTHER_MEMBER }, 'public-condemnation', '2026-10-01'),
    ]);
    // Still in the inbox (embedded mode): the engine may yet refuse it.
    await db.transaction((manager) => {
      const event = sanction(construction, { idType: 'USCC', id: MEMBER }, 'circulated-criticism', '2026-11-01');
      return inbox.receive(manager, [inboxInput({ event, contentHash: eventContentHash(event) })], 'pending', 'http');
    });

    const record = await repository.selfDisciplineRecord({ idType: 'USCC', id: MEMBER }, { today: '2026-11-25' });
    expect(record.counts).toEqual({ warning: 1, 'circulated-criticism': 1, 'public-condemnation': 1 });
    expect(record.byAssociation.map((a) => [a.association, a.industry, a.sanctions.map((s) => [s.sanction, s.decidedOn, s.publicUntil])])).toEqual([
      ['construction-association', 'construction', [['public-condemnation', '2026-02-10', '2027-02-09'], ['warning', '2026-09-20', '2026-12-19']]],
      ['food-association', 'food', [['circulated-criticism', '2026-08-01', '2027-01-31']]],
    ]);
    // A day after the periods, nothing is left.
    expect((await repository.selfDisciplineRecord({ idType: 'USCC', id: MEMBER }, { today: '2027-03-01' })).counts).toEqual({ warning: 0, 'circulated-criticism': 0, 'public-condemnation': 0 });
    // The registry's months per association: a longer period keeps the condemnation.
    const longer = await repository.selfDisciplineRecord({ idType: 'USCC', id: MEMBER }, { today: '2027-03-01', publicity: () => ({ warning: 3, 'circulated-criticism': 6, 'public-condemnation': 24 }) });
    expect(longer.counts['public-condemnation']).toBe(1);
  });

  it('reads a subject by its identifier type too, so a natural person\'s number never matches an organisation\'s record', async () => {
    await decided([sanction('/departments/food-association', { idType: 'RESIDENT_ID', id: PERSON, kind: 'individual' }, 'warning', '2026-11-01', { industry: 'food', memberSince: '2021-01-01' })]);
    expect((await repository.selfDisciplineRecord({ idType: 'RESIDENT_ID', id: PERSON }, { today: '2026-11-25' })).counts.warning).toBe(1);
    expect((await repository.selfDisciplineRecord({ idType: 'USCC', id: PERSON }, { today: '2026-11-25' })).counts.warning).toBe(0);
  });

  it('shows an organisation\'s record in its credit check, the associations named, and none for a natural person', async () => {
    const config = { ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: join(root, 'config/departments.json'), APPROVAL_ITEMS_FILE: join(root, 'config/approval-items.json') } as AppConfig;
    const catalogue = new CatalogueService(config);
    const clock = new MovableClock(new Date('2026-11-25T02:00:00Z'));
    const checks = new CreditCheckService(catalogue, new SubjectRecordRepository(db), config, clock, new CreditCheckMetrics(), new CreditClassCatalogue(config, catalogue), new SupervisionPlans(config, catalogue, new CreditClassCatalogue(config, catalogue)));
    const result = await checks.check({ department: 'housing', subject: OTHER_MEMBER, approvalItem: 'inspection-planning' });
    expect(result.record).toBe(true);
    expect(result.selfDiscipline).toEqual({
      counts: { warning: 0, 'circulated-criticism': 0, 'public-condemnation': 1 },
      associations: [
        {
          association: { code: 'construction-association', name: { zh: '利州区建筑业协会', en: 'Lizhou District Construction Industry Association' } },
          industry: 'construction',
          sanctions: [{ sanction: 'public-condemnation', reason: 'bid-rigging', documentNumber: expect.stringMatching(/^利建协/), decidedOn: '2026-10-01', publicUntil: '2027-09-30' }],
        },
      ],
    });
    const person = await checks.check({ department: 'housing', subject: PERSON, approvalItem: 'inspection-planning', userId: 'clerk-h', purpose: '检查计划' });
    expect(person.selfDiscipline).toBeNull();
    expect(person.record).toBe(false);
  });
});
