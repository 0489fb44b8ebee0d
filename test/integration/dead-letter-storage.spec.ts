import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { readDeadLetterKeyring } from '@app/config';
import { DeadLetterCipher, DeadLetterCipherError, DeadLetterRepository } from '@app/persistence';
import { openTestDatabase } from '../support/database';

// Real PostgreSQL, the real repository and cipher: what lands in the dead_letter table.
const RESIDENT_ID = '510802199003071233';
const NAME = '王小明';
const KEYS = `new:${'3c'.repeat(32)},old:${'4d'.repeat(32)}`;

describe('dead_letter storage: the message sealed, nothing personal in clear', () => {
  let db: DataSource;
  let repository: DeadLetterRepository;

  const cipherWith = (settings: Parameters<typeof readDeadLetterKeyring>[0]) => new DeadLetterCipher(readDeadLetterKeyring(settings).keyring!);
  const event = (id: string, source = '/departments/court') =>
    JSON.stringify({
      specversion: '1.0',
      id,
      source,
      type: 'credit.judgment-debtor.listed.v1',
      subject: '91510802MA62X6YB3K',
      data: { relatedPersons: [{ role: 'legal-representative', idType: 'RESIDENT_ID', id: RESIDENT_ID, name: NAME }], reason: `${NAME}拒不履行` },
    });
  /** Every clear column as text (the sealed body's hex could hold any digit run), and the body's bytes. */
  const rowText = async (eventId: string): Promise<{ clear: string; sealed: Buffer }> => {
    const [row] = await db.query(`SELECT (to_jsonb(d) - 'sealed')::text AS clear, sealed FROM dead_letter d WHERE event_id = $1`, [eventId]);
    return row;
  };
  const idOf = async (eventId: string): Promise<string> => (await db.query(`SELECT id::text AS id FROM dead_letter WHERE event_id = $1`, [eventId]))[0].id;

  beforeAll(async () => {
    db = await openTestDatabase();
    repository = new DeadLetterRepository(db, cipherWith({ DEAD_LETTER_KEYS: KEYS }));
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('stores no resident ID and no name in any column, and opens to the message as received', async () => {
    const eventId = randomUUID();
    const raw = event(eventId);
    await repository.record([{ errorCode: 'SUBJECT.BAD_CHECK_DIGIT', message: 'bad check character', raw, topic: 'credit.events.v1', partition: 1, offset: `${Date.now()}`, source: '/departments/court', eventId }]);

    const { clear, sealed } = await rowText(eventId);
    expect(clear).not.toMatch(/\d{17}[\dX]/);
    expect(clear).not.toContain(NAME);
    expect(clear).toContain('"key_id": "new"');
    expect(sealed.includes(Buffer.from(RESIDENT_ID))).toBe(false);
    expect(sealed.includes(Buffer.from(NAME))).toBe(false);
    const [row] = await db.query(
      `SELECT key_id AS "keyId", department, event_type AS "eventType", size_bytes AS "sizeBytes", preview, octet_length(sealed) AS "sealedBytes" FROM dead_letter WHERE event_id = $1`,
      [eventId],
    );
    expect(row).toMatchObject({ keyId: 'new', department: 'court', eventType: 'credit.judgment-debtor.listed.v1', sizeBytes: Buffer.byteLength(raw) });
    expect(row.sealedBytes).toBeGreaterThan(Buffer.byteLength(raw));
    expect(row.preview).toContain('510802********1233');

    const stored = (await repository.find(await idOf(eventId)))!;
    expect(stored.body).toBe('sealed');
    expect(repository.open(stored)).toBe(raw);
  });

  it('keeps a message that is not JSON, NUL in its origin included, and still opens it', async () => {
    const eventId = `${randomUUID()}\u0000`;
    const raw = `{"specversion": "1.0", "id": "${RESIDENT_ID}", "name": "${NAME}`;
    await repository.record([{ errorCode: 'EVENT.MALFORMED_JSON', message: 'not JSON', raw, source: '/departments/tax', eventId }]);
    const stored = (await repository.find(await idOf(eventId.replace('\u0000', '\ufffd'))))!;
    expect(stored).toMatchObject({ department: 'tax', eventType: null, preview: '{"***********": "*.*", "**": "510802********1233", "****": "***' });
    expect(repository.open(stored)).toBe(raw);
  });

  it("names the department's own topic as the owner over the source it claims", async () => {
    const eventId = randomUUID();
    await repository.record([{ errorCode: 'DEPARTMENT.SOURCE_MISMATCH', message: 'm', raw: event(eventId), topic: `t.x.credit.events.tax.v1`, partition: 0, offset: `${Date.now()}`, source: '/departments/court', eventId }]);
    expect((await repository.find(await idOf(eventId)))!.department).toBe('tax');
  });

  it('refuses to open a body whose row was moved to another department', async () => {
    const eventId = randomUUID();
    await repository.record([{ errorCode: 'EVENT.SCHEMA_VIOLATION', message: 'm', raw: event(eventId), source: '/departments/court', eventId }]);
    await db.query(`UPDATE dead_letter SET department = 'finance' WHERE event_id = $1`, [eventId]);
    const moved = (await repository.find(await idOf(eventId)))!;
    expect(() => repository.open(moved)).toThrow(expect.objectContaining({ code: 'DEAD_LETTER.UNREADABLE' }) as unknown as DeadLetterCipherError);
  });

  it('opens rows sealed before a rotation, and seals new ones with the new key', async () => {
    const before = randomUUID();
    await new DeadLetterRepository(db, cipherWith({ DEAD_LETTER_KEYS: KEYS, DEAD_LETTER_ACTIVE_KEY_ID: 'old' })).record([{ errorCode: 'EVENT.UNKNOWN_TYPE', message: 'm', raw: event(before), source: '/departments/court', eventId: before }]);
    const after = randomUUID();
    await repository.record([{ errorCode: 'EVENT.UNKNOWN_TYPE', message: 'm', raw: event(after), source: '/departments/court', eventId: after }]);
    const [old, fresh] = [(await repository.find(await idOf(before)))!, (await repository.find(await idOf(after)))!];
    expect([old.keyId, fresh.keyId]).toEqual(['old', 'new']);
    expect(repository.open(old)).toBe(event(before));
    const retired = new DeadLetterRepository(db, cipherWith({ DEAD_LETTER_KEYS: `new:${'3c'.repeat(32)}` }));
    expect(() => retired.open(old)).toThrow(expect.objectContaining({ code: 'DEAD_LETTER.KEY_UNAVAILABLE' }) as unknown as DeadLetterCipherError);
    expect(retired.open(fresh)).toBe(event(after));
  });
});
