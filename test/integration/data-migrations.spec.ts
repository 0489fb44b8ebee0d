import { DataSource } from 'typeorm';
import { CreditEvent, eventContentHash } from '@app/domain';
import { dataSourceOptions, MIGRATIONS } from '@app/persistence';
import { ownTestDatabaseUrl } from '../support/database';

// Rows written before validity became inclusive and instruments were catalogued are carried over:
// a database at the earlier schema, filled as the engine then filled it, migrated to the current one.
const BEFORE = MIGRATIONS.findIndex((m) => m.name.startsWith('IntakeIdentity'));

describe('data migrations of stored decisions', () => {
  let db: DataSource;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('migrations');
    const reset = await new DataSource(dataSourceOptions(url)).initialize();
    await reset.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    await reset.destroy();
    db = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, BEFORE) })).initialize();
    await db.runMigrations({ transaction: 'each' });

    const envelope = (decidedOn: string, documentNumber: string, extra: Record<string, unknown> = {}) => ({ data: { decidedOn, documentNumber, ...extra } });
    await db.query(
      `INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport) VALUES
         ('/departments/court', 'old-1', 'credit.judgment-debtor.listed.v1', 'S1', $1, 'processed', 'http'),
         ('/departments/court', 'old-2', 'credit.judgment-debtor.listed.v1', 'S2', $2, 'processed', 'http')`,
      [envelope('2024-03-01', '（2024）川0802执1号'), envelope('2024-03-01', '（2024）川0802执2号', { conductEndedOn: '2020-06-30' })],
    );
    await db.query(
      `INSERT INTO decision (id, cause_event_source, cause_event_id, memorandum_id, memorandum_version, rule_set_revision, record) VALUES
         ('00000000-0000-8000-8000-000000000001', '/departments/court', 'old-1', 'judgment-debtors', '1.0.0', 'r', $1),
         ('00000000-0000-8000-8000-000000000002', '/departments/court', 'old-2', 'judgment-debtors', '1.0.0', 'r', $1)`,
      [{ addressees: ['civilisation-office', 'court', 'finance', 'market-regulation'], listEntries: [{ id: 'e', validTo: '2026-03-01' }], measureTasks: [{ id: 't', validTo: '2026-03-01' }, { id: 'u', validTo: '2026-02-01' }] }],
    );
    for (const [n, subject] of [[1, 'S1'], [2, 'S2']] as const) {
      await db.query(
        `INSERT INTO list_entry (id, decision_id, memorandum_id, memorandum_version, list_code, list_type, subject_kind, subject_id_type, subject_id, subject_name, document_number, identifying_department, valid_from, valid_to, explanation)
         VALUES ($1, $2, 'judgment-debtors', '1.0.0', 'judgment-debtor', 'black', 'enterprise', 'USCC', $3, '某公司', 'D', 'court', '2024-03-01', '2026-03-01', '{}')`,
        [`00000000-0000-8000-8000-00000000010${n}`, `00000000-0000-8000-8000-00000000000${n}`, subject],
      );
      await db.query(
        `INSERT INTO measure_task (id, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, legal_basis, target_role, target_id_type, target_id, target_name, valid_from, valid_to, explanation)
         VALUES ($1, $2, $3, 'judgment-debtors', 'JD-01', 'restrict', '{}', 'finance', $4, 'subject', 'USCC', $5, '某公司', '2024-03-01', '2026-03-01', '{}')`,
        [
          `00000000-0000-8000-8000-00000000020${n}`,
          `00000000-0000-8000-8000-00000000000${n}`,
          `00000000-0000-8000-8000-00000000010${n}`,
          JSON.stringify([
            { instrument: '《中华人民共和国政府采购法》', article: '第二十二条第一款' },
            { instrument: '《某个不在目录中的文件》', article: '第一条' },
          ]),
          subject,
        ],
      );
    }
    await db.destroy();
    db = await new DataSource(dataSourceOptions(url)).initialize();
    await db.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('makes validTo the last day in force, in rows and in the decisions kept whole', async () => {
    expect(await db.query(`SELECT subject_id AS "subjectId", valid_to::text AS "validTo" FROM list_entry ORDER BY subject_id`)).toEqual([
      { subjectId: 'S1', validTo: '2026-02-28' },
      // Conduct ended 2020-06-30: usable through 2025-06-30, so the entry is cut back to it (the scheduler ends it next).
      { subjectId: 'S2', validTo: '2025-06-30' },
    ]);
    const [{ record }] = await db.query(`SELECT record FROM decision WHERE cause_event_id = 'old-1'`);
    expect(record.listEntries).toEqual([{ id: 'e', validTo: '2026-02-28' }]);
    expect(record.measureTasks).toEqual([{ id: 't', validTo: '2026-02-28' }, { id: 'u', validTo: '2026-01-31' }]);
    // Addressed when every signatory was: now only the publisher and identifying department, and finance with its JD-01 task.
    expect(record.addressees).toEqual(['court', 'finance']);
  });

  it('records when the conduct ended and the last usable day, defaulting to the decision date', async () => {
    expect(await db.query(`SELECT subject_id AS "subjectId", conduct_ended_on::text AS "conductEndedOn", last_usable_on::text AS "lastUsableOn" FROM list_entry ORDER BY subject_id`)).toEqual([
      { subjectId: 'S1', conductEndedOn: '2024-03-01', lastUsableOn: '2029-03-01' },
      { subjectId: 'S2', conductEndedOn: '2020-06-30', lastUsableOn: '2025-06-30' },
    ]);
    expect(await db.query(`SELECT document_number AS "documentNumber" FROM measure_task ORDER BY target_id`)).toEqual([{ documentNumber: '（2024）川0802执1号' }, { documentNumber: '（2024）川0802执2号' }]);
  });

  it('turns instruments cited by title into the catalogued instrument, leaving an unknown title as it was', async () => {
    const [{ basis }] = await db.query(`SELECT legal_basis AS basis FROM measure_task WHERE target_id = 'S1'`);
    expect(basis).toEqual([
      { instrument: { id: 'government-procurement-law', title: '《中华人民共和国政府采购法》', documentNumber: null, level: 'law', version: '2014年修正' }, article: '第二十二条第一款' },
      { instrument: '《某个不在目录中的文件》', article: '第一条' },
    ]);
  });

  it('gives events accepted before content hashes their hash, as the intake computes it', async () => {
    const rows: { envelope: CreditEvent; contentHash: string }[] = await db.query(`SELECT envelope, content_hash AS "contentHash" FROM inbound_event ORDER BY event_id`);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.contentHash).toBe(eventContentHash(row.envelope));
    expect(new Set(rows.map((r) => r.contentHash)).size).toBe(2);
  });
});
