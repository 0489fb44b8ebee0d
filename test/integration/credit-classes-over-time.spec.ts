import { DataSource } from 'typeorm';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { KafkaEventBatchService, LifecycleScheduler } from '@app/engine';
import { CreditClassRepository } from '@app/persistence';
import { DepartmentFeedService } from '@app/query';
import { truncateAll } from '../support/database';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// Classes that change with no event, on real PostgreSQL: the lifecycle tick recomputes a subject on
// the day its standing changes by time alone (recompute_due_on), and every subject classified
// under an earlier revision of a model; what changes goes to the model's departments.

// Members of the shipped construction association (config/departments.json).
const MEMBER = '91510802MA6C0NJ10W';
const OTHER_MEMBER = '91510802MA6C0NJ20X';
let sequence = 0;

function event(subject: string, source: string, type: string, data: Record<string, unknown>, time = '2026-01-05T02:00:00Z'): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `classes-over-time-${++sequence}`,
    source: `/departments/${source}`,
    type: `credit.${type}.v1`,
    subject,
    time,
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: '广元市利州区蜀道建设工程有限公司' }, documentNumber: `DOC-T-${sequence}`, ...data },
  });
}

const aGradeTaxpayer = (subject: string) => event(subject, 'tax', 'rating.assigned', { scheme: 'tax-credit', grade: 'A', ratingYear: 2025, decidedOn: '2026-01-05', validTo: '2027-01-04' });
const sanction = (subject: string, kind: string, extra: Record<string, unknown> = {}) =>
  event(subject, 'construction-association', 'association.sanction', { sanction: kind, industry: 'construction', reason: 'bid-rigging', decidedOn: '2026-01-05', ...extra });

interface ClassRecord {
  kind: string;
  subjectId: string;
  previousClass: string;
  class: string;
  causeKey: string;
}

describe('credit classes over time (real PostgreSQL)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let scheduler: LifecycleScheduler;
  let feeds: DepartmentFeedService;
  let close: () => Promise<void>;
  let classes: CreditClassRepository;

  beforeAll(async () => {
    ({ db, clock, batches, scheduler, feeds, close } = await startEngineHarness('2026-01-05T02:00:00Z'));
    classes = new CreditClassRepository(db);
  });

  beforeEach(async () => {
    await truncateAll(db);
    clock.set('2026-01-05T02:00:00Z');
  });

  afterAll(async () => {
    await close?.();
  });

  const publish = (...events: CreditEvent[]) => batches.processBatch(events, []);
  const current = async (id: string) => (await classes.classesOf({ idType: 'USCC', id })).find((c) => c.modelId === 'market-credit-class');
  const dueOn = async (id: string) => ((await db.query(`SELECT recompute_due_on::text AS due FROM credit_class WHERE subject_id = $1`, [id])) as { due: string | null }[])[0]?.due;
  const told = async (id: string) =>
    ((await feeds.read('market-regulation', '0', 500)).records as unknown as ClassRecord[]).filter((r) => r.kind === 'credit-class.changed' && r.subjectId === id).map((r) => `${r.previousClass}→${r.class} ${r.causeKey}`);
  const tickOn = (day: string) => {
    clock.set(`${day}T02:00:00Z`);
    return scheduler.tick();
  };

  it('gives the class of a listing on the day its validFrom comes, with no event that day', async () => {
    await publish(event(OTHER_MEMBER, 'market-regulation', 'list-entry.added', { listCode: 'abnormal-operation', reason: 'annual-report-not-filed', decidedOn: '2026-01-05', validFrom: '2026-02-01' }));
    expect(await current(OTHER_MEMBER)).toMatchObject({ class: 'B', basis: 'otherwise' });
    expect(await dueOn(OTHER_MEMBER)).toBe('2026-02-01');
    expect((await tickOn('2026-01-31')).reclassified).toBe(0);
    expect((await tickOn('2026-02-01')).reclassified).toBe(1);
    expect(await current(OTHER_MEMBER)).toMatchObject({ class: 'C', causeKey: 'time/2026-02-01', explanation: { rule: { name: 'key-attention' } } });
    // From the default B to the otherwise B told nothing; the change of the day is told.
    expect(await told(OTHER_MEMBER)).toEqual(['B→C time/2026-02-01']);
    // The next day its standing changes is the day after the entry's last day.
    expect(await dueOn(OTHER_MEMBER)).not.toBeNull();
    expect((await tickOn('2026-02-02')).reclassified).toBe(0);
  });

  it('gives class A back the day after a circulated criticism stops being shown (6 months), though no entry or task ends', async () => {
    await publish(aGradeTaxpayer(MEMBER));
    await publish(sanction(MEMBER, 'circulated-criticism'));
    expect(await current(MEMBER)).toMatchObject({ class: 'B', explanation: { facts: { 'selfDiscipline.criticisms': 1, commendations: 1 } } });
    // Shown 2026-01-05 through 2026-07-04.
    expect(await dueOn(MEMBER)).toBe('2026-07-05');
    await tickOn('2026-07-04');
    expect(await current(MEMBER)).toMatchObject({ class: 'B' });
    const summary = await tickOn('2026-07-05');
    expect(summary).toMatchObject({ expiredEntries: 0, expiredTasks: 0, reclassified: 1 });
    expect(await current(MEMBER)).toMatchObject({ class: 'A', causeKey: 'time/2026-07-05', explanation: { facts: { 'selfDiscipline.criticisms': 0 } } });
    expect((await told(MEMBER)).slice(-2)).toEqual([expect.stringMatching(/^A→B \/departments\/construction-association\//), 'B→A time/2026-07-05']);
  });

  it('gives C for a public condemnation and lets it go at the five-year limit of the conduct, before its publicity ends', async () => {
    await publish(sanction(MEMBER, 'public-condemnation', { conductEndedOn: '2021-02-01' }));
    expect(await current(MEMBER)).toMatchObject({ class: 'C', explanation: { rule: { name: 'publicly-condemned' }, facts: { 'selfDiscipline.condemnations': 1 } } });
    // Usable through 2026-02-01 (five years from the conduct's end); publicity would run to 2027-01-04.
    expect(await dueOn(MEMBER)).toBe('2026-02-02');
    await tickOn('2026-02-02');
    expect(await current(MEMBER)).toMatchObject({ class: 'B', explanation: { facts: { 'selfDiscipline.condemnations': 0, 'measures.general': 0 } } });
    expect((await told(MEMBER)).at(-1)).toMatch(/^C→B /);
  });

  it('follows a sanction decided for a later day on the day it comes into force, with no event that day', async () => {
    await publish(aGradeTaxpayer(MEMBER));
    await publish(sanction(MEMBER, 'circulated-criticism', { decidedOn: '2026-02-01' }));
    // Not shown yet: still A, and the day it is shown is the day to look again.
    expect(await current(MEMBER)).toMatchObject({ class: 'A', explanation: { facts: { 'selfDiscipline.criticisms': 0 } } });
    expect(await dueOn(MEMBER)).toBe('2026-02-01');
    expect((await tickOn('2026-01-31')).reclassified).toBe(0);
    expect((await tickOn('2026-02-01')).reclassified).toBe(1);
    expect(await current(MEMBER)).toMatchObject({ class: 'B', causeKey: 'time/2026-02-01', explanation: { facts: { 'selfDiscipline.criticisms': 1 } } });
    // Shown 2026-02-01 through 2026-07-31: then A again.
    expect(await dueOn(MEMBER)).toBe('2026-08-01');
  });

  it('never counts a sanction the engine refused', async () => {
    await publish(sanction(MEMBER, 'public-condemnation'));
    expect(await current(MEMBER)).toMatchObject({ class: 'C' });
    await db.query(`UPDATE inbound_event SET outcome = '{"status":"refused","code":"CONDUCT_PAST_LIMIT"}' WHERE type = 'credit.association.sanction.v1' AND subject_id = $1`, [MEMBER]);
    await db.query(`UPDATE measure_task SET state = 'revoked', end_reason = 'removed' WHERE target_id = $1`, [MEMBER]);
    await db.query(`UPDATE credit_class SET recompute_due_on = '2026-01-06' WHERE subject_id = $1`, [MEMBER]);
    await tickOn('2026-01-06');
    expect(await current(MEMBER)).toMatchObject({ class: 'B', explanation: { facts: { 'selfDiscipline.condemnations': 0 } } });
  });

  it('recomputes, in batches, every subject classified under an earlier revision of the model, and tells what changed', async () => {
    await publish(aGradeTaxpayer(MEMBER), aGradeTaxpayer(OTHER_MEMBER));
    const revision = (await current(MEMBER))!.modelRevision;
    // As after the model file was edited and its version raised: rows of an earlier version, one of which the new model classes differently.
    await db.query(`UPDATE credit_class SET model_version = '1.0.9', model_revision = 'sha256:0000000000000000', recompute_due_on = NULL`);
    await db.query(`UPDATE credit_class SET class = 'B' WHERE subject_id = $1`, [OTHER_MEMBER]);
    const summary = await tickOn('2026-01-08'); // a day no other test sweeps on
    expect(summary.reclassified).toBe(2);
    for (const id of [MEMBER, OTHER_MEMBER]) expect(await current(id)).toMatchObject({ class: 'A', modelRevision: revision });
    expect(await current(OTHER_MEMBER)).toMatchObject({ causeKey: `model-revision/market-credit-class/${revision}` });
    expect((await told(OTHER_MEMBER)).at(-1)).toBe(`B→A model-revision/market-credit-class/${revision}`);
    // The unchanged one is stored under the new revision and told nothing new.
    expect(await told(MEMBER)).toHaveLength(1);
    expect((await tickOn('2026-01-08')).reclassified).toBe(0);
  });

  it('leaves alone the rows a newer model (a higher version, another engine mid-deploy) wrote, and those of its own version: the newer model wins, and no two engines rewrite each other', async () => {
    await publish(aGradeTaxpayer(MEMBER), aGradeTaxpayer(OTHER_MEMBER));
    const mine = (await current(MEMBER))!;
    // 1.10.0 is newer than 1.1.0 (by number, not text); the other row is this version under another revision.
    await db.query(`UPDATE credit_class SET model_version = '1.10.0', model_revision = 'sha256:1111111111111111', class = 'B', recompute_due_on = NULL WHERE subject_id = $1`, [MEMBER]);
    await db.query(`UPDATE credit_class SET model_revision = 'sha256:2222222222222222', class = 'B', recompute_due_on = NULL WHERE subject_id = $1`, [OTHER_MEMBER]);
    expect((await tickOn('2026-01-09')).reclassified).toBe(0); // a day no other test sweeps on
    expect(await current(MEMBER)).toMatchObject({ class: 'B', modelVersion: '1.10.0', modelRevision: 'sha256:1111111111111111' });
    expect(await current(OTHER_MEMBER)).toMatchObject({ class: 'B', modelVersion: mine.modelVersion, modelRevision: 'sha256:2222222222222222' });
  });
});
