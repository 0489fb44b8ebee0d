import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { chinaDate, computeUsccCheckCharacter, CreditEvent, Department, parseCreditEvent } from '@app/domain';
import { BulletinIssuedRecord } from '@app/decision-log';
import { CalendarService, CatalogueService, KafkaEventBatchService } from '@app/engine';
import { BulletinRepository, DecisionRepository, PerformanceRepository } from '@app/persistence';
import { BulletinService, PerformanceService } from '@app/query';
import { ownTestDatabaseUrl, openTestDatabase, truncateAll } from '../support/database';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// Situation bulletins (情况通报, issue 16) on real PostgreSQL: what the departments did in a month,
// issued once by the credit office after the month is over, told to every government department.
// The events are stored now (the database stamps receipt); the service's clock stands in the next
// month, so "this month" is the period that has ended.

const uscc = (first17: string) => first17 + computeUsccCheckCharacter(first17);
const DEBTOR = uscc(`91510802MA${Date.now().toString(36).toUpperCase().replace(/[^0-9A-HJ-NP-RTUWXY]/g, '0').slice(-7).padStart(7, '0')}`);
const today = chinaDate(new Date());
const [year, month] = today.split('-').map(Number);
const PERIOD = `${year}-${String(month).padStart(2, '0')}`;
const NEXT_MONTH = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
let sequence = 0;

function event(source: string, type: string, data: Record<string, unknown>): CreditEvent {
  return parseCreditEvent({
    specversion: '1.0',
    id: `bulletin-${Date.now()}-${++sequence}`,
    source: `/departments/${source}`,
    type,
    subject: DEBTOR,
    time: `${today}T01:00:00Z`,
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: DEBTOR, name: '广元市利州区嘉禾商贸有限公司' }, decidedOn: today, ...data },
  });
}

describe('situation bulletins (real PostgreSQL)', () => {
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let close: () => Promise<void>;
  let bulletins: BulletinService;
  let catalogue: CatalogueService;
  const office = () => catalogue.departments.all().find((d) => d.assessesDepartments)!;
  const court = () => catalogue.departments.get('court');

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('bulletins');
    const fresh = await openTestDatabase(url);
    await truncateAll(fresh);
    await fresh.destroy();
    let get: <T>(type: new (...args: never[]) => T) => T;
    ({ db, clock, batches, close, get } = await startEngineHarness(`${NEXT_MONTH}-05T02:00:00Z`, { DATABASE_URL: url }));
    catalogue = get(CatalogueService);
    const config = loadAppConfig({});
    const performance = new PerformanceService(new PerformanceRepository(db), catalogue, get(CalendarService), config, clock);
    bulletins = new BulletinService(performance, new BulletinRepository(db), get(DecisionRepository), catalogue, config, clock);

    // The court lists a debtor, approves a repair of it, and has an objection filed and resolved; the tax bureau publishes nothing.
    const listing = event('court', 'credit.judgment-debtor.listed.v1', { documentNumber: `（${year}）川0802执${sequence}号`, reason: 'evading-execution' });
    await batches.processBatch([listing], []);
    const [{ decisionId }] = await db.query(`SELECT decision_id::text AS "decisionId" FROM list_entry WHERE subject_id = $1`, [DEBTOR]);
    await batches.processBatch([event('court', 'credit.objection.filed.v1', { objectionId: 'OBJ-1', listCode: 'judgment-debtor', reason: '已履行', documentNumber: '利法异〔2026〕1号' })], []);
    await batches.processBatch([event('court', 'credit.objection.resolved.v1', { objectionId: 'OBJ-1', listCode: 'judgment-debtor', outcome: 'confirmed', documentNumber: '利法异〔2026〕2号' })], []);
    await batches.processBatch([event('court', 'credit.repair.approved.v1', { documentNumber: '利法修〔2026〕1号', decisionId })], []);
  });

  afterAll(() => close?.());

  it('refuses a period not yet over, a department that is not the credit office, and a period written otherwise', async () => {
    const code = (promise: Promise<unknown>) => promise.then(() => 'issued', (error: { code: string }) => error.code);
    expect(await code(bulletins.issue(office(), { period: NEXT_MONTH }))).toBe('BULLETIN.PERIOD_NOT_OVER');
    expect(await code(bulletins.issue(court(), { period: PERIOD }))).toBe('BULLETIN.CREDIT_OFFICE_ONLY');
    for (const period of ['2026-13', '2026/11', 'Q4-2026', 11, undefined]) expect(await code(bulletins.issue(office(), { period }))).toBe('BULLETIN.INVALID_REQUEST');
    expect(await code(bulletins.issue(office(), null))).toBe('BULLETIN.INVALID_REQUEST');
  });

  it("issues the month's bulletin once: ranking, repairs and objections with their outcomes, the blacklisting; every government department told its own line", async () => {
    const issued = await bulletins.issue(office(), { period: PERIOD });
    expect(issued).toMatchObject({ number: `利信通〔${NEXT_MONTH.slice(0, 4)}〕1号`, period: { kind: 'month', label: PERIOD }, issuedBy: office().code });

    const { content } = await bulletins.get(issued.number);
    const courtLine = content.lines.find((l) => l.department.code === 'court')!;
    expect(courtLine).toMatchObject({ events: 4, rank: expect.any(Number), score: expect.any(Number) });
    expect(content.lines.find((l) => l.department.code === 'tax')).toMatchObject({ events: 0 });
    // Only government departments are assessed: no association, no peer deployment.
    expect(content.lines.map((l) => l.department.code)).not.toContain('construction-association');
    const ranks = content.lines.map((l) => l.rank).filter((r): r is number => r !== null);
    expect(ranks).toEqual(ranks.map((_, i) => i + 1));
    expect(content.lifecycle).toEqual([{ department: 'court', repairs: { applied: 1, refused: 0, noEffect: 0 }, removals: { applied: 0, refused: 0, noEffect: 0 }, objections: { filed: 1, confirmed: 1, revoked: 0 } }]);
    expect(content.majorListings).toEqual([{ memorandum: 'judgment-debtors', listCode: 'judgment-debtor', identifyingDepartment: 'court', entries: 1, subjects: 1 }]);

    const records: { department: string; payload: BulletinIssuedRecord }[] = await db.query(`SELECT department, payload FROM feed_record WHERE kind = 'bulletin.issued' ORDER BY department`);
    const government = catalogue.departments.all().filter((d: Department) => (d.kind ?? 'department') === 'department').map((d) => d.code).sort();
    expect(records.map((r) => r.department)).toEqual(government);
    const courtRecord = records.find((r) => r.department === 'court')!.payload;
    expect(courtRecord).toMatchObject({ kind: 'bulletin.issued', number: issued.number, own: { rank: courtLine.rank, events: 4 }, links: { pdf: `/v1/bulletins/${encodeURIComponent(issued.number)}.pdf` } });

    await expect(bulletins.issue(office(), { period: PERIOD })).rejects.toMatchObject({ code: 'BULLETIN.ALREADY_ISSUED', context: { number: issued.number } });
    expect((await bulletins.list()).map((b) => b.number)).toEqual([issued.number]);
  });

  it('renders the issued bulletin as a PDF whose text is Chinese and complete, an HTML page and a CSV of its tables', async () => {
    const [{ number }] = await bulletins.list();
    const pdf = await bulletins.document(number, 'pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(mkdtempSync(join(tmpdir(), 'bulletin-')), 'bulletin.pdf');
    writeFileSync(file, pdf.body);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const expected of ['社会信用体系建设情况通报', number, '一、总体情况', '二、各部门信息报送及措施反馈情况排名', '三、信用修复与异议处理情况', '四、重大失信事件', '区人民法院', '排名说明']) expect(text).toContain(expected);

    const html = (await bulletins.document(number, 'html')).body.toString('utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('第 1 名');

    const csv = (await bulletins.document(number, 'csv')).body.toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0].split(',').slice(0, 4)).toEqual(['table', 'number', 'period', 'department']);
    expect(csv.filter((row) => row.startsWith('major-listings,'))).toEqual([expect.stringContaining('judgment-debtors,judgment-debtor,1,1')]);
    expect(csv.some((row) => row.startsWith(`ranking,${number},${PERIOD},court,`))).toBe(true);
    await expect(bulletins.document('利信通〔1999〕9号', 'pdf')).rejects.toMatchObject({ code: 'BULLETIN.NOT_FOUND' });
  });
});
