import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { readDeadLetterKeyring } from '@app/config';
import { DeadLetterCipher, DeadLetterInput, DeadLetterRepository } from '@app/persistence';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// The publishing department reads its dead letters through the query API, with the key the
// API is configured with; the rows are written as the engine writes them (the real repository
// and cipher), because the embedded transport refuses bad events at HTTP and dead-letters none.
const KEYS = `e2e-2026:${'7a'.repeat(32)}`;
const RESIDENT_ID = '510802199003071233';
const NAME = '王小明';
const SUBJECT = '91510802MA62X6YB3K';
const READ_ENDPOINT = 'GET /v1/dead-letters/:id';

interface Letter {
  id: string;
  raw: string;
}

describe('GET /v1/dead-letters: the publishing department reads its own, audited', () => {
  let db: DataSource;
  let query: AppProcess;
  let court: Letter;
  let unknownSource: Letter;
  let noSource: Letter;

  const get = (path: string, token?: string, userId?: string) =>
    fetch(`${query.baseUrl}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(userId ? { 'x-user-id': userId } : {}) } });
  const auditRows = (department: string) =>
    db.query(`SELECT user_id AS "userId", purpose, subject_id AS "subjectId", result_count AS "resultCount" FROM query_audit WHERE department = $1 AND endpoint = $2`, [department, READ_ENDPOINT]);

  beforeAll(async () => {
    db = await openTestDatabase();
    const repository = new DeadLetterRepository(db, new DeadLetterCipher(readDeadLetterKeyring({ DEAD_LETTER_KEYS: KEYS }).keyring!));
    const record = async (letter: Omit<DeadLetterInput, 'eventId'> & { eventId: string }): Promise<Letter> => {
      await repository.record([letter]);
      const [{ id }] = await db.query(`SELECT id::text AS id FROM dead_letter WHERE event_id = $1`, [letter.eventId]);
      return { id, raw: letter.raw };
    };
    const event = (id: string, source: string) =>
      JSON.stringify({ specversion: '1.0', id, source, type: 'credit.judgment-debtor.listed.v1', subject: SUBJECT, data: { relatedPersons: [{ idType: 'RESIDENT_ID', id: RESIDENT_ID, name: NAME }] } });
    const courtId = randomUUID();
    court = await record({ errorCode: 'SUBJECT.BAD_CHECK_DIGIT', message: 'bad check character', raw: event(courtId, '/departments/court'), topic: 'credit.events.v1', partition: 0, offset: `${Date.now()}`, source: '/departments/court', eventId: courtId });
    const magicId = randomUUID();
    unknownSource = await record({ errorCode: 'DEPARTMENT.UNKNOWN', message: 'not a registered department', raw: event(magicId, '/departments/ministry-of-magic'), source: '/departments/ministry-of-magic', eventId: magicId });
    // No readable identity: found by its origin instead.
    const offset = `${Date.now() + 1}`;
    await repository.record([{ errorCode: 'EVENT.MALFORMED_JSON', message: 'not JSON', raw: `{"id": "${RESIDENT_ID}", "name": "${NAME}`, topic: 'credit.events.v1', partition: 9, offset }]);
    const [{ id }] = await db.query(`SELECT id::text AS id FROM dead_letter WHERE partition = 9 AND kafka_offset = $1`, [offset]);
    noSource = { id, raw: `{"id": "${RESIDENT_ID}", "name": "${NAME}` };

    // As in production: the query API runs as the least-privilege role.
    query = await AppProcess.start('query-api', { ...(await appRoleEnv(testDatabaseUrl())), DEAD_LETTER_KEYS: KEYS, CALENDAR_RELOAD_INTERVAL_MS: '0' }, await freePort());
  });

  afterAll(async () => {
    await query?.stop();
    await db?.destroy();
  });

  it('gives the publishing department the message as received, and writes an audit row', async () => {
    const before = (await auditRows('court')).length;
    const response = await get(`/v1/dead-letters/${court.id}`, 'dev-court-token', 'clerk-17');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: court.id, raw: court.raw, body: 'sealed', department: 'court', errorCode: 'SUBJECT.BAD_CHECK_DIGIT', eventType: 'credit.judgment-debtor.listed.v1', source: '/departments/court' });
    expect(body).not.toHaveProperty('sealed');
    expect(body).not.toHaveProperty('keyId');
    const rows = await auditRows('court');
    expect(rows).toHaveLength(before + 1);
    expect(rows).toContainEqual({ userId: 'clerk-17', purpose: 'read own dead letter', subjectId: SUBJECT, resultCount: 1 });
    const [{ subjects }] = await db.query(`SELECT subjects FROM query_audit WHERE department = 'court' AND endpoint = $1 AND user_id = 'clerk-17' ORDER BY id DESC LIMIT 1`, [READ_ENDPOINT]);
    expect(subjects).toContain(SUBJECT);
  });

  it("answers another department 404, exactly as for an id that does not exist, and audits nothing for it", async () => {
    const before = (await auditRows('tax')).length;
    const other = await get(`/v1/dead-letters/${court.id}`, 'dev-tax-token');
    const missing = await get('/v1/dead-letters/999999999999', 'dev-tax-token');
    expect([other.status, missing.status]).toEqual([404, 404]);
    const [a, b] = [(await other.json()) as { code: string; detail: string }, (await missing.json()) as { code: string; detail: string }];
    expect(a.code).toBe('DEAD_LETTER.NOT_FOUND');
    expect(b.code).toBe('DEAD_LETTER.NOT_FOUND');
    expect(a.detail.replace(court.id, 'N')).toBe(b.detail.replace('999999999999', 'N'));
    expect(JSON.stringify(a)).not.toContain(RESIDENT_ID);
    expect(await auditRows('tax')).toHaveLength(before);
  });

  it('refuses a call without a token (401) and an id that is not one (404)', async () => {
    const anonymous = await get(`/v1/dead-letters/${court.id}`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('DEPARTMENT.NOT_AUTHENTICATED');
    expect((await get('/v1/dead-letters', undefined)).status).toBe(401);
    for (const id of ['abc', '0', '1e3', '-1', '12345678901234567890']) expect({ id, status: (await get(`/v1/dead-letters/${id}`, 'dev-court-token')).status }).toEqual({ id, status: 404 });
  });

  it('gives a dead letter of no known department to the credit office only', async () => {
    for (const letter of [unknownSource, noSource]) {
      expect((await get(`/v1/dead-letters/${letter.id}`, 'dev-court-token')).status).toBe(404);
      const response = await get(`/v1/dead-letters/${letter.id}`, 'dev-credit-office-token');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { raw: string }).raw).toBe(letter.raw);
    }
    expect(await auditRows('credit-office')).toEqual(expect.arrayContaining([expect.objectContaining({ subjectId: SUBJECT }), expect.objectContaining({ subjectId: null })]));
  });

  it("lists a department's own dead letters without their bodies or anything personal", async () => {
    const own = (await (await get('/v1/dead-letters?limit=200', 'dev-court-token')).json()) as { deadLetters: { id: string; preview: string; sizeBytes: number }[]; nextCursor: string };
    const mine = own.deadLetters.find((l) => l.id === court.id)!;
    expect(mine).toMatchObject({ sizeBytes: Buffer.byteLength(court.raw), preview: expect.stringContaining('510802********1233') });
    expect(mine).not.toHaveProperty('raw');
    expect(own.deadLetters.map((l) => l.id)).not.toEqual(expect.arrayContaining([unknownSource.id]));
    const text = JSON.stringify(own);
    expect(text).not.toContain(RESIDENT_ID);
    expect(text).not.toContain(NAME);

    const tax = (await (await get('/v1/dead-letters?limit=200', 'dev-tax-token')).json()) as { deadLetters: { id: string }[] };
    expect(tax.deadLetters.map((l) => l.id)).not.toContain(court.id);
    const office = (await (await get('/v1/dead-letters?limit=200', 'dev-credit-office-token')).json()) as { deadLetters: { id: string }[] };
    expect(office.deadLetters.map((l) => l.id)).toEqual(expect.arrayContaining([unknownSource.id, noSource.id]));
    expect(office.deadLetters.map((l) => l.id)).not.toContain(court.id);

    expect((await get('/v1/dead-letters?after=x', 'dev-court-token')).status).toBe(400);
    expect((await get('/v1/dead-letters?limit=0', 'dev-court-token')).status).toBe(400);
  });

  // Runs last: every read above was logged by now.
  it("writes no resident ID and no person's name to the query API's log", () => {
    expect(query.log).not.toMatch(/\b\d{17}[\dX]\b/);
    expect(query.log).not.toContain(NAME);
  });
});
