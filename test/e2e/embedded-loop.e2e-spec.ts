import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ingestClient, IngestSchemas, queryClient, QuerySchemas } from '@credit-engine/client';
import { MeasureTerms } from '@app/decision-log';
import { APP_ROLE } from '@app/persistence';
import { AppProcess, freePort, startEmbeddedApps } from '../support/app-process';
import { appRoleEnv, openTestDatabase, truncateAll } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// The README walk-through, driven as its users drive it: a court publishes over HTTP,
// the engine decides from the inbox table, departments read their feeds over HTTP, all
// through the client generated from the OpenAPI documents (@credit-engine/client).
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8')) as IngestSchemas['CloudEventDto'] & { data: any };
const ENTERPRISE = listing.data.subject.id as string;
const LEGAL_REP = listing.data.relatedPersons[0].id as string;

type FeedPage = QuerySchemas['FeedPageDto'];
type FeedRecord = FeedPage['records'][number];
type DecisionRecord = Extract<FeedRecord, { kind: 'decision.issued' }>;

/** The page's decision.issued records (a repeated blacklisting also brings a coordination.opened record, which the test names). */
function decisions(page: FeedPage): DecisionRecord[] {
  return page.records.filter((record): record is DecisionRecord => record.kind === 'decision.issued');
}

describe('embedded loop: HTTP in, PostgreSQL inbox, HTTP feed out', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await openTestDatabase();
    await truncateAll(db);
    // The apps run as the least-privilege role, as in production, and migrate as the owner.
    env = { ...(await appRoleEnv(testDatabaseUrl())), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' };
    [ingest, engine, query] = await startEmbeddedApps(env);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop()]);
    await db?.destroy();
  });

  const publish = (body: unknown, token = 'dev-court-token', path = '/v1/events') =>
    fetch(`${ingest.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/cloudevents+json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const readFeed = async (department: string, after = '0'): Promise<FeedPage> => {
    const { data, response } = await queryClient(query.baseUrl, `dev-${department}-token`).GET('/v1/feed', { params: { query: { after } } });
    expect(response.status).toBe(200);
    return data!;
  };

  const waitForFeed = async (department: string, after = '0', timeoutMs = 20_000): Promise<FeedPage> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const page = await readFeed(department, after);
      if (page.records.length > 0 || Date.now() > deadline) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('runs the apps as the least-privilege role, not as the owner', async () => {
    const sessions = (await db.query(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename <> current_user`)) as { usename: string }[];
    expect(sessions.map((s) => s.usename)).toEqual([APP_ROLE]);
  });

  it('decides a judgment-debtor listing and shows it in the finance feed with legal basis and explanation', async () => {
    const court = ingestClient(ingest.baseUrl, 'dev-court-token');
    const { data: receipt, response } = await court.POST('/v1/events', { body: listing });
    expect(response.status).toBe(202);
    expect(receipt).toEqual({ accepted: [{ id: listing.id, type: listing.type, subject: ENTERPRISE, duplicate: false }] });
    // The types bite: an event without its envelope is refused by the compiler, not only by the API.
    // @ts-expect-error `specversion`, `id`, `source`, `type`, `subject` and `time` are required
    expect((await court.POST('/v1/events', { body: { data: listing.data } })).response.status).toBe(400);

    const page = await waitForFeed('finance');
    expect(page.records).toHaveLength(1);
    const [decision] = decisions(page);
    const measures = decision.measures;
    const procurement = measures.find((m) => m.code === 'JD-01')!;
    expect(decision.subject).toMatchObject({ id: ENTERPRISE });
    expect(procurement).toMatchObject({ yourRole: 'implementing', implementingDepartment: 'finance', target: { role: 'subject' }, rule: expect.any(String) });
    expect(decision).toMatchObject({ memorandum: { id: 'judgment-debtors', version: expect.any(String) }, ruleSetRevision: expect.stringMatching(/^sha256:/), facts: { severity: 'serious', eventType: listing.type } });
    // The legal basis travels by reference: the query API resolves it (the body read as text: its hash is the reference).
    const { response: termsResponse } = await queryClient(query.baseUrl, 'dev-finance-token').GET('/v1/measure-terms/{ref}', { params: { path: { ref: procurement.terms } }, parseAs: 'stream' });
    expect(termsResponse.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(termsResponse.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    // Sent as stored, byte for byte: the reference is the hash of the very text received.
    const termsText = await termsResponse.text();
    expect(`mt-${createHash('sha256').update(termsText, 'utf8').digest('hex').slice(0, 32)}`).toBe(procurement.terms);
    const terms = JSON.parse(termsText) as MeasureTerms;
    expect(terms).toMatchObject({ memorandum: { id: 'judgment-debtors' }, code: 'JD-01', category: procurement.category });
    expect(terms.legalBasis.length).toBeGreaterThan(0);

    // Finance sees transport's travel restriction on the legal representative in summary, without the person's identifiers.
    expect(measures.every((m) => m.implementingDepartment === 'finance')).toBe(true);
    expect(decision.otherMeasures['JD-02']).toBeGreaterThanOrEqual(2); // the enterprise and its legal representative
    expect(JSON.stringify(decision)).not.toContain(LEGAL_REP);

    // The same decision reaches the transport department, where the legal representative's measure is its own.
    const [forTransport] = decisions(await waitForFeed('transport'));
    expect(forTransport.decisionId).toBe(decision.decisionId);
    const forLegalRep = forTransport.measures.filter((m) => 'id' in m.target && m.target.id === LEGAL_REP);
    expect(forLegalRep.length).toBeGreaterThan(0);
    expect(forLegalRep.every((m) => m.yourRole === 'implementing' && m.target.role === 'legal-representative')).toBe(true);

    // Following from the cursor returns nothing new.
    const next = await readFeed('finance', page.nextCursor);
    expect(next.records).toEqual([]);
    expect(next.nextCursor).toBe(page.nextCursor);
  });

  it('accepts a republished event once and reports it as a duplicate', async () => {
    const { data, response } = await ingestClient(ingest.baseUrl, 'dev-court-token').POST('/v1/events', { body: listing });
    expect(response.status).toBe(202);
    expect(data!.accepted[0].duplicate).toBe(true);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM decision WHERE cause_event_id = $1`, [listing.id]);
    expect(n).toBeGreaterThan(0);
    const [{ events }] = await db.query(`SELECT count(*)::int AS events FROM inbound_event WHERE event_id = $1`, [listing.id]);
    expect(events).toBe(1);
  });

  it.each([
    ['malformed JSON', '{"specversion":', 'dev-court-token', 400, 'EVENT.MALFORMED_JSON'],
    ['not a CloudEvent', { hello: 'world' }, 'dev-court-token', 400, 'EVENT.NOT_CLOUDEVENT'],
    ['unknown event type', { ...listing, id: 'u-1', type: 'credit.unknown.v1' }, 'dev-court-token', 422, 'EVENT.UNKNOWN_TYPE'],
    ['schema violation', { ...listing, id: 'u-2', data: { ...listing.data, decidedOn: '2026-02-30' } }, 'dev-court-token', 422, 'EVENT.SCHEMA_VIOLATION'],
    ['bad check character', { ...listing, id: 'u-3', subject: ENTERPRISE.slice(0, 17) + 'A', data: { ...listing.data, subject: { ...listing.data.subject, id: ENTERPRISE.slice(0, 17) + 'A' } } }, 'dev-court-token', 422, 'SUBJECT.BAD_CHECK_DIGIT'],
    ['no credentials', listing, '', 401, 'DEPARTMENT.NOT_AUTHENTICATED'],
    ['publishing as another department', listing, 'dev-tax-token', 403, 'DEPARTMENT.SOURCE_MISMATCH'],
    ['an event type the department may not publish', { ...listing, id: 'u-4', source: '/departments/finance' }, 'dev-finance-token', 403, 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED'],
  ])('refuses %s with a 4xx, a code and a message, and nothing reaches the engine', async (_case, body, token, status, code) => {
    const [{ before }] = await db.query(`SELECT count(*)::int AS before FROM inbound_event`);
    const response = await publish(body, token);
    expect(response.status).toBe(status);
    const error = (await response.json()) as { code: string; detail: string };
    expect(error.code).toBe(code);
    expect(error.detail.length).toBeGreaterThan(10);
    const [{ after }] = await db.query(`SELECT count(*)::int AS after FROM inbound_event`);
    expect(after).toBe(before);
  });

  it('never shows a natural person\'s full identifier in an error', async () => {
    const badId = '510802199003071233';
    const body = { ...listing, id: 'u-5', data: { ...listing.data, relatedPersons: [{ ...listing.data.relatedPersons[0], id: badId }] } };
    const response = await publish(body);
    expect(response.status).toBe(422);
    expect(await response.text()).not.toContain(badId);
  });

  it('keeps an event accepted while the engine is down and decides it after a crash and restart', async () => {
    await engine.stop('SIGKILL');
    const event = { ...listing, id: '3f6d1c9e-2b7a-4c1e-9a51-0d2f7c3b8e02', data: { ...listing.data, documentNumber: '（2026）川0802执1235号' } };
    const cursor = (await readFeed('finance')).nextCursor;
    expect((await publish(event)).status).toBe(202);
    const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM inbound_event WHERE status = 'pending'`);
    expect(pending).toBe(1);

    engine = await AppProcess.start('decision-engine', env, await freePort());
    const page = await waitForFeed('finance', cursor);
    // The enterprise's second blacklisting of the suite: one decision, and with it the coordination case it opens (shipped criteria).
    expect(page.records.map((r) => (r as { kind: string }).kind).sort()).toEqual(['coordination.opened', 'decision.issued']);
    const [decision] = decisions(page);
    expect(decision.measures.find((m) => m.code === 'JD-01')?.target).toEqual({ role: 'subject' });
    expect(decision.subject?.id).toBe(ENTERPRISE);
    expect(page.records.find((r) => (r as { kind: string }).kind === 'coordination.opened')).toMatchObject({ criterion: { id: 'repeated-blacklisting' }, decisionIds: [decision.decisionId] });
  });

  it('serves OpenAPI documents generated from the controllers', async () => {
    const ingestDoc = (await (await fetch(`${ingest.baseUrl}/docs-json`)).json()) as { paths: Record<string, unknown> };
    const queryDoc = (await (await fetch(`${query.baseUrl}/docs-json`)).json()) as { paths: Record<string, unknown>; info: { description: string } };
    expect(Object.keys(ingestDoc.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/events/batch']));
    expect(Object.keys(queryDoc.paths)).toEqual(expect.arrayContaining(['/v1/feed', '/v1/subjects/{id}/check', '/v1/tasks/{taskId}/feedback', '/v1/performance', '/v1/events/{source}/{id}']));
    // The validity rule is stated once for every HTTP document.
    expect(queryDoc.info.description).toMatch(/validTo` is the last day in force, inclusive/);
    // What the apps serve is what docs/openapi holds, the documents the client is generated from.
    expect(ingestDoc).toEqual(JSON.parse(readFileSync(join(__dirname, '../../docs/openapi/ingest-api.json'), 'utf8')));
    expect(queryDoc).toEqual(JSON.parse(readFileSync(join(__dirname, '../../docs/openapi/query-api.json'), 'utf8')));
  });

  it('answers with security headers, no X-Powered-By, and nothing kept in caches', async () => {
    for (const response of [await fetch(`${query.baseUrl}/v1/feed?after=0`, { headers: { authorization: 'Bearer dev-finance-token' } }), await fetch(`${ingest.baseUrl}/v1/events`, { method: 'POST' })]) {
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    // The documents' page still loads its scripts under that policy.
    const page = await fetch(`${query.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('lists departments with the measures each implements', async () => {
    const { data: departments } = await queryClient(query.baseUrl).GET('/v1/departments');
    expect(departments!.find((d) => d.code === 'finance')!.implements.map((m) => m.code)).toContain('JD-01');
    expect(departments!.every((d) => !('credentials' in d))).toBe(true);
  });

  // Runs last: everything above was logged by now, bad input included (the apps log at LOG_LEVEL warn here).
  it("writes no resident ID and no person's name to any app's log", () => {
    const names = [listing.data.relatedPersons[0].name as string];
    for (const app of [ingest, engine, query]) {
      expect(app.log).not.toMatch(/\b\d{17}[\dX]\b/);
      for (const name of names) expect(app.log).not.toContain(name);
    }
  });
});
