import { DataSource } from 'typeorm';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { KafkaEventBatchService } from '@app/engine';
import { DepartmentFeedService } from '@app/query';
import { truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// The same conduct by two routes is decided once (issue 16: the district court's listing relayed
// up and the city's own copy of it arrive as two events with different ids, sharing the judgment's
// document number), on real PostgreSQL through the engine's batch path.

const DEBTOR = '91510802MA6B3N4TXM';
const JUDGMENT = '（2026）川0802执1234号';
let sequence = 0;

const RELAYED_FROM_DISTRICT = { deployment: 'lizhou', department: 'court', source: '/departments/court', eventId: 'district-court-event-1', route: 'lizhou' };

function listing(documentNumber = JUDGMENT, subjectId = DEBTOR, provenance?: typeof RELAYED_FROM_DISTRICT): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `conduct-${++sequence}`,
    source: provenance ? '/departments/lizhou-district' : '/departments/court',
    type: 'credit.judgment-debtor.listed.v1',
    subject: subjectId,
    time: '2026-11-20T08:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: subjectId, name: '广元市利州区嘉禾商贸有限公司' }, documentNumber, decidedOn: '2026-11-20', reason: 'evading-execution', ...(provenance ? { provenance } : {}) },
  });
}

describe('the same conduct by two routes is decided once (real PostgreSQL)', () => {
  let db: DataSource;
  let batches: KafkaEventBatchService;
  let feeds: DepartmentFeedService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const harness = await startEngineHarness('2026-11-20T02:00:00Z');
    ({ db, batches, feeds, close } = harness);
  });
  beforeEach(() => truncateAll(db));
  afterAll(() => close?.());

  const entriesOf = async (subjectId = DEBTOR) =>
    (await db.query(`SELECT id::text, decision_id::text AS "decisionId", document_number AS "documentNumber" FROM list_entry WHERE subject_id = $1 ORDER BY created_at`, [subjectId])) as { id: string; decisionId: string; documentNumber: string }[];
  const outcomeOf = async (e: CreditEvent) => ((await db.query(`SELECT outcome FROM inbound_event WHERE source = $1 AND event_id = $2`, [e.source, e.id])) as { outcome: Record<string, unknown> | null }[])[0]?.outcome;
  const noEffect = async () => ((await feeds.read('court', '0', 500)).records as unknown as Record<string, unknown>[]).filter((r) => r.kind === 'change.no-effect');
  const decisionsOf = async (e: CreditEvent) => Number((await db.query(`SELECT count(*) FROM decision WHERE cause_event_source = $1 AND cause_event_id = $2`, [e.source, e.id]))[0].count);

  it('a second event of the same judgment, in a later batch, lists nothing and says which decision holds it', async () => {
    const first = listing();
    await batches.processBatch([first], []);
    const [entry] = await entriesOf();
    const copy = listing();
    await batches.processBatch([copy], []);

    expect(await entriesOf()).toEqual([entry]);
    expect(await decisionsOf(copy)).toBe(0);
    expect(await outcomeOf(copy)).toMatchObject({ status: 'no-effect', code: 'EVENT.CONDUCT_ALREADY_DECIDED', entries: [entry.id] });
    expect(String((await outcomeOf(copy))?.reason)).toContain(`${first.source}/${first.id}`);
    expect(await noEffect()).toEqual([expect.objectContaining({ code: 'EVENT.CONDUCT_ALREADY_DECIDED', memorandum: 'judgment-debtors', list: 'judgment-debtor', entries: [entry.id], subjectId: DEBTOR })]);
    // The first event's own status is untouched.
    expect(await outcomeOf(first)).toBeNull();
  });

  it('within one batch the first to arrive is decided and the copy is not', async () => {
    const first = listing();
    const copy = listing();
    await batches.processBatch([first, copy], []);
    const entries = await entriesOf();
    expect(entries).toHaveLength(1);
    expect(await decisionsOf(first)).toBeGreaterThan(0);
    expect(await decisionsOf(copy)).toBe(0);
    expect(await outcomeOf(copy)).toMatchObject({ status: 'no-effect', code: 'EVENT.CONDUCT_ALREADY_DECIDED', entries: [entries[0].id] });
  });

  it('stays decided after the entry is repaired: a late copy does not list the subject again', async () => {
    await batches.processBatch([listing()], []);
    await db.query(`UPDATE list_entry SET state = 'repaired', end_reason = 'repaired', ended_at = now()`);
    const copy = listing();
    await batches.processBatch([copy], []);
    expect(await entriesOf()).toHaveLength(1);
    expect(await outcomeOf(copy)).toMatchObject({ code: 'EVENT.CONDUCT_ALREADY_DECIDED' });
  });

  it('another judgment about the same debtor, or the same judgment number about another subject, is new conduct', async () => {
    await batches.processBatch([listing()], []);
    const otherJudgment = listing('（2026）川0802执5678号');
    const otherSubject = listing(JUDGMENT, '91510802MA6T7E1QXE');
    await batches.processBatch([otherJudgment, otherSubject], []);
    expect((await entriesOf()).map((e) => e.documentNumber)).toEqual([JUDGMENT, '（2026）川0802执5678号']);
    expect(await entriesOf('91510802MA6T7E1QXE')).toHaveLength(1);
    expect(await outcomeOf(otherJudgment)).toBeNull();
    expect(await noEffect()).toEqual([]);
  });

  it('by two routes: the listing the district relays is decided as the court finding it is, and the court copy sent here is not decided again', async () => {
    const relayed = listing(JUDGMENT, DEBTOR, RELAYED_FROM_DISTRICT);
    await batches.processBatch([relayed], []);
    const [entry] = await entriesOf();
    expect(await decisionsOf(relayed)).toBeGreaterThan(0);
    // Decided under the judgment-debtors memorandum, whose rules name the court as the publishing department.
    expect((await db.query(`SELECT identifying_department AS d, explanation->'facts'->>'sourceDepartment' AS s FROM list_entry WHERE id = $1`, [entry.id]))[0]).toEqual({ d: 'court', s: 'court' });
    const own = listing();
    await batches.processBatch([own], []);
    expect(await entriesOf()).toEqual([entry]);
    expect(await outcomeOf(own)).toMatchObject({ status: 'no-effect', code: 'EVENT.CONDUCT_ALREADY_DECIDED', entries: [entry.id] });
    expect(String((await outcomeOf(own))?.reason)).toContain(`/departments/lizhou-district/${relayed.id}`);
  });

  it('two engines deciding the two copies at once decide the conduct once', async () => {
    await Promise.all([batches.processBatch([listing()], []), batches.processBatch([listing()], [])]);
    expect(await entriesOf()).toHaveLength(1);
    expect(await noEffect()).toHaveLength(1);
  });
});
