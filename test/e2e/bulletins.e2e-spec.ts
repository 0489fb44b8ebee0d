import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { AppProcess, freePort } from '../support/app-process';
import type { Problem } from '../support/problem';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// Situation bulletins over HTTP (README "Situation bulletins"): the credit office issues last
// month's, once; every refusal a 4xx with its code; any government department lists and reads it
// as JSON, PDF, HTML and CSV, and finds it on its feed with its own line; an association may not.

const today = chinaDate(new Date());
const [year, month] = today.split('-').map(Number);
const THIS_MONTH = `${year}-${String(month).padStart(2, '0')}`;
const LAST_MONTH = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;

describe('situation bulletins over HTTP (the query API as a process)', () => {
  let db: DataSource;
  let query: AppProcess;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('bulletins_e2e');
    db = await openTestDatabase(url);
    await truncateAll(db);
    query = await AppProcess.start('query-api', { ...(await appRoleEnv(url)), TRANSPORT: 'postgres' }, await freePort());
  });

  afterAll(async () => {
    await query?.stop();
    await db?.destroy();
  });

  const call = (method: 'GET' | 'POST', path: string, department: string, body?: unknown) =>
    fetch(`${query.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer dev-${department}-token`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const refused = async (response: Response, status: number, code: string): Promise<Problem> => {
    const problem = (await response.json()) as Problem;
    expect({ status: response.status, code: problem.code }).toEqual({ status, code });
    return problem;
  };

  it('issues last month once for the credit office, and says why it will not otherwise', async () => {
    await refused(await call('POST', '/v1/bulletins', 'court', { period: LAST_MONTH }), 403, 'BULLETIN.CREDIT_OFFICE_ONLY');
    await refused(await call('POST', '/v1/bulletins', 'credit-office', { period: THIS_MONTH }), 422, 'BULLETIN.PERIOD_NOT_OVER');
    await refused(await call('POST', '/v1/bulletins', 'credit-office', { period: '2026/11' }), 400, 'BULLETIN.INVALID_REQUEST');
    await refused(await call('POST', '/v1/bulletins', 'construction-association', { period: LAST_MONTH }), 403, 'DEPARTMENT.GOVERNMENT_ONLY');

    const created = await call('POST', '/v1/bulletins', 'credit-office', { period: LAST_MONTH });
    expect(created.status).toBe(201);
    const bulletin = (await created.json()) as { number: string; period: { label: string }; links: { pdf: string; csv: string; html: string } };
    expect(bulletin).toMatchObject({ number: `利信通〔${year}〕1号`, period: { label: LAST_MONTH }, issuedBy: 'credit-office' });
    const again = await refused(await call('POST', '/v1/bulletins', 'credit-office', { period: LAST_MONTH }), 409, 'BULLETIN.ALREADY_ISSUED');
    expect(again.context).toMatchObject({ number: bulletin.number });

    // Any government department reads it, in every form.
    const list = (await (await call('GET', '/v1/bulletins', 'tax')).json()) as { bulletins: { number: string }[] };
    expect(list.bulletins.map((b) => b.number)).toEqual([bulletin.number]);
    const pdf = await call('GET', bulletin.links.pdf, 'tax');
    expect({ status: pdf.status, type: pdf.headers.get('content-type') }).toEqual({ status: 200, type: 'application/pdf' });
    const file = join(mkdtempSync(join(tmpdir(), 'bulletin-e2e-')), 'bulletin.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    expect(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('社会信用体系建设情况通报');
    const csv = await call('GET', bulletin.links.csv, 'tax');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^table,number,period,department,/);
    expect((await call('GET', bulletin.links.html, 'tax')).headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const json = (await (await call('GET', `/v1/bulletins/${encodeURIComponent(bulletin.number)}`, 'tax')).json()) as { content: { lines: { department: { code: string } }[] } };
    expect(json.content.lines.map((l) => l.department.code)).toContain('tax');
    await refused(await call('GET', `/v1/bulletins/${encodeURIComponent('利信通〔1999〕9号')}.pdf`, 'tax'), 404, 'BULLETIN.NOT_FOUND');
    await refused(await call('GET', '/v1/bulletins', 'construction-association'), 403, 'DEPARTMENT.GOVERNMENT_ONLY');

    // The tax bureau finds it on its feed, with its own line; an association is not told.
    const feed = (await (await call('GET', '/v1/feed', 'tax')).json()) as { records: { kind: string; number?: string; own?: unknown }[] };
    expect(feed.records.filter((r) => r.kind === 'bulletin.issued')).toEqual([expect.objectContaining({ number: bulletin.number, own: expect.objectContaining({ events: 0, rank: null }) })]);
    expect(Number((await db.query(`SELECT count(*) FROM feed_record WHERE kind = 'bulletin.issued' AND department = 'construction-association'`))[0].count)).toBe(0);
  });
});
