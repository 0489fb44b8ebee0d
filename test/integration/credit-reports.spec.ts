import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { computeResidentIdentityCheckCharacter, computeUsccCheckCharacter, CreditEvent, Department, parseCreditEvent } from '@app/domain';
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

// Credit reports on real PostgreSQL with the engine deciding the events and a moved clock (subjects
// generated per run, as the e2e's: nothing shared is read or deleted): the
// report reads the records in force on its day from one snapshot, a penalty leaves the report when
// its publicity ends while the report issued before stays as it was, and no report exists without
// its audit row.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// Each run (and each test that needs a fresh record) has its own subjects: no rows of other runs or specs are read or removed.
const newEnterpriseId = () => {
  const first17 = `91510802MA${Array.from({ length: 7 }, () => USCC_ALPHABET[Math.floor(Math.random() * USCC_ALPHABET.length)]).join('')}`;
  return first17 + computeUsccCheckCharacter(first17);
};
const ENTERPRISE = newEnterpriseId();
const departmentOf = (code: string) => ({ code, name: { zh: code, en: code }, publishes: { eventTypes: [], lists: [] }, credentials: { tokens: [] } }) as unknown as Department;
const FINANCE = departmentOf('finance');
const personFirst17 = `510802${1970 + Math.floor(Math.random() * 30)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
const PERSON = personFirst17 + computeResidentIdentityCheckCharacter(personFirst17);
let sequence = 0;

const ENTERPRISE_SUBJECT = { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区云帆信息技术有限公司' };
const PERSON_SUBJECT = { kind: 'individual', idType: 'RESIDENT_ID', id: PERSON, name: '李明' };

function event(source: string, type: string, data: Record<string, unknown>, subject: { id: string } = ENTERPRISE_SUBJECT): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `reports-${Date.now()}-${++sequence}`,
    source: `/departments/${source}`,
    type: `credit.${type}.v1`,
    subject: subject.id,
    time: '2026-03-01T00:00:00Z',
    data: { subject, documentNumber: `DOC-${Date.now()}-${sequence}`, ...data },
  });
}

describe('credit reports (real PostgreSQL, moved clock)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let reports: CreditReportService;
  let repository: CreditReportRepository;
  let close: () => Promise<void>;
  let get: <T>(type: new (...args: never[]) => T) => T;

  beforeAll(async () => {
    ({ db, clock, batches, close, get } = await startEngineHarness('2026-03-02T02:00:00Z'));
    // The moved clock puts every run's reports at the same instants: the department issue limit is tested apart, at an instant of its own.
    const config = loadAppConfig({ REPORT_ISSUES_PER_MINUTE: '10000' });
    repository = new CreditReportRepository(db);
    reports = new CreditReportService(
      get(CatalogueService), get(CreditClassCatalogue), repository, new SubjectRecordRepository(db), new CommitmentRepository(db), new CreditClassRepository(db),
      new LifecycleRepository(), new QueryAuditService(new QueryAuditRepository(db), config, clock), config, clock,
    );
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

  it("shows a natural person only what the calling department holds: its own measures and the entries behind them, its commitments and class models, no one else's", async () => {
    // The court lists the person: finance implements JD-01 and JD-06 on them, environment nothing.
    await batches.processBatch([event('court', 'judgment-debtor.listed', { reason: 'refused-to-perform', decidedOn: '2026-03-01' }, PERSON_SUBJECT)], []);
    await db.query(
      `INSERT INTO credit_commitment (id, department, reference, content_hash, subject_kind, subject_id_type, subject_id, subject_name, approval_item_code, approval_item_name, promise, due_on,
         approval_reference, approval_granted_on, state, recorded_at)
       VALUES (gen_random_uuid(), 'market-regulation', $1, 'x', 'individual', 'RESIDENT_ID', $2, '李明', 'x', 'x', 'x', '2026-06-01', $1, '2026-03-01', 'open', now())`,
      [`承诺-${PERSON}`, PERSON],
    );
    const asFinance = (await repository.find((await reports.issue(FINANCE, { subject: PERSON, use: 'government-procurement', purpose: '采购审查' }, 'clerk-p')).number))!.model as CreditReport;
    expect(asFinance.measures.length).toBeGreaterThan(0);
    for (const m of asFinance.measures) expect(m.implementingDepartment.code).toBe('finance');
    expect(asFinance.listMemberships.map((e) => e.list.code)).toEqual(['judgment-debtor']);
    expect(asFinance.commitments.items).toEqual([]);
    expect(asFinance.selfDiscipline.sanctions).toEqual([]);
    for (const c of asFinance.creditClasses) expect(c.model.owner).toBe('finance');

    // A department with no measure of its own on the person: the answer for an unknown person, no name.
    const asEnvironment = (await repository.find((await reports.issue(departmentOf('environment'), { subject: PERSON, use: 'fiscal-funds', purpose: '补贴审查' }, 'clerk-e')).number))!.model as CreditReport;
    expect(asEnvironment).toMatchObject({ listMemberships: [], measures: [], penalties: [], commitments: { items: [] }, objectionsAndRepairs: [] });
    expect(asEnvironment.subject.name).toBeNull();
    // The commitment's own department sees it.
    const asMarket = (await repository.find((await reports.issue(departmentOf('market-regulation'), { subject: PERSON, use: 'administrative-licensing', purpose: '许可审查' }, 'clerk-m')).number))!.model as CreditReport;
    expect(asMarket.commitments.items.map((c) => c.department.code)).toEqual(['market-regulation']);
    for (const c of asMarket.creditClasses) expect(c.model.owner).toBe('market-regulation');
  });

  it("counts a person's report with the user's credit checks towards one burst limit", async () => {
    const userId = `burst-${PERSON}`;
    const limit = loadAppConfig({}).CHECK_DISTINCT_PERSONS_PER_MINUTE;
    const at = new Date(clock.now().getTime() - 1000);
    for (let i = 0; i < limit; i++) {
      await db.query(
        `INSERT INTO query_audit (at, department, user_id, purpose, approval_item, subject_id, subject_id_type, subjects, endpoint, result_count)
         VALUES ($1, 'finance', $2, 'p', 'x', $3, 'RESIDENT_ID', ARRAY[$3], 'GET /v1/subjects/:id/check', 0)`,
        [at, userId, `check-${i}-${PERSON}`],
      );
    }
    await expect(reports.issue(FINANCE, { subject: PERSON, use: 'government-procurement', purpose: '采购审查' }, userId)).rejects.toMatchObject({ code: 'REPORT.BURST_REFUSED', context: { limit } });
  });

  it("serves a natural person's stored report only to a named clerk, audited under the report's purpose", async () => {
    const issued = await reports.issue(FINANCE, { subject: PERSON, use: 'tendering', purpose: `投标人资格审查 ${PERSON.slice(-4)}` }, 'clerk-q');
    await expect(reports.document(FINANCE, issued.number, 'pdf', undefined)).rejects.toMatchObject({ code: 'REPORT.USER_ID_REQUIRED' });
    await expect(reports.document(FINANCE, issued.number, 'html', '  ')).rejects.toMatchObject({ code: 'REPORT.USER_ID_REQUIRED' });
    expect(await db.query(`SELECT 1 FROM query_audit WHERE endpoint LIKE 'GET /v1/reports/%' AND subject_id = $1`, [PERSON])).toEqual([]);
    const read = await reports.document(FINANCE, issued.number, 'html', 'clerk-r');
    expect(read.body.length).toBeGreaterThan(0);
    const rows = await db.query(`SELECT user_id AS "userId", purpose, approval_item AS "approvalItem" FROM query_audit WHERE endpoint = 'GET /v1/reports/:number.html' AND subject_id = $1`, [PERSON]);
    expect(rows).toEqual([{ userId: 'clerk-r', purpose: `投标人资格审查 ${PERSON.slice(-4)}`, approvalItem: 'tendering' }]);
  });

  it('shows an objection only beside the record it concerns: none about a list the subject is not shown on', async () => {
    clock.set('2026-03-02T02:00:00Z');
    const other = { ...ENTERPRISE_SUBJECT, id: newEnterpriseId() };
    await batches.processBatch([event('tax', 'rating.assigned', { scheme: 'tax-credit', grade: 'A', ratingYear: 2025, decidedOn: '2026-03-01', validTo: '2027-02-28' }, other)], []);
    const redList = ((await repository.find((await reports.issue(FINANCE, { subject: other.id, use: 'tendering', purpose: '招标' }, 'clerk-1')).number))!.model as CreditReport).commendations[0].list.code;
    await batches.processBatch(
      [
        event('court', 'objection.filed', { objectionId: `OBJ-JD-${other.id}`, listCode: 'judgment-debtor', reason: '从未被列入', decidedOn: '2026-03-01' }, other),
        event('tax', 'objection.filed', { objectionId: `OBJ-RED-${other.id}`, listCode: redList, reason: '评级有误', decidedOn: '2026-03-01' }, other),
      ],
      [],
    );
    const model = (await repository.find((await reports.issue(FINANCE, { subject: other.id, use: 'tendering', purpose: '招标复核' }, 'clerk-1')).number))!.model as CreditReport;
    expect(model.objectionsAndRepairs.map((o) => [o.kind, o.target.listCode, o.objectionId])).toEqual([['objection-filed', redList, `OBJ-RED-${other.id}`]]);
  });

  it("names the subject's kind by the latest record that has one, though a later measure task carries none", async () => {
    clock.set('2026-03-02T02:00:00Z');
    const subject = { ...ENTERPRISE_SUBJECT, id: newEnterpriseId() };
    await batches.processBatch([event('tax', 'rating.assigned', { scheme: 'tax-credit', grade: 'A', ratingYear: 2025, decidedOn: '2026-03-01', validTo: '2027-02-28' }, subject)], []);
    // A later decision whose measure tasks stand alone (no list entry): their rows name no kind.
    clock.set('2026-03-02T03:00:00Z');
    await batches.processBatch([event('environment', 'penalty.imposed', { severity: 'general', penaltyType: 'fine', reason: 'pollution-over-standard', decidedOn: '2026-03-02' }, subject)], []);
    const key = { idType: 'USCC', id: subject.id };
    const identity = await new SubjectRecordRepository(db).identityOf(db.manager, key, { of: 'platform' });
    expect(identity).toEqual({ name: subject.name, kind: 'enterprise' });
    const report = (await repository.find((await reports.issue(FINANCE, { subject: subject.id, use: 'tendering', purpose: '招标' }, 'clerk-1')).number))!.model as CreditReport;
    expect(report.subject.kind).toBe('enterprise');
  });

  it('refuses a department over REPORT_ISSUES_PER_MINUTE reports a minute, whatever the subject, reading and storing nothing', async () => {
    // An instant of its own, so no other run's reports fall in this minute.
    clock.set(new Date(Date.UTC(2026, 5, 1) + Math.floor(Math.random() * 1_000_000) * 60_000).toISOString());
    const config = loadAppConfig({ REPORT_ISSUES_PER_MINUTE: '2' });
    const limited = new CreditReportService(
      get(CatalogueService), get(CreditClassCatalogue), repository, new SubjectRecordRepository(db), new CommitmentRepository(db), new CreditClassRepository(db),
      new LifecycleRepository(), new QueryAuditService(new QueryAuditRepository(db), config, clock), config, clock,
    );
    const commerce = departmentOf('commerce');
    const ask = (subject: string) => limited.issue(commerce, { subject, use: 'tendering', purpose: '招标' }, 'clerk-c');
    await ask(newEnterpriseId());
    await ask(newEnterpriseId());
    const third = newEnterpriseId();
    await expect(ask(third)).rejects.toMatchObject({ code: 'REPORT.ISSUE_LIMITED', context: { limit: 2, retryAfterSeconds: 60 } });
    expect(await db.query(`SELECT 1 FROM credit_report WHERE subject_id = $1`, [third])).toEqual([]);
    // Another department is not held back by it.
    expect((await limited.issue(FINANCE, { subject: third, use: 'tendering', purpose: '招标' }, 'clerk-c')).number).toMatch(/^XYBG-/);
  });
});
