import { createHash, randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { chinaDate, computeResidentIdentityCheckCharacter, computeUsccCheckCharacter } from '@app/domain';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// A court lists an enterprise as a judgment debtor (its legal representative with it), the
// environment bureau fines it, the enterprise objects to the listing, and market regulation
// records a commitment it then reports broken. Finance issues a tender's credit report through
// the query API, reads its PDF and HTML, and a third party verifies it without credentials.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const run = `cr-${Date.now()}`;
const first17 = `91510802MA${Array.from({ length: 7 }, () => USCC_ALPHABET[randomInt(USCC_ALPHABET.length)]).join('')}`;
const ENTERPRISE = first17 + computeUsccCheckCharacter(first17);
const newPerson = () => {
  const first = `510802${1980 + randomInt(20)}0${1 + randomInt(9)}1${randomInt(10)}${String(randomInt(1000)).padStart(3, '0')}`;
  return first + computeResidentIdentityCheckCharacter(first);
};
const PERSON = newPerson();
const NAME = '广元市利州区诚信建筑工程有限公司';
// More than the verifications the other tests make from this address, and few enough to exhaust here.
const VERIFY_PER_MINUTE = 12;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

interface Issued {
  number: string;
  verificationCode: string;
  issuedAt: string;
  asOf: string;
  use: { code: string };
  subject: { idType: string; id: string; kind: string | null; name: string | null };
  contentSha256: string;
  pdf: { sha256: string; href: string };
  html: { sha256: string; href: string };
  verifyUrl: string;
}

describe('credit reports over HTTP', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  const today = chinaDate(new Date());

  beforeAll(async () => {
    db = await openTestDatabase();
    // The apps run as the least-privilege role, as in production.
    const env = { ...(await appRoleEnv(testDatabaseUrl())), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50', REPORT_DISTINCT_PERSONS_PER_MINUTE: '2', REPORT_VERIFY_PER_MINUTE: String(VERIFY_PER_MINUTE) };
    [ingest, engine, query] = await Promise.all([
      freePort().then((port) => AppProcess.start('ingest-api', env, port)),
      freePort().then((port) => AppProcess.start('decision-engine', env, port)),
      freePort().then((port) => AppProcess.start('query-api', env, port)),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const publish = async (department: string, id: string, type: string, data: Record<string, unknown>) => {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${department}-token`, 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0', id, source: `/departments/${department}`, type, subject: ENTERPRISE, time: new Date().toISOString(),
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: NAME }, decidedOn: today, ...data },
      }),
    });
    expect(response.status).toBe(202);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = (await (await fetch(`${query.baseUrl}/v1/events/${department}/${id}`, { headers: { authorization: `Bearer dev-${department}-token` } })).json()) as { status: string };
      if (status.status !== 'received') return expect(status.status).toBe('decided');
      if (Date.now() > deadline) throw new Error(`${id} not decided`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const call = (method: 'GET' | 'POST', path: string, department: string | null, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${query.baseUrl}${path}`, {
      method,
      headers: { ...(department ? { authorization: `Bearer dev-${department}-token` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const issue = (body: unknown, department = 'finance', headers: Record<string, string> = {}) => call('POST', '/v1/reports', department, body, headers);
  const problem = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { code: string }).code });

  let issued: Issued;

  it('issues a report on an enterprise with all its records, audited, and gives the code once', async () => {
    await publish('court', `${run}-listed`, 'credit.judgment-debtor.listed.v1', {
      documentNumber: `（2026）川0802执${run}号`, reason: 'refused-to-perform',
      relatedPersons: [{ role: 'legal-representative', idType: 'RESIDENT_ID', id: PERSON, name: '王建国' }],
    });
    await publish('environment', `${run}-penalty`, 'credit.penalty.imposed.v1', { documentNumber: `广环罚〔2026〕${run}号`, severity: 'general', penaltyType: 'fine', reason: 'pollution-over-standard', fineAmountYuan: 50000 });
    await publish('court', `${run}-objection`, 'credit.objection.filed.v1', { documentNumber: `利法异〔2026〕${run}号`, objectionId: `OBJ-${run}`, listCode: 'judgment-debtor', reason: '已履行完毕' });
    const commitment = await call('POST', '/v1/commitments', 'market-regulation', {
      reference: `承诺-${run}`, subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: NAME },
      approvalItem: { code: 'construction-permit', name: '建筑工程施工许可' }, promise: '开工前补交安全生产许可证', dueOn: today,
      approval: { reference: `施许-${run}`, grantedOn: today },
    });
    expect(commitment.status).toBe(201);
    const { id } = (await commitment.json()) as { id: string };
    expect((await call('POST', `/v1/commitments/${id}/breach`, 'market-regulation', { breachedOn: today, reason: '未按期补交' })).status).toBe(200);

    const response = await issue({ subject: ENTERPRISE, use: 'tendering', purpose: `利州区道路改造工程招标 ${run}` }, 'finance', { 'x-user-id': 'clerk-7' });
    expect(response.status).toBe(201);
    issued = (await response.json()) as Issued;
    expect(issued).toMatchObject({
      number: expect.stringMatching(new RegExp(`^XYBG-${today.replaceAll('-', '')}-\\d{6,}$`)),
      verificationCode: expect.stringMatching(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/),
      asOf: today,
      use: { code: 'tendering' },
      subject: { idType: 'USCC', id: ENTERPRISE, kind: 'enterprise', name: NAME },
      pdf: { href: `/v1/reports/${issued.number}.pdf` },
      html: { href: `/v1/reports/${issued.number}.html` },
    });
    expect(issued.verifyUrl).toMatch(new RegExp(`/v1/public/reports/${issued.number}$`));

    const [row] = await db.query(`SELECT department, user_id AS "userId", purpose, approval_item AS "approvalItem", subject_id AS "subjectId", subjects FROM query_audit WHERE endpoint = 'POST /v1/reports' AND subject_id = $1`, [ENTERPRISE]);
    expect(row).toEqual({ department: 'finance', userId: 'clerk-7', purpose: `利州区道路改造工程招标 ${run}`, approvalItem: 'tendering', subjectId: ENTERPRISE, subjects: [ENTERPRISE] });
    // The code is kept only as a hash.
    const [stored] = await db.query(`SELECT code_hash AS "codeHash", convert_from(html, 'UTF8') AS html FROM credit_report WHERE number = $1`, [issued.number]);
    expect(stored.codeHash).not.toContain(issued.verificationCode);
    expect(stored.html).not.toContain(issued.verificationCode);
  });

  it('serves the issuing department the PDF and HTML as issued, each read audited; nobody else', async () => {
    const pdf = await call('GET', issued.pdf.href, 'finance');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfBytes = Buffer.from(await pdf.arrayBuffer());
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha256(pdfBytes)).toBe(issued.pdf.sha256);
    expect(pdf.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(issued.pdf.sha256, 'hex').toString('base64')}:`);

    const html = await call('GET', issued.html.href, 'finance', undefined, { 'x-user-id': 'clerk-7' });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(sha256(page)).toBe(issued.html.sha256);
    expect(page).toContain('<html lang="zh-CN">');
    for (const text of [issued.number, NAME, ENTERPRISE, '失信被执行人名单', `（2026）川0802执${run}号`, `广环罚〔2026〕${run}号`, '50000 元', '建筑工程施工许可：未履约（失信）', '异议申请', `利法异〔2026〕${run}号`, '【异议处理中】', issued.contentSha256, '招标投标']) {
      expect(page).toContain(text);
    }
    // The credit class section, with the model's explanation.
    expect(page).toMatch(/<h2>二、信用分类<\/h2><h3>[^<]+：[A-Z]类（/);

    const reads = await db.query(`SELECT endpoint, user_id AS "userId" FROM query_audit WHERE subject_id = $1 AND endpoint LIKE 'GET /v1/reports/%' ORDER BY id`, [ENTERPRISE]);
    expect(reads).toEqual([{ endpoint: 'GET /v1/reports/:number.pdf', userId: null }, { endpoint: 'GET /v1/reports/:number.html', userId: 'clerk-7' }]);

    // Another department, and an unknown number, get the same 404.
    expect(await problem(await call('GET', issued.pdf.href, 'court'))).toEqual({ status: 404, code: 'REPORT.NOT_FOUND' });
    expect(await problem(await call('GET', '/v1/reports/XYBG-20000101-000001.html', 'finance'))).toEqual({ status: 404, code: 'REPORT.NOT_FOUND' });
    expect((await call('GET', issued.pdf.href, null)).status).toBe(401);
  });

  it('verifies the report publicly with the right code only; an unknown number answers the same as a wrong code', async () => {
    const typed = `${issued.verificationCode.slice(0, 5).toLowerCase()}-${issued.verificationCode.slice(5)}`;
    const right = await call('GET', `/v1/public/reports/${issued.number}?code=${encodeURIComponent(typed)}`, null);
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({
      valid: true,
      number: issued.number,
      issuedAt: issued.issuedAt,
      issuedOn: today,
      use: { code: 'tendering', name: { zh: '招标投标', en: 'Tendering and bidding' } },
      issuingDepartment: { code: 'finance', name: expect.objectContaining({ zh: expect.any(String) }) },
      subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: NAME, masked: false },
      contentSha256: issued.contentSha256,
      content: {
        counts: expect.objectContaining({ listMemberships: 1, penalties: 1, commitments: 1, objectionsAndRepairs: 1 }),
        creditClasses: expect.arrayContaining([{ model: 'market-credit-class', class: expect.any(String) }]),
        listCodes: ['judgment-debtor'],
        documentNumbers: [`（2026）川0802执${run}号`],
      },
      pdfSha256: issued.pdf.sha256,
      htmlSha256: issued.html.sha256,
    });
    const wrongCode = issued.verificationCode.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const wrong = await call('GET', `/v1/public/reports/${issued.number}?code=${wrongCode}`, null);
    const unknown = await call('GET', `/v1/public/reports/XYBG-20000101-000001?code=${issued.verificationCode}`, null);
    const malformed = await call('GET', `/v1/public/reports/nonsense?code=${issued.verificationCode}`, null);
    const missing = await call('GET', `/v1/public/reports/${issued.number}`, null);
    const bodies = await Promise.all([wrong, unknown, malformed, missing].map(async (r) => ({ status: r.status, body: (await r.json()) as { code: string; detail: string; title: string } })));
    for (const { status, body } of bodies) expect({ status, code: body.code, detail: body.detail, title: body.title }).toEqual({ status: 404, code: 'REPORT.NOT_VERIFIED', detail: bodies[0].body.detail, title: bodies[0].body.title });
  });

  it('serves the documents and the verification alike on the Express platform', async () => {
    const express = await AppProcess.start('query-api', { ...(await appRoleEnv(testDatabaseUrl())), TRANSPORT: 'postgres', HTTP_PLATFORM: 'express' }, await freePort());
    try {
      const pdf = await fetch(`${express.baseUrl}${issued.pdf.href}`, { headers: { authorization: 'Bearer dev-finance-token' } });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(sha256(Buffer.from(await pdf.arrayBuffer()))).toBe(issued.pdf.sha256);
      const html = await fetch(`${express.baseUrl}${issued.html.href}`, { headers: { authorization: 'Bearer dev-finance-token' } });
      expect(sha256(await html.text())).toBe(issued.html.sha256);
      const verified = await fetch(`${express.baseUrl}/v1/public/reports/${issued.number}?code=${issued.verificationCode}`);
      expect(((await verified.json()) as { pdfSha256: string }).pdfSha256).toBe(issued.pdf.sha256);
    } finally {
      await express.stop();
    }
  });

  it("issues a natural person's report only with the clerk, and the public sees the person masked", async () => {
    expect(await problem(await issue({ subject: PERSON, use: 'government-procurement', purpose: `采购资格审查 ${run}` }))).toEqual({ status: 400, code: 'REPORT.USER_ID_REQUIRED' });
    // Transport implements JD-02 on the legal representative; finance holds nothing on the person and gets an unknown person's report.
    const response = await issue({ subject: PERSON, use: 'government-procurement', purpose: `采购资格审查 ${run}` }, 'transport', { 'x-user-id': 'clerk-7' });
    expect(response.status).toBe(201);
    const report = (await response.json()) as Issued;
    expect(report.subject).toEqual({ idType: 'RESIDENT_ID', id: PERSON, kind: 'individual', name: '王建国' });
    const unknown = (await (await issue({ subject: PERSON, use: 'government-procurement', purpose: `采购资格审查 ${run}` }, 'finance', { 'x-user-id': 'clerk-7' })).json()) as Issued;
    expect(unknown.subject).toEqual({ idType: 'RESIDENT_ID', id: PERSON, kind: 'individual', name: null });
    const page = await (await call('GET', report.html.href, 'transport', undefined, { 'x-user-id': 'clerk-7' })).text();
    // The legal representative's own measures, with the organisation they stem from.
    expect(page).toContain('法定代表人（广元市利州区诚信建筑工程有限公司）');
    const verified = (await (await call('GET', `/v1/public/reports/${report.number}?code=${report.verificationCode}`, null)).json()) as { subject: unknown; content: unknown };
    expect(verified.subject).toEqual({ kind: 'individual', idType: 'RESIDENT_ID', id: `${PERSON.slice(0, 6)}********${PERSON.slice(-4)}`, name: '王**', masked: true });
    // Counts only: no class, list or document number of a person goes to the public.
    expect(verified.content).toEqual({ counts: expect.objectContaining({ measures: 1 }), creditClasses: null, listCodes: null, documentNumbers: null });
    const [audit] = await db.query(`SELECT user_id AS "userId", purpose, subjects FROM query_audit WHERE endpoint = 'POST /v1/reports' AND subject_id = $1 AND department = 'transport'`, [PERSON]);
    expect(audit).toEqual({ userId: 'clerk-7', purpose: `采购资格审查 ${run}`, subjects: [ENTERPRISE, PERSON].sort() });
  });

  it('refuses one user a third natural person within a minute, reading and logging nothing; the same person again is no burst', async () => {
    const [first, second, third] = [newPerson(), newPerson(), newPerson()];
    const ask = (subject: string) => issue({ subject, use: 'construction', purpose: `工程建设 ${run}` }, 'finance', { 'x-user-id': `burst-${run}` });
    expect((await ask(first)).status).toBe(201);
    expect((await ask(second)).status).toBe(201);
    const refused = await ask(third);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe('REPORT.BURST_REFUSED');
    expect(await db.query(`SELECT 1 FROM query_audit WHERE subject_id = $1`, [third])).toEqual([]);
    expect((await ask(second)).status).toBe(201);
    // Another clerk of the same department is not held back by this one's burst.
    expect((await issue({ subject: third, use: 'construction', purpose: `工程建设 ${run}` }, 'finance', { 'x-user-id': `other-${run}` })).status).toBe(201);
  });

  it('refuses associations, a missing or unprintable purpose, an unknown use and a bad identifier, with their codes', async () => {
    const body = { subject: ENTERPRISE, use: 'tendering', purpose: '招标' };
    expect(await problem(await issue(body, 'construction-association'))).toEqual({ status: 403, code: 'DEPARTMENT.GOVERNMENT_ONLY' });
    expect(await problem(await issue({ ...body, purpose: undefined }))).toEqual({ status: 400, code: 'REPORT.PURPOSE_REQUIRED' });
    expect(await problem(await issue({ ...body, purpose: 'a\u0000b' }))).toEqual({ status: 400, code: 'REPORT.BAD_PURPOSE' });
    expect(await problem(await issue({ ...body, use: 'lottery' }))).toEqual({ status: 400, code: 'REPORT.UNKNOWN_USE' });
    expect(await problem(await issue({ ...body, subject: ENTERPRISE.slice(0, -1) + (ENTERPRISE.endsWith('0') ? '1' : '0') }))).toEqual({ status: 422, code: 'SUBJECT.BAD_CHECK_DIGIT' });
    expect(await problem(await issue({ ...body, extra: true }))).toEqual({ status: 400, code: 'REPORT.INVALID_REQUEST' });
  });

  it("holds one address to REPORT_VERIFY_PER_MINUTE verifications, malformed codes counted, while other open routes still answer", async () => {
    const answers: number[] = [];
    for (let i = 0; i <= VERIFY_PER_MINUTE; i++) answers.push((await call('GET', `/v1/public/reports/${issued.number}?code=${i % 2 === 0 ? 'short' : 'ABCDEFGHJK'}`, null)).status);
    // Every answer before the budget ran out is the one 404; then 429.
    const firstRefused = answers.indexOf(429);
    expect(firstRefused).toBeGreaterThan(0);
    expect(answers.slice(0, firstRefused).every((status) => status === 404)).toBe(true);
    const refused = await call('GET', `/v1/public/reports/${issued.number}?code=${issued.verificationCode}`, null);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as { code: string }).code).toBe('REQUEST.RATE_LIMITED');
    // The address's general budget is not spent by it.
    expect((await call('GET', '/v1/public/lists', null)).status).not.toBe(429);
  });
});
