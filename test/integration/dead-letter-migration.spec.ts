import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '@app/persistence';
import { ownTestDatabaseUrl } from '../support/database';

// Dead letters stored in clear before bodies were sealed: a database at the earlier schema,
// filled as the engine then filled it, migrated to the current one.
const BEFORE = MIGRATIONS.findIndex((m) => m.name.startsWith('DeadLetterPersonalData'));
const RESIDENT_ID = '510802199003071233';
const NAME = '王小明';

describe('migration: dead letters kept in clear are masked', () => {
  let db: DataSource;
  const structured = JSON.stringify({
    specversion: '1.0',
    id: 'old-1',
    source: '/departments/court',
    type: 'credit.judgment-debtor.listed.v1',
    data: { relatedPersons: [{ id: RESIDENT_ID, name: NAME }] },
  });
  const truncated = `{"specversion": "1.0", "id": "old-2", "data": {"id": "${RESIDENT_ID}", "name": "${NAME}`;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('dead_letter_migration');
    const reset = await new DataSource(dataSourceOptions(url)).initialize();
    await reset.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    await reset.destroy();
    db = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, BEFORE) })).initialize();
    await db.runMigrations({ transaction: 'each' });
    await db.query(
      `INSERT INTO dead_letter (error_code, message, raw, topic, partition, kafka_offset, source, event_id) VALUES
         ('SUBJECT.BAD_CHECK_DIGIT', 'bad check character', $1, 'credit.events.v1', 0, '7', '/departments/court', 'old-1'),
         ('EVENT.MALFORMED_JSON', 'not JSON', $2, 'credit.events.v1', 0, '8', NULL, NULL)`,
      [structured, truncated],
    );
    await db.destroy();
    db = await new DataSource(dataSourceOptions(url)).initialize();
    await db.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('leaves no resident ID and no name in any column, and no raw column', async () => {
    const rows: { text: string }[] = await db.query(`SELECT row_to_json(d)::text AS text FROM dead_letter d ORDER BY id`);
    expect(rows).toHaveLength(2);
    for (const { text } of rows) {
      expect(text).not.toContain(RESIDENT_ID);
      expect(text).not.toContain(NAME);
      expect(text).not.toMatch(/\d{17}[\dX]/);
    }
    const columns: { name: string }[] = await db.query(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'dead_letter'`);
    expect(columns.map((c) => c.name)).not.toContain('raw');
  });

  it('keeps what an operator needs in clear: preview, size, type and department; no body, no key', async () => {
    const rows = await db.query(
      `SELECT error_code AS "errorCode", preview, size_bytes AS "sizeBytes", event_type AS "eventType", department, key_id AS "keyId", sealed FROM dead_letter ORDER BY id`,
    );
    expect(rows).toEqual([
      { errorCode: 'SUBJECT.BAD_CHECK_DIGIT', preview: expect.stringContaining('"type":"credit.judgment-debtor.listed.v1"'), sizeBytes: Buffer.byteLength(structured), eventType: 'credit.judgment-debtor.listed.v1', department: 'court', keyId: null, sealed: null },
      { errorCode: 'EVENT.MALFORMED_JSON', preview: expect.stringContaining('510802********1233'), sizeBytes: Buffer.byteLength(truncated), eventType: null, department: null, keyId: null, sealed: null },
    ]);
  });

  it('refuses a key id without a body, and a body without a key id', async () => {
    await expect(db.query(`UPDATE dead_letter SET key_id = 'k' WHERE event_id = 'old-1'`)).rejects.toMatchObject({ code: '23514' });
  });
});
