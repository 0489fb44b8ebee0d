import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { CreditEvent, Department, parseCreditEvent } from '@app/domain';
import { CatalogueService, CreditClassCatalogue, KafkaEventBatchService } from '@app/engine';
import {
  CommitmentRepository,
  CreditClassRepository,
  CreditReportRepository,
  LifecycleRepository,
  QueryAuditRepository,
  SubjectRecordRepository,
} from '@app/persistence';
import { CreditReport, CreditReportService, QueryAuditService } from '@app/query';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// Credit reports on real PostgreSQL with the engine deciding the events and a moved clock: the
// report reads the records in force on its day from one snapshot, a penalty leaves the report when
// its publicity ends while the report issued before stays as it was, and no report exists without
// its audit row.
const ENTERPRISE = '91510802MA6RPT8K07';
const FINANCE = { code: 'finance', name: { zh: '区财政局', en: 'Finance' }, publishes: { eventTypes: [], lists: [] }, credentials: { tokens: [] } } as unknown as Department;
let sequence = 0;

function event(source: string, type: string, data: Record<string, unknown>): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `reports-${Date.now()}-${++sequence}`,
    source: `/departments/${source}`,
    type: `credit.${type}.v1`,
    subject: ENTERPRISE,
    time: '2026-03-01T00:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区云帆信息技术有限公司' }, documentNumber: `DOC-${Date.now()}-${sequence}`, ...data },
  });
}

describe('credit reports (real PostgreSQL, moved clock)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let reports: CreditReportService;
  let repository: CreditReportRepository;
  let close: () => Promise<void>;

  beforeAll(async () => {
    let get: <T>(type: new (...args: never[]) => T) => T;
    ({ db, clock, batches, close, get } = await startEngineHarness('2026-03-02T02:00:00Z'));
    const config = loadAppConfig({});
    repository = new CreditReportRepository(db);
    reports = new CreditReportService(
      get(CatalogueService), get(CreditClassCatalogue), repository, new SubjectRecordRepository(db), new CommitmentRepository(db), new CreditClassRepository(db),
      new LifecycleRepository(), new QueryAuditService(new QueryAuditRepository(db), config, clock), config, clock,
    );
    // This spec's subject only: what earlier runs decided about it is removed, so the report shows this run's records.
    for (const table of ['measure_task', 'list_entry']) await db.query(`DELETE FROM ${table} WHERE ${table === 'measure_task' ? 'target_id' : 'subject_id'} = $1`, [ENTERPRISE]);
    await db.query(`DELETE FROM credit_class WHERE subject_id = $1`, [ENTERPRISE]);
  });

  afterAll(async () => {
    await close?.();
  });

  const stored = (number: string) => repository.find(number);
  const auditRows = async () => Number((await db.query(`SELECT count(*) FROM query_audit WHERE endpoint = 'POST /v1/reports' AND subject_id = $1`, [ENTERPRISE]))[0].count);

  it('shows the records in force on its day; a penalty past its publicity leaves later reports, the earlier report stays as issued', async () => {
    await batches.processBatch(
      [
        event('tax', 'rating.assigned', { scheme: 'tax-credit', grade: 'A', ratingYear: 2025, decidedOn: '2026-03-01', validTo: '2027-02-28' }),
        event('environment', 'penalty.imposed', { severity: 'general', penaltyType: 'fine', reason: 'pollution-over-standard', decidedOn: '2026-03-01' }),
      ],
      [],
    );
    const first = await reports.issue(FINANCE, { subject: ENTERPRISE, use: 'major-project', purpose: '重大项目入库审查' }, 'clerk-1');
    const firstRow = (await stored(first.number))!;
    const model = firstRow.model as CreditReport;
    expect(model.asOf).toBe('2026-03-02');
    expect(model.commendations.map((c) => c.list.type)).toEqual(['red']);
    expect(model.penalties).toHaveLength(1);
    expect(model.penalties[0]).toMatchObject({ department: { code: 'environment' }, severity: 'general', decidedOn: '2026-03-01' });
    expect(model.penalties[0].legalBasis.length).toBeGreaterThan(0);
    // Every class model that classifies enterprises answers, with its explanation.
    expect(model.creditClasses.length).toBeGreaterThan(0);
    for (const c of model.creditClasses) expect(c.explanation.zh).toMatch(/类/);

    const publicUntil = model.penalties[0].publicUntil;
    const dayAfter = new Date(`${publicUntil}T02:00:00Z`);
    dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
    clock.set(dayAfter.toISOString());
    const later = await reports.issue(FINANCE, { subject: ENTERPRISE, use: 'major-project', purpose: '重大项目入库复核' }, 'clerk-1');
    const laterModel = (await stored(later.number))!.model as CreditReport;
    expect(laterModel.penalties).toEqual([]);
    expect(later.number).not.toBe(first.number);

    // The first report is still the one issued: its bytes, their hashes, its content hash.
    const again = (await stored(first.number))!;
    expect(again.pdf.equals(firstRow.pdf)).toBe(true);
    expect(again.html.equals(firstRow.html)).toBe(true);
    expect((await reports.verify(first.number, first.verificationCode)).contentSha256).toBe(first.contentSha256);
  });

  it('writes the report and its audit row in one transaction: a report that cannot be stored leaves no audit row', async () => {
    const before = await auditRows();
    const issued = await reports.issue(FINANCE, { subject: ENTERPRISE, use: 'tendering', purpose: '招标资格审查' }, undefined);
    expect(await auditRows()).toBe(before + 1);
    const row = (await stored(issued.number))!;
    const { auditId: _, issuedAt, ...input } = row;
    // The same number again violates the primary key: the audit insert before it is rolled back with it.
    await expect(
      repository.issue({ ...input, issuedAt: new Date(issuedAt) }, { at: new Date(), department: 'finance', userId: null, purpose: 'x', approvalItem: null, subjectId: ENTERPRISE, subjectIdType: 'USCC', subjects: [ENTERPRISE], endpoint: 'POST /v1/reports', resultCount: 0 }),
    ).rejects.toThrow(/credit_report_pkey|duplicate key/);
    expect(await auditRows()).toBe(before + 1);
  });
});
