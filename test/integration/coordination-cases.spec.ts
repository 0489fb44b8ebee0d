import { DataSource } from 'typeorm';
import { computeUsccCheckCharacter, CreditEvent, parseCreditEvent } from '@app/domain';
import { CoordinationOpenedRecord } from '@app/decision-log';
import { KafkaEventBatchService } from '@app/engine';
import { ownTestDatabaseUrl, openTestDatabase, truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// Major dishonesty events open coordination cases (召开工作协调会, issue 16) in the transaction that
// decides them, under the shipped criteria (config/coordination.json), on real PostgreSQL: a serious
// pollution fine of 1.2 million yuan, a debtor blacklisted a second time within the year; an
// ordinary fine and a repeat of an event open nothing.

const uscc = (first17: string) => first17 + computeUsccCheckCharacter(first17);
const stamp = Date.now().toString().slice(-6);
const POLLUTER = uscc(`91510802MA6${stamp}`);
const DEBTOR = uscc(`91510802MB6${stamp}`);
const SMALL = uscc(`91510802MC6${stamp}`);
let sequence = 0;

function event(source: string, type: string, subject: string, data: Record<string, unknown>): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `coordination-${Date.now()}-${++sequence}`,
    source: `/departments/${source}`,
    type,
    subject,
    time: '2026-11-20T08:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: '广元市利州区嘉禾化工有限公司' }, decidedOn: '2026-11-20', ...data },
  });
}
const fine = (subject: string, severity: string, amount: number) =>
  event('environment', 'credit.penalty.imposed.v1', subject, { severity, penaltyType: 'fine', reason: 'pollution-over-standard', fineAmountYuan: amount, documentNumber: `广环罚〔2026〕${++sequence}号` });
const listing = (documentNumber: string) => event('court', 'credit.judgment-debtor.listed.v1', DEBTOR, { documentNumber, reason: 'evading-execution' });

describe('coordination cases on major dishonesty (real PostgreSQL)', () => {
  let db: DataSource;
  let batches: KafkaEventBatchService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('coordination');
    const fresh = await openTestDatabase(url);
    await truncateAll(fresh);
    await fresh.destroy();
    ({ db, batches, close } = await startEngineHarness('2026-11-20T02:00:00Z', { DATABASE_URL: url }));
  });
  afterAll(() => close?.());

  const cases = (subject: string) =>
    db.query(`SELECT id::text, criterion, cause_key AS "causeKey", departments, agenda, meeting_on::text AS "meetingOn", due_on::text AS "dueOn", facts FROM coordination_case WHERE subject_id = $1 ORDER BY opened_at`, [subject]) as Promise<
      { id: string; criterion: string; causeKey: string; departments: string[]; agenda: string[]; meetingOn: string; dueOn: string; facts: Record<string, unknown> }[]
    >;
  const records = (caseId: string) =>
    db.query(`SELECT department, payload FROM feed_record WHERE kind = 'coordination.opened' AND decision_id = $1::uuid ORDER BY department`, [caseId]) as Promise<{ department: string; payload: CoordinationOpenedRecord }[]>;

  it('opens a case for a serious fine of a million yuan or more, with the agenda, meeting and due date in working days, told to every department concerned', async () => {
    const penalty = fine(POLLUTER, 'serious', 1_200_000);
    await batches.processBatch([penalty], []);
    const [opened, ...more] = await cases(POLLUTER);
    expect(more).toEqual([]);
    expect(opened).toMatchObject({
      criterion: 'serious-large-fine',
      causeKey: `${penalty.source}/${penalty.id}`,
      agenda: ['通报案情及认定依据', '研究各部门联合惩戒措施的落实', '确定信息公示与舆情应对安排'],
      meetingOn: '2026-11-27', // five working days after Friday 20 November
      dueOn: '2026-12-11',
      facts: { severity: 'serious', fineAmountYuan: 1_200_000, sourceDepartment: 'environment' },
    });
    expect(opened.departments).toEqual(expect.arrayContaining(['environment', 'credit-office']));
    const told = await records(opened.id);
    expect(told.map((r) => r.department)).toEqual([...opened.departments].sort());
    expect(told[0].payload).toMatchObject({ kind: 'coordination.opened', caseId: opened.id, subjectId: POLLUTER, criterion: { id: 'serious-large-fine' }, links: { acknowledgement: `/v1/coordination/cases/${opened.id}/acknowledgement` } });

    // The same event again decides nothing new, and opens nothing new.
    await batches.processBatch([penalty], []);
    expect(await cases(POLLUTER)).toHaveLength(1);
  });

  it('opens a case when a debtor is blacklisted a second time within twelve months, not the first time', async () => {
    await batches.processBatch([listing(`（2026）川0802执${stamp}1号`)], []);
    expect(await cases(DEBTOR)).toEqual([]);
    const second = listing(`（2026）川0802执${stamp}2号`);
    await batches.processBatch([second], []);
    expect(await cases(DEBTOR)).toEqual([expect.objectContaining({ criterion: 'repeated-blacklisting', causeKey: `${second.source}/${second.id}`, facts: expect.objectContaining({ blacklistingsIn12Months: 2, listTypes: ['black'] }) })]);
  });

  it('opens nothing for an ordinary fine', async () => {
    await batches.processBatch([fine(SMALL, 'general', 30_000)], []);
    expect(await cases(SMALL)).toEqual([]);
  });
});
