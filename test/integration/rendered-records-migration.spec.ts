import { DataSource } from 'typeorm';
import { dataSourceOptions, FeedRepository, MIGRATIONS } from '@app/persistence';
import { ownTestDatabaseUrl } from '../support/database';

// Feed rows written while every record was stored whole, migrated to rendered records: they are served as stored.
const BEFORE = MIGRATIONS.findIndex((m) => m.name.startsWith('IssuedRecordsRendered'));

describe('migration 1765324800000: records stored whole before rendering', () => {
  let db: DataSource;
  const decisionId = '00000000-0000-8000-8000-000000000001';
  const issued = { schemaVersion: 4, recordId: '00000000-0000-8000-8000-0000000000a1', kind: 'decision.issued', department: 'finance', decisionId, issuedAt: '2026-11-01T02:00:00.000Z', measures: [{ taskId: 't', text: { zh: '限制', en: 'Restrict' } }] };
  const revoked = { schemaVersion: 4, recordId: '00000000-0000-8000-8000-0000000000a2', kind: 'decision.revoked', department: 'finance', decisionId, reason: 'removed', occurredAt: '2026-11-02T02:00:00.000Z' };

  beforeAll(async () => {
    expect(BEFORE).toBeGreaterThan(0);
    const url = await ownTestDatabaseUrl('rendered_migration');
    const reset = await new DataSource(dataSourceOptions(url)).initialize();
    await reset.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    await reset.destroy();
    db = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, BEFORE) })).initialize();
    await db.runMigrations({ transaction: 'each' });
    await db.query(
      `INSERT INTO decision (id, cause_event_source, cause_event_id, memorandum_id, memorandum_version, rule_set_revision, record)
       VALUES ($1, '/departments/court', 'old-1', 'judgment-debtors', '1.0.0', 'r', '{"addressees":["finance"],"listEntries":[],"measureTasks":[]}')`,
      [decisionId],
    );
    for (const record of [issued, revoked]) {
      await db.query(`INSERT INTO feed_record (record_id, department, kind, decision_id, subject_id, cause_key, payload) VALUES ($1, 'finance', $2, $3, 'S1', 'old', $4)`, [
        record.recordId,
        record.kind,
        decisionId,
        record,
      ]);
    }
    await db.destroy();
    db = await new DataSource(dataSourceOptions(url)).initialize();
    await db.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('keeps their payloads and serves them as stored, on the feed and to the relay', async () => {
    const feed = new FeedRepository(db);
    expect((await feed.readAfter('finance', '0', 10)).map((r) => r.payload)).toEqual([issued, revoked]);
    expect((await feed.unpublished(db.manager, 10)).map((r) => JSON.parse(r.payloadJson))).toEqual([issued, revoked]);
    const [decision] = await db.query(`SELECT issued_at, memorandum FROM decision WHERE id = $1`, [decisionId]);
    expect(decision).toEqual({ issued_at: null, memorandum: null });
  });
});
