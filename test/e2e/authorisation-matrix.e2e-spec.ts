import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readDeadLetterKeyring } from '@app/config';
import { DeadLetterCipher, DeadLetterRepository } from '@app/persistence';
import { makeUscc } from '../kafka/support/credit-events';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// Every HTTP endpoint of the three apps, asked by each kind of caller: nobody, a department the
// resource is not for, the department it is for, the credit office (which assesses departments
// but reads no other department's personal data) and the management token. The route lists are
// taken from the apps' own OpenAPI documents, so an endpoint added without a row here fails.

type Actor = 'none' | 'wrong' | 'right' | 'creditOffice' | 'management';
const ACTORS: readonly Actor[] = ['none', 'wrong', 'right', 'creditOffice', 'management'];
type AppKey = 'ingest' | 'query' | 'engine';
type Method = 'GET' | 'POST' | 'DELETE';

const MANAGEMENT_TOKEN = 'authorisation-matrix-management-token';
const KEYS = `matrix-2026:${'3c'.repeat(32)}`;
const TOKEN_OF: Record<Exclude<Actor, 'none'>, (right: string, wrong: string) => string> = {
  right: (right) => `dev-${right}-token`,
  wrong: (_right, wrong) => `dev-${wrong}-token`,
  creditOffice: () => 'dev-credit-office-token',
  management: () => MANAGEMENT_TOKEN,
};

/** What one caller gets: the status, and for 2xx answers a check that it holds only what that caller may see. */
type Expectation = number | { status: number; holds?: (body: string) => void | Promise<void> };

interface Row {
  app: AppKey;
  method: Method;
  /** The route as the OpenAPI document names it (`{param}`). */
  route: string;
  /** The department the resource belongs to, and one it does not. */
  right: string;
  wrong: string;
  path: () => string;
  body?: (actor: Actor) => unknown;
  expect: Record<Actor, Expectation>;
}

/** Routes outside the OpenAPI documents: Swagger's own. */
const UNDOCUMENTED: readonly string[] = ['ingest GET /docs-json', 'query GET /docs-json', 'engine GET /docs-json'];

const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8'));

describe('authorisation matrix: every endpoint × no token, wrong department, right department, credit office, management token', () => {
  let db: DataSource;
  let apps: Record<AppKey, AppProcess>;
  const seeded = { eventId: randomUUID(), subject: makeUscc('enterprise', Math.random), financeTaskId: '', courtDeadLetterId: '', termsRef: '', whatIfId: '', commitmentId: '', breachCommitmentId: '', sampleId: '', reportNumber: '', reportCode: '', bulletinNumber: '', caseId: '', polluter: makeUscc('enterprise', Math.random) };
  const whatIfPeriod = { from: new Date(Date.now() - 600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };

  const send = async (row: Row, actor: Actor): Promise<Response> => {
    const headers: Record<string, string> = { 'x-user-id': 'matrix-clerk' };
    if (actor !== 'none') headers.authorization = `Bearer ${TOKEN_OF[actor](row.right, row.wrong)}`;
    const body = row.body?.(actor);
    if (body !== undefined) headers['content-type'] = 'application/cloudevents+json';
    return fetch(`${apps[row.app].baseUrl}${row.path()}`, { method: row.method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };

  /** A court listing of the seeded enterprise (sent by whoever the caller is). */
  const courtListing = (id: string = randomUUID()) => ({
    ...listing,
    id,
    source: '/departments/court',
    subject: seeded.subject,
    data: { ...listing.data, subject: { ...listing.data.subject, id: seeded.subject }, documentNumber: `（2026）川0802执${Math.floor(Math.random() * 1e6)}号` },
  });

  /** A credit commitment market regulation records for the seeded enterprise (today's approval, due in a month). */
  const commitment = (reference: string = randomUUID()) => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    return {
      reference,
      subject: { kind: 'enterprise', idType: 'USCC', id: seeded.subject, name: '矩阵测试有限公司' },
      approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
      promise: '承诺30日内补齐材料',
      dueOn: new Date(Date.now() + 8 * 3_600_000 + 30 * 86_400_000).toISOString().slice(0, 10),
      approval: { reference: `JY-${reference}`, grantedOn: today },
    };
  };
  const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  /** This quarter (seeded sample) or the next (the POST row's), China time. */
  const quarter = (ahead: 0 | 1) => {
    const today = chinaToday();
    const index = Number(today.slice(0, 4)) * 4 + Math.floor((Number(today.slice(5, 7)) - 1) / 3) + ahead;
    return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
  };
  const sampleRequest = (ahead: 0 | 1) => ({ period: quarter(ahead), population: { subjects: [seeded.subject] } });

  /** A task page holds only tasks the caller implements or cooperates in. */
  const onlyTasksOf = (code: string) => (body: string) => {
    const page = JSON.parse(body) as { department: string; tasks: { implementingDepartment: string; cooperatingDepartments: string[] }[] };
    expect(page.department).toBe(code);
    for (const task of page.tasks) expect([task.implementingDepartment, ...task.cooperatingDepartments]).toContain(code);
  };
  /** A query-log page holds only the caller's own rows (by id, against the table). */
  const onlyAuditRowsOf = (code: string) => async (body: string) => {
    const page = JSON.parse(body) as { department: string; queries: { cursor: string }[] };
    expect(page.department).toBe(code);
    const own = new Set(((await db.query(`SELECT id::text AS id FROM query_audit WHERE department = $1`, [code])) as { id: string }[]).map((r) => r.id));
    for (const row of page.queries) expect(own.has(row.cursor)).toBe(true);
  };
  /** A feed holds only records addressed to the caller: each measure it shows is the caller's to implement or to cooperate on. */
  const feedOf = (code: string, mustHoldFinanceTask: boolean) => (body: string) => {
    const page = JSON.parse(body) as { records: { subject?: { id?: string }; measures?: { code: string; yourRole: string; implementingDepartment: string; target: { role: string; id?: string } }[] }[] };
    // Lifecycle records (an entry ended, a measure repaired) carry no measures of their own; a measure on the subject names it as the record's subject.
    const measures = page.records.flatMap((record) => (record.measures ?? []).map((m) => ({ ...m, targetId: m.target.role === 'subject' ? record.subject?.id : m.target.id })));
    for (const measure of measures) if (measure.yourRole === 'implementing') expect(measure.implementingDepartment).toBe(code);
    const financeTask = measures.some((m) => m.code === 'JD-01' && m.targetId === seeded.subject && m.yourRole === 'implementing');
    expect(financeTask).toBe(mustHoldFinanceTask);
  };
  // A resident identity number stands alone: digits inside a longer run of hex (a SHA-256 digest) are not one.
  const noPersonalData = (body: string) => expect(body).not.toMatch(/(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])/);

  // Open data takes no token, and a token that is not a department's is refused there as anywhere.
  const OPEN = { none: 200, wrong: 200, right: 200, creditOffice: 200, management: 401 } as const;
  // Health is for load balancers: open to all, whatever they send.
  const HEALTH = { none: 200, wrong: 200, right: 200, creditOffice: 200, management: 200 } as const;
  const MANAGEMENT_ONLY = { none: 401, wrong: 401, right: 401, creditOffice: 401, management: 200 } as const;

  const ROWS: Row[] = [
    // ----- ingest
    { app: 'ingest', method: 'POST', route: '/v1/events', right: 'court', wrong: 'tax', path: () => '/v1/events', body: () => courtListing(), expect: { none: 401, wrong: 403, right: 202, creditOffice: 403, management: 401 } },
    {
      app: 'ingest', method: 'POST', route: '/v1/events/batch', right: 'court', wrong: 'tax', path: () => '/v1/events/batch',
      body: () => [courtListing()],
      expect: { none: 401, wrong: 403, right: 202, creditOffice: 403, management: 401 },
    },
    // Event schemas are open data, like the public lists.
    { app: 'ingest', method: 'GET', route: '/schemas/{file}', right: 'court', wrong: 'tax', path: () => '/schemas/credit.judgment-debtor.listed.v1.json', expect: OPEN },
    { app: 'ingest', method: 'GET', route: '/health', right: 'court', wrong: 'tax', path: () => '/health', expect: HEALTH },
    { app: 'ingest', method: 'GET', route: '/problems/{code}', right: 'court', wrong: 'tax', path: () => '/problems/EVENT.SCHEMA_VIOLATION', expect: HEALTH },
    { app: 'ingest', method: 'GET', route: '/health/live', right: 'court', wrong: 'tax', path: () => '/health/live', expect: HEALTH },
    { app: 'ingest', method: 'GET', route: '/health/ready', right: 'court', wrong: 'tax', path: () => '/health/ready', expect: HEALTH },
    { app: 'ingest', method: 'GET', route: '/metrics', right: 'court', wrong: 'tax', path: () => '/metrics', expect: MANAGEMENT_ONLY },
    { app: 'ingest', method: 'GET', route: '/docs-json', right: 'court', wrong: 'tax', path: () => '/docs-json', expect: MANAGEMENT_ONLY },
    // ----- query: a department's own data
    {
      app: 'query', method: 'GET', route: '/v1/feed', right: 'finance', wrong: 'tax', path: () => '/v1/feed?after=0&limit=500',
      expect: { none: 401, wrong: { status: 200, holds: feedOf('tax', false) }, right: { status: 200, holds: feedOf('finance', true) }, creditOffice: { status: 200, holds: feedOf('credit-office', false) }, management: 401 },
    },
    {
      app: 'query', method: 'GET', route: '/v1/tasks', right: 'finance', wrong: 'tax', path: () => '/v1/tasks?limit=200',
      expect: { none: 401, wrong: { status: 200, holds: onlyTasksOf('tax') }, right: { status: 200, holds: (body) => { onlyTasksOf('finance')(body); expect(body).toContain(seeded.financeTaskId); } }, creditOffice: { status: 200, holds: (body) => { onlyTasksOf('credit-office')(body); expect(body).not.toContain(seeded.financeTaskId); } }, management: 401 },
    },
    { app: 'query', method: 'GET', route: '/v1/tasks/{taskId}', right: 'finance', wrong: 'tax', path: () => `/v1/tasks/${seeded.financeTaskId}`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 403, management: 401 } },
    {
      app: 'query', method: 'POST', route: '/v1/tasks/{taskId}/feedback', right: 'finance', wrong: 'tax', path: () => `/v1/tasks/${seeded.financeTaskId}/feedback`,
      body: () => ({ outcome: 'applied', businessReference: '利州采〔2026〕901号', appliedOn: '2026-11-27', operator: 'matrix-clerk' }),
      expect: { none: 401, wrong: 403, right: 201, creditOffice: 403, management: 401 },
    },
    {
      app: 'query', method: 'GET', route: '/v1/events/{source}/{id}', right: 'court', wrong: 'tax', path: () => `/v1/events/court/${seeded.eventId}`,
      expect: { none: 401, wrong: 403, right: 200, creditOffice: 403, management: 401 },
    },
    {
      app: 'query', method: 'GET', route: '/v1/dead-letters', right: 'court', wrong: 'tax', path: () => '/v1/dead-letters?limit=100',
      expect: { none: 401, wrong: { status: 200, holds: (body) => expect(body).not.toContain(`"id":"${seeded.courtDeadLetterId}"`) }, right: { status: 200, holds: (body) => expect(body).toContain(`"id":"${seeded.courtDeadLetterId}"`) }, creditOffice: { status: 200, holds: (body) => expect(body).not.toContain(`"id":"${seeded.courtDeadLetterId}"`) }, management: 401 },
    },
    // Measure terms hold no personal data: any department resolves any reference.
    { app: 'query', method: 'GET', route: '/v1/measure-terms/{ref}', right: 'finance', wrong: 'tax', path: () => `/v1/measure-terms/${seeded.termsRef}`, expect: { none: 401, wrong: 200, right: 200, creditOffice: 200, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/dead-letters/{id}', right: 'court', wrong: 'tax', path: () => `/v1/dead-letters/${seeded.courtDeadLetterId}`, expect: { none: 401, wrong: 404, right: 200, creditOffice: 404, management: 401 } },
    {
      app: 'query', method: 'GET', route: '/v1/audit/queries', right: 'finance', wrong: 'tax', path: () => '/v1/audit/queries?limit=200',
      expect: { none: 401, wrong: { status: 200, holds: onlyAuditRowsOf('tax') }, right: { status: 200, holds: onlyAuditRowsOf('finance') }, creditOffice: { status: 200, holds: onlyAuditRowsOf('credit-office') }, management: 401 },
    },
    {
      app: 'query', method: 'GET', route: '/v1/subjects/{id}/check', right: 'finance', wrong: 'tax', path: () => `/v1/subjects/${seeded.subject}/check?approvalItem=government-procurement&purpose=matrix`,
      expect: { none: 401, wrong: { status: 200, holds: (body) => expect(body).not.toContain('"JD-01"') }, right: { status: 200, holds: (body) => expect(body).toContain('"JD-01"') }, creditOffice: { status: 200, holds: (body) => expect(body).not.toContain('"JD-01"') }, management: 401 },
    },
    {
      app: 'query', method: 'GET', route: '/v1/subjects/{id}/applicant-review', right: 'finance', wrong: 'tax', path: () => `/v1/subjects/${seeded.subject}/applicant-review?approvalItem=government-procurement&purpose=matrix`,
      expect: { none: 401, wrong: { status: 200, holds: (body) => expect(body).not.toContain('"JD-01"') }, right: { status: 200, holds: (body) => expect(body).toContain('"JD-01"') }, creditOffice: { status: 200, holds: (body) => expect(body).not.toContain('"JD-01"') }, management: 401 },
    },
    // ----- query: credit commitments, the recording department's own (a department that records none may not record)
    { app: 'query', method: 'POST', route: '/v1/commitments', right: 'market-regulation', wrong: 'finance', path: () => '/v1/commitments', body: () => commitment(), expect: { none: 401, wrong: 403, right: 201, creditOffice: 403, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/commitments/{id}', right: 'market-regulation', wrong: 'tax', path: () => `/v1/commitments/${seeded.commitmentId}`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 403, management: 401 } },
    {
      app: 'query', method: 'POST', route: '/v1/commitments/{id}/fulfilment', right: 'market-regulation', wrong: 'tax', path: () => `/v1/commitments/${seeded.commitmentId}/fulfilment`,
      body: () => ({ fulfilledOn: chinaToday(), evidenceReference: '矩阵核〔2026〕1号' }),
      expect: { none: 401, wrong: 403, right: 200, creditOffice: 403, management: 401 },
    },
    {
      app: 'query', method: 'POST', route: '/v1/commitments/{id}/breach', right: 'market-regulation', wrong: 'tax', path: () => `/v1/commitments/${seeded.breachCommitmentId}/breach`,
      body: () => ({ breachedOn: chinaToday(), reason: '矩阵测试：核查不符' }),
      expect: { none: 401, wrong: 403, right: 200, creditOffice: 403, management: 401 },
    },
    // ----- query: spot-check samples, the drawing department's own (a department without a plan draws none)
    { app: 'query', method: 'POST', route: '/v1/supervision/samples', right: 'market-regulation', wrong: 'finance', path: () => '/v1/supervision/samples', body: () => sampleRequest(1), expect: { none: 401, wrong: 403, right: 201, creditOffice: 403, management: 401 } },
    {
      app: 'query', method: 'GET', route: '/v1/supervision/samples', right: 'market-regulation', wrong: 'tax', path: () => '/v1/supervision/samples',
      expect: { none: 401, wrong: { status: 200, holds: (body) => expect(body).not.toContain(seeded.sampleId) }, right: { status: 200, holds: (body) => expect(body).toContain(seeded.sampleId) }, creditOffice: { status: 200, holds: (body) => expect(body).not.toContain(seeded.sampleId) }, management: 401 },
    },
    { app: 'query', method: 'GET', route: '/v1/supervision/samples/{id}', right: 'market-regulation', wrong: 'tax', path: () => `/v1/supervision/samples/${seeded.sampleId}`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 403, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/supervision/samples/{id}/verification', right: 'market-regulation', wrong: 'tax', path: () => `/v1/supervision/samples/${seeded.sampleId}/verification`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 403, management: 401 } },
    {
      // The recording department passes and is answered on the merits: the commitment is no automatic breach (409).
      app: 'query', method: 'POST', route: '/v1/commitments/{id}/correction', right: 'market-regulation', wrong: 'tax', path: () => `/v1/commitments/${seeded.commitmentId}/correction`,
      body: () => ({ fulfilledOn: chinaToday(), evidenceReference: '矩阵核〔2026〕2号', reason: '矩阵测试：更正' }),
      expect: { none: 401, wrong: 403, right: 409, creditOffice: 403, management: 401 },
      },
    // ----- query: credit reports, issued by government departments, read back by the issuer only (another's reads as unknown), verified by anyone
    {
      app: 'query', method: 'POST', route: '/v1/reports', right: 'finance', wrong: 'construction-association', path: () => '/v1/reports',
      body: () => ({ subject: seeded.subject, use: 'tendering', purpose: '矩阵测试招标' }),
      expect: { none: 401, wrong: 403, right: 201, creditOffice: 201, management: 401 },
    },
    { app: 'query', method: 'GET', route: '/v1/reports/{number}.pdf', right: 'finance', wrong: 'tax', path: () => `/v1/reports/${seeded.reportNumber}.pdf`, expect: { none: 401, wrong: 404, right: 200, creditOffice: 404, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/reports/{number}.html', right: 'finance', wrong: 'tax', path: () => `/v1/reports/${seeded.reportNumber}.html`, expect: { none: 401, wrong: 404, right: 200, creditOffice: 404, management: 401 } },
    {
      app: 'query', method: 'GET', route: '/v1/public/reports/{number}', right: 'court', wrong: 'tax', path: () => `/v1/public/reports/${seeded.reportNumber}?code=${seeded.reportCode}`,
      expect: { ...OPEN, none: { status: 200, holds: noPersonalData } },
    },
    // ----- query: performance, own or (credit office) every department's
    // ----- query: situation bulletins (情况通报): the credit office issues one a period; any government department reads them
    {
      app: 'query', method: 'POST', route: '/v1/bulletins', right: 'credit-office', wrong: 'tax', path: () => '/v1/bulletins', body: () => ({ period: '2020-01' }),
      expect: { none: 401, wrong: 403, right: 409, creditOffice: 201, management: 401 },
    },
    { app: 'query', method: 'GET', route: '/v1/bulletins', right: 'tax', wrong: 'construction-association', path: () => '/v1/bulletins', expect: { none: 401, wrong: 403, right: 200, creditOffice: 200, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/bulletins/{number}', right: 'tax', wrong: 'construction-association', path: () => `/v1/bulletins/${encodeURIComponent(seeded.bulletinNumber)}`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 200, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/bulletins/{number}.pdf', right: 'tax', wrong: 'construction-association', path: () => `/v1/bulletins/${encodeURIComponent(seeded.bulletinNumber)}.pdf`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 200, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/bulletins/{number}.html', right: 'tax', wrong: 'construction-association', path: () => `/v1/bulletins/${encodeURIComponent(seeded.bulletinNumber)}.html`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 200, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/bulletins/{number}.csv', right: 'tax', wrong: 'construction-association', path: () => `/v1/bulletins/${encodeURIComponent(seeded.bulletinNumber)}.csv`, expect: { none: 401, wrong: 403, right: 200, creditOffice: 200, management: 401 } },
    // ----- query: coordination cases (工作协调会): the departments concerned and the credit office; minutes by the credit office, once
    {
      app: 'query', method: 'GET', route: '/v1/coordination/cases', right: 'environment', wrong: 'construction-association', path: () => '/v1/coordination/cases',
      expect: { none: 401, wrong: 403, right: { status: 200, holds: (body) => expect(body).toContain(seeded.caseId) }, creditOffice: { status: 200, holds: (body) => expect(body).toContain(seeded.caseId) }, management: 401 },
    },
    { app: 'query', method: 'GET', route: '/v1/coordination/cases/{id}', right: 'environment', wrong: 'tax', path: () => `/v1/coordination/cases/${seeded.caseId}`, expect: { none: 401, wrong: 404, right: 200, creditOffice: 200, management: 401 } },
    { app: 'query', method: 'POST', route: '/v1/coordination/cases/{id}/acknowledgement', right: 'environment', wrong: 'tax', path: () => `/v1/coordination/cases/${seeded.caseId}/acknowledgement`, expect: { none: 401, wrong: 404, right: 201, creditOffice: 201, management: 401 } },
    {
      app: 'query', method: 'POST', route: '/v1/coordination/cases/{id}/minutes', right: 'credit-office', wrong: 'environment', path: () => `/v1/coordination/cases/${seeded.caseId}/minutes`,
      body: () => ({ heldOn: chinaToday(), attendees: ['credit-office', 'environment'], summary: '会议研究了联合惩戒措施的落实。', jointDocuments: [{ documentNumber: '利信联〔2026〕1号', title: '关于对严重环境违法企业实施联合惩戒的通知', issuedBy: ['credit-office', 'environment'] }] }),
      expect: { none: 401, wrong: 403, right: 409, creditOffice: 200, management: 401 },
    },
    { app: 'query', method: 'GET', route: '/v1/performance', right: 'finance', wrong: 'tax', path: () => '/v1/performance?department=finance&from=2026-11-01&to=2026-11-30', expect: { none: 401, wrong: 403, right: 200, creditOffice: 200, management: 401 } },
    { app: 'query', method: 'GET', route: '/v1/performance.csv', right: 'finance', wrong: 'tax', path: () => '/v1/performance.csv?department=finance&from=2026-11-01&to=2026-11-30', expect: { none: 401, wrong: 403, right: 200, creditOffice: 200, management: 401 } },
    // ----- query: open data (a wrong token is still refused)
    { app: 'query', method: 'GET', route: '/v1/public/lists', right: 'court', wrong: 'tax', path: () => '/v1/public/lists', expect: { ...OPEN, none: { status: 200, holds: noPersonalData } } },
    { app: 'query', method: 'GET', route: '/v1/departments', right: 'court', wrong: 'tax', path: () => '/v1/departments', expect: { ...OPEN, none: { status: 200, holds: (body) => expect(body).not.toMatch(/sha256|token/i) } } },
    { app: 'query', method: 'GET', route: '/v1/approval-items', right: 'court', wrong: 'tax', path: () => '/v1/approval-items', expect: OPEN },
    { app: 'query', method: 'GET', route: '/schemas/{file}', right: 'court', wrong: 'tax', path: () => '/schemas/credit.penalty.imposed.v1.json', expect: OPEN },
    { app: 'query', method: 'GET', route: '/health', right: 'court', wrong: 'tax', path: () => '/health', expect: HEALTH },
    { app: 'query', method: 'GET', route: '/problems/{code}', right: 'court', wrong: 'tax', path: () => '/problems/EVENT.SCHEMA_VIOLATION', expect: HEALTH },
    { app: 'query', method: 'GET', route: '/health/live', right: 'court', wrong: 'tax', path: () => '/health/live', expect: HEALTH },
    { app: 'query', method: 'GET', route: '/health/ready', right: 'court', wrong: 'tax', path: () => '/health/ready', expect: HEALTH },
    { app: 'query', method: 'GET', route: '/metrics', right: 'court', wrong: 'tax', path: () => '/metrics', expect: MANAGEMENT_ONLY },
    { app: 'query', method: 'GET', route: '/docs-json', right: 'court', wrong: 'tax', path: () => '/docs-json', expect: MANAGEMENT_ONLY },
    // ----- query: what-if on history, for policy staff behind the management token (until console users exist)
    { app: 'query', method: 'POST', route: '/v1/what-if', right: 'court', wrong: 'tax', path: () => '/v1/what-if', body: () => ({ period: whatIfPeriod, release: 'in-force' }), expect: { ...MANAGEMENT_ONLY, management: 202 } },
    { app: 'query', method: 'GET', route: '/v1/what-if/{id}', right: 'court', wrong: 'tax', path: () => `/v1/what-if/${seeded.whatIfId}`, expect: MANAGEMENT_ONLY },
    { app: 'query', method: 'DELETE', route: '/v1/what-if/{id}', right: 'court', wrong: 'tax', path: () => `/v1/what-if/${seeded.whatIfId}`, expect: MANAGEMENT_ONLY },
    { app: 'query', method: 'GET', route: '/v1/what-if/{id}.csv', right: 'court', wrong: 'tax', path: () => `/v1/what-if/${seeded.whatIfId}.csv`, expect: MANAGEMENT_ONLY },
    {
      app: 'query', method: 'GET', route: '/v1/what-if/{id}/events/{source}/{eventId}', right: 'court', wrong: 'tax',
      path: () => `/v1/what-if/${seeded.whatIfId}/events/${encodeURIComponent('/departments/court')}/${seeded.eventId}`,
      expect: { ...MANAGEMENT_ONLY, management: { status: 200, holds: noPersonalData } },
    },
    // ----- query: rule-set releases, behind the management token until console users sign in (no release exists here: the token gets the release's own answers)
    { app: 'query', method: 'GET', route: '/v1/releases', right: 'court', wrong: 'tax', path: () => '/v1/releases', expect: MANAGEMENT_ONLY },
    { app: 'query', method: 'GET', route: '/v1/releases/{version}', right: 'court', wrong: 'tax', path: () => '/v1/releases/999999', expect: { ...MANAGEMENT_ONLY, management: 404 } },
    { app: 'query', method: 'GET', route: '/v1/releases/{from}/diff/{to}', right: 'court', wrong: 'tax', path: () => '/v1/releases/999998/diff/999999', expect: { ...MANAGEMENT_ONLY, management: 404 } },
    {
      app: 'query', method: 'POST', route: '/v1/releases', right: 'court', wrong: 'tax', path: () => '/v1/releases',
      body: () => ({ content: { memoranda: {}, instruments: '{}' }, author: 'matrix-editor' }),
      expect: { ...MANAGEMENT_ONLY, management: 422 },
    },
    {
      app: 'query', method: 'POST', route: '/v1/releases/{version}/approve', right: 'court', wrong: 'tax', path: () => '/v1/releases/999999/approve',
      body: () => ({ approver: 'matrix-approver', effectiveAt: '2030-01-01T00:00:00+08:00' }),
      expect: { ...MANAGEMENT_ONLY, management: 404 },
    },
    {
      app: 'query', method: 'POST', route: '/v1/releases/{version}/rollback', right: 'court', wrong: 'tax', path: () => '/v1/releases/999999/rollback',
      body: () => ({ actor: 'matrix-approver' }),
      expect: { ...MANAGEMENT_ONLY, management: 404 },
    },
    // ----- engine
    { app: 'engine', method: 'GET', route: '/health', right: 'court', wrong: 'tax', path: () => '/health', expect: HEALTH },
    { app: 'engine', method: 'GET', route: '/problems/{code}', right: 'court', wrong: 'tax', path: () => '/problems/EVENT.SCHEMA_VIOLATION', expect: HEALTH },
    { app: 'engine', method: 'GET', route: '/health/live', right: 'court', wrong: 'tax', path: () => '/health/live', expect: HEALTH },
    { app: 'engine', method: 'GET', route: '/health/ready', right: 'court', wrong: 'tax', path: () => '/health/ready', expect: HEALTH },
    { app: 'engine', method: 'GET', route: '/docs-json', right: 'court', wrong: 'tax', path: () => '/docs-json', expect: MANAGEMENT_ONLY },
    { app: 'engine', method: 'GET', route: '/metrics', right: 'court', wrong: 'tax', path: () => '/metrics', expect: MANAGEMENT_ONLY },
  ];

  beforeAll(async () => {
    // A database of this suite's own, emptied: the feeds and task lists it reads whole hold only what it made.
    const url = await ownTestDatabaseUrl('authorisation_matrix');
    const env = {
      // As in production: the apps run as the least-privilege role (and migrate as the owner), so every endpoint also proves its grants.
      ...(await appRoleEnv(url)),
      TRANSPORT: 'postgres',
      ENGINE_POLL_INTERVAL_MS: '50',
      CALENDAR_RELOAD_INTERVAL_MS: '0',
      DEAD_LETTER_KEYS: KEYS,
      MANAGEMENT_TOKEN_SHA256: createHash('sha256').update(MANAGEMENT_TOKEN).digest('hex'),
    };
    const [ingest, engine, query] = await startEmbeddedApps(env);
    apps = { ingest, engine, query };
    db = await openTestDatabase(url);
    await truncateAll(db);

    // The court lists an enterprise: the engine gives finance a procurement task (JD-01) on it.
    const published = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(courtListing(seeded.eventId)),
    });
    expect(published.status).toBe(202);
    const deadline = Date.now() + 30_000;
    while (!seeded.financeTaskId && Date.now() < deadline) {
      const [task] = await db.query(
        `SELECT id::text AS id FROM measure_task WHERE target_id = $1 AND implementing_department = 'finance' AND measure_code = 'JD-01'`,
        [seeded.subject],
      );
      if (task) seeded.financeTaskId = task.id;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(seeded.financeTaskId).not.toBe('');
    const [{ ref }] = await db.query(`SELECT ref FROM measure_terms ORDER BY ref LIMIT 1`);
    seeded.termsRef = ref;

    // Two open commitments of market regulation's: one to report kept, one broken.
    for (const key of ['commitmentId', 'breachCommitmentId'] as const) {
      const recorded = await fetch(`${query.baseUrl}/v1/commitments`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-market-regulation-token', 'content-type': 'application/json' },
        body: JSON.stringify(commitment()),
      });
      expect(recorded.status).toBe(201);
      seeded[key] = ((await recorded.json()) as { id: string }).id;
    }

    // This quarter's spot-check sample of market regulation's.
    const drawn = await fetch(`${query.baseUrl}/v1/supervision/samples`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-market-regulation-token', 'content-type': 'application/json' },
      body: JSON.stringify(sampleRequest(0)),
    });
    expect(drawn.status).toBe(201);
    seeded.sampleId = ((await drawn.json()) as { id: string }).id;

    // A credit report finance issued on the enterprise, for the rows that read and verify one.
    const report = await fetch(`${query.baseUrl}/v1/reports`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-finance-token', 'content-type': 'application/json' },
      body: JSON.stringify({ subject: seeded.subject, use: 'tendering', purpose: '矩阵测试招标' }),
    });
    expect(report.status).toBe(201);
    ({ number: seeded.reportNumber, verificationCode: seeded.reportCode } = (await report.json()) as { number: string; verificationCode: string });

    // Last month's situation bulletin, issued by the credit office, for the rows that read one.
    const bulletin = await fetch(`${query.baseUrl}/v1/bulletins`, { method: 'POST', headers: { authorization: 'Bearer dev-credit-office-token', 'content-type': 'application/json' }, body: JSON.stringify({ period: '2020-02' }) });
    expect(bulletin.status).toBe(201);
    seeded.bulletinNumber = ((await bulletin.json()) as { number: string }).number;

    // A serious pollution fine of 1.2 million yuan opens a coordination case (the shipped criteria), for the coordination rows.
    const fined = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-environment-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        specversion: '1.0', id: randomUUID(), source: '/departments/environment', type: 'credit.penalty.imposed.v1', subject: seeded.polluter, time: new Date().toISOString(),
        data: { subject: { kind: 'enterprise', idType: 'USCC', id: seeded.polluter, name: '矩阵化工有限公司' }, decidedOn: chinaToday(), severity: 'serious', penaltyType: 'fine', reason: 'pollution-over-standard', fineAmountYuan: 1_200_000, documentNumber: `广环罚〔2026〕${Math.floor(Math.random() * 1e6)}号` },
      }),
    });
    expect(fined.status).toBe(202);
    for (const until = Date.now() + 30_000; !seeded.caseId && Date.now() < until; ) {
      const [opened] = await db.query(`SELECT id::text AS id FROM coordination_case WHERE subject_id = $1`, [seeded.polluter]);
      if (opened) seeded.caseId = opened.id;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(seeded.caseId).not.toBe('');

    // A dead letter of the court's, written as the engine writes one (the embedded transport dead-letters none).
    const repository = new DeadLetterRepository(db, new DeadLetterCipher(readDeadLetterKeyring({ DEAD_LETTER_KEYS: KEYS }).keyring!));
    const letterId = randomUUID();
    await repository.record([{ errorCode: 'SUBJECT.BAD_CHECK_DIGIT', message: 'bad check character', raw: JSON.stringify(courtListing(letterId)), topic: 'credit.events.court.v1', partition: 0, offset: `${Date.now()}`, source: '/departments/court', eventId: letterId }]);
    [{ id: seeded.courtDeadLetterId }] = await db.query(`SELECT id::text AS id FROM dead_letter WHERE event_id = $1`, [letterId]);

    // A finished what-if run over the listing, for the rows that read one.
    const management = { authorization: `Bearer ${MANAGEMENT_TOKEN}`, 'content-type': 'application/json' };
    const started = await fetch(`${query.baseUrl}/v1/what-if`, { method: 'POST', headers: management, body: JSON.stringify({ period: whatIfPeriod, release: 'in-force' }) });
    expect(started.status).toBe(202);
    seeded.whatIfId = ((await started.json()) as { id: string }).id;
    while (((await (await fetch(`${query.baseUrl}/v1/what-if/${seeded.whatIfId}`, { headers: management })).json()) as { state: string }).state === 'running') await new Promise((r) => setTimeout(r, 50));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps ?? {}).map((app) => app.stop()));
    await db?.destroy();
  });

  it('has a row for every route each app documents, and no row for a route that does not exist', async () => {
    const documented: string[] = [...UNDOCUMENTED];
    for (const app of ['ingest', 'query', 'engine'] as const) {
      const response = await fetch(`${apps[app].baseUrl}/docs-json`, { headers: { authorization: `Bearer ${MANAGEMENT_TOKEN}` } });
      expect(response.status).toBe(200);
      const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [route, operations] of Object.entries(document.paths)) {
        for (const method of Object.keys(operations)) documented.push(`${app} ${method.toUpperCase()} ${route}`);
      }
    }
    expect(ROWS.map((row) => `${row.app} ${row.method} ${row.route}`).sort()).toEqual([...new Set(documented)].sort());
  });

  // Feedback is reported once: its row runs the refused callers first, the implementing department last.
  const ORDER: readonly Actor[] = ['none', 'management', 'wrong', 'creditOffice', 'right'];

  it.each(ROWS.map((row) => [`${row.app} ${row.method} ${row.route}`, row] as const))('%s', async (_name, row) => {
    const seen: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const actor of ORDER) {
      const response = await send(row, actor);
      const text = await response.text();
      seen[actor] = response.status;
      const expectation = row.expect[actor];
      wanted[actor] = typeof expectation === 'number' ? expectation : expectation.status;
      if (response.status >= 400) {
        // Every refusal is an error document with a stable code, never a bare status or a 500.
        expect(response.status).toBeLessThan(500);
        expect(JSON.parse(text)).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+\.[A-Z_]+$/) });
        // A 401 says how to authenticate (RFC 9110 §11.6.1): a Bearer challenge, on every route.
        if (response.status === 401) expect({ actor, challenge: response.headers.get('www-authenticate') }).toEqual({ actor, challenge: expect.stringMatching(/^Bearer realm="[a-z]+"/) });
      } else if (typeof expectation !== 'number' && response.status === expectation.status) {
        await expectation.holds?.(text);
      }
    }
    expect(seen).toEqual(wanted);
    expect(ACTORS.every((actor) => actor in seen)).toBe(true);
  });
});
