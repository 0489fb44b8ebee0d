import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { AuditRetention } from '@app/engine';
import { AuditChainReport, AuditChainService, rowHash } from '@app/query';
import { AuditChainRepository, dataSourceOptions, MIGRATIONS, QueryAuditInput, QueryAuditRepository } from '@app/persistence';
import { appRoleUrl, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// query_audit's hash chain and its retention purge, against real PostgreSQL, written through
// the app role as the apps write it and attacked as the owner (the only role that can try).
const ROOT = resolve(__dirname, '../..');
const DAY = 86_400_000;

describe('query audit hash chain (real PostgreSQL)', () => {
  let ownerUrl: string;
  let owner: DataSource;
  let app: DataSource;
  let audits: QueryAuditRepository;
  let chain: AuditChainService;

  const entry = (overrides: Partial<QueryAuditInput> = {}): QueryAuditInput => ({
    at: new Date(),
    department: 'tax',
    userId: 'clerk-7',
    purpose: null,
    approvalItem: 'tax-services',
    subjectId: '91350200776049653A',
    subjectIdType: 'USCC',
    subjects: ['91350200776049653A'],
    endpoint: 'GET /v1/subjects/:id/check',
    resultCount: 0,
    ...overrides,
  });
  const write = async (count: number, overrides: Partial<QueryAuditInput> = {}) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await audits.record(entry({ resultCount: i, ...overrides }))).id);
    return ids;
  };
  /** As the owner would tamper: the append-only trigger switched off for one statement. */
  const tamper = (params: unknown[], ...statements: string[]) =>
    owner.transaction(async (manager) => {
      await manager.query('ALTER TABLE query_audit DISABLE TRIGGER query_audit_append_only');
      for (const sql of statements) await manager.query(sql, params);
      await manager.query('ALTER TABLE query_audit ENABLE TRIGGER query_audit_append_only');
    });
  const verifyCli = async (): Promise<{ code: number; output: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [resolve(ROOT, 'scripts/node-app.js'), resolve(ROOT, 'dist/apps/db-cli/src/main.js'), 'audit-verify'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: await appRoleUrl(ownerUrl), LOG_LEVEL: 'warn' },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  };

  beforeAll(async () => {
    ownerUrl = await ownTestDatabaseUrl('audit_chain');
    owner = await openTestDatabase(ownerUrl);
    // One connection: its rows all go to one lane, so a test knows which row follows which.
    app = await new DataSource(dataSourceOptions(await appRoleUrl(ownerUrl), { extra: { max: 1 } })).initialize();
    audits = new QueryAuditRepository(app);
    chain = new AuditChainService(new AuditChainRepository(app));
  });

  beforeEach(() => truncateAll(owner));

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it('chains every row to the one before it in its lane, in id order, also when checks are logged on many connections at once', async () => {
    await write(3);
    const pool = await new DataSource(dataSourceOptions(await appRoleUrl(ownerUrl), { extra: { max: 8 } })).initialize();
    try {
      const concurrent = new QueryAuditRepository(pool);
      await Promise.all(Array.from({ length: 40 }, (_, i) => concurrent.record(entry({ department: i % 2 ? 'tax' : 'finance', resultCount: i }))));
    } finally {
      await pool.destroy();
    }

    const rows = (await owner.query(`SELECT id::text, chain_lane AS lane, prev_hash, hash FROM query_audit ORDER BY query_audit.id`)) as { id: string; lane: number; prev_hash: Buffer; hash: Buffer }[];
    expect(rows).toHaveLength(43);
    const last = new Map<number, Buffer>();
    for (const row of rows) {
      expect(row.prev_hash.toString('hex')).toBe((last.get(row.lane) ?? Buffer.alloc(32)).toString('hex'));
      last.set(row.lane, row.hash);
    }
    expect(last.size).toBeGreaterThan(1);
    expect(await chain.verify()).toEqual({ intact: true, rows: 43, purgedBefore: '0' });
    expect(await verifyCli()).toEqual({ code: 0, output: 'query_audit: 43 rows, chain intact\n' });
  });

  it('hashes a canonical row, so the verifier outside the database agrees with the trigger', async () => {
    const [id] = await write(1, { at: new Date('2026-11-25T02:00:00.120Z'), userId: null, purpose: 'review' });
    const [row] = (await owner.query(`SELECT prev_hash, hash FROM query_audit WHERE id = $1`, [id])) as { prev_hash: Buffer; hash: Buffer }[];
    // jsonb's key order (shorter keys first), UTC, and no user_id: null columns are left out.
    const [{ lane }] = (await owner.query(`SELECT chain_lane AS lane FROM query_audit WHERE id = $1`, [id])) as { lane: number }[];
    const canonical =
      `{"at": "2026-11-25T02:00:00.12+00:00", "id": ${id}, "purpose": "review", "endpoint": "GET /v1/subjects/:id/check", "subjects": ["91350200776049653A"], ` +
      `"chain_lane": ${lane}, "department": "tax", "subject_id": "91350200776049653A", "result_count": 0, "approval_item": "tax-services", "subject_id_type": "USCC"}`;
    expect(rowHash(row.prev_hash, canonical).toString('hex')).toBe(row.hash.toString('hex'));
  });

  it('keeps earlier hashes when a nullable column is added later', async () => {
    await write(3);
    try {
      await owner.query(`ALTER TABLE query_audit ADD COLUMN test_extra text`);
      expect(await chain.verify()).toMatchObject({ intact: true, rows: 3 });
      await owner.query(`INSERT INTO query_audit (department, endpoint, test_extra) VALUES ('tax', 'x', 'something new')`);
      await write(1);
      expect(await chain.verify()).toMatchObject({ intact: true, rows: 5 });
    } finally {
      await truncateAll(owner);
      await owner.query(`ALTER TABLE query_audit DROP COLUMN IF EXISTS test_extra`);
    }
  });

  it('reports an owner UPDATE of one row at that row, with the expected and stored hash', async () => {
    const ids = await write(5);
    const [before] = (await owner.query(`SELECT hash FROM query_audit WHERE id = $1`, [ids[2]])) as { hash: Buffer }[];
    await tamper([ids[2]], `UPDATE query_audit SET subject_id = '110101199003074578' WHERE id = $1`);

    const report = (await chain.verify()) as Extract<AuditChainReport, { intact: false }>;
    expect(report).toMatchObject({ intact: false, rows: 2, broken: { kind: 'altered', id: ids[2], stored: before.hash.toString('hex'), after: `row ${ids[1]}` } });
    expect(report.broken.expected).toMatch(/^[0-9a-f]{64}$/);
    expect(report.broken.expected).not.toBe(report.broken.stored);
    expect(report.broken.at).toBeInstanceOf(Date);

    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`row ${ids[2]} (`);
    expect(cli.output).toContain(`was altered: its content does not give its stored hash; expected ${report.broken.expected}, stored ${report.broken.stored}`);
  });

  it('reports a row rewritten together with its hash at the next row', async () => {
    const ids = await write(4);
    await tamper(
      [ids[1]],
      `UPDATE query_audit SET purpose = 'nothing to see' WHERE id = $1`,
      `UPDATE query_audit q SET hash = query_audit_row_hash(q.prev_hash, q) WHERE id = $1`,
    );
    expect(await chain.verify()).toMatchObject({ intact: false, rows: 2, broken: { kind: 'unlinked', id: ids[2], after: `row ${ids[1]}` } });
  });

  it('reports a row deleted from the middle at the row after it', async () => {
    const ids = await write(5);
    await owner.transaction(async (manager) => {
      // The owner may raise the purge switch (it owns the table, so it could drop the trigger anyway); the chain still shows it.
      await manager.query(`SET LOCAL credit.audit_purge = 'on'`);
      await manager.query(`DELETE FROM query_audit WHERE id = $1`, [ids[2]]);
    });
    const report = (await chain.verify()) as Extract<AuditChainReport, { intact: false }>;
    expect(report).toMatchObject({ intact: false, rows: 2, broken: { kind: 'unlinked', id: ids[3], after: `row ${ids[1]}` } });
    expect((await verifyCli()).output).toContain(`row ${ids[3]} (`);
  });

  it('reports the newest rows deleted against the chain head', async () => {
    const ids = await write(4);
    await tamper([ids[2]], `DELETE FROM query_audit WHERE id >= $1`);
    expect(await chain.verify()).toMatchObject({ intact: false, rows: 2, broken: { kind: 'head-missing', id: ids[3], after: `row ${ids[1]}` } });
  });

  it('purges only rows past five years, through the function, and the chain stays verifiable from its anchor', async () => {
    const now = Date.now();
    const old = await write(3, { at: new Date(now - 2000 * DAY) });
    const young = await write(1, { at: new Date(now - 10 * DAY) });
    // Written out of time order (an app with a slow clock): the purge stops at the young row before it.
    const lateOld = await write(1, { at: new Date(now - 1900 * DAY) });

    expect(await audits.purgeOlderThan(1826)).toMatchObject({ kind: 'purged', rows: 3 });
    const left = ((await owner.query(`SELECT id::text FROM query_audit ORDER BY query_audit.id`)) as { id: string }[]).map((r) => r.id);
    expect(left).toEqual([...young, ...lateOld]);
    expect(await chain.verify()).toEqual({ intact: true, rows: 2, purgedBefore: old[2] });

    await write(2);
    expect(await audits.purgeOlderThan(1826)).toMatchObject({ kind: 'purged', rows: 0 });
    expect(await chain.verify()).toEqual({ intact: true, rows: 4, purgedBefore: old[2] });
    expect((await verifyCli()).output).toBe(`query_audit: 4 rows (rows up to ${old[2]} purged), chain intact\n`);
  });

  it('purges at five years from the scheduler even when AUDIT_RETENTION_DAYS is shorter (allowed outside production)', async () => {
    const now = Date.now();
    const [old] = await write(1, { at: new Date(now - 2000 * DAY) });
    const young = await write(1, { at: new Date(now - 40 * DAY) });
    const service = new AuditRetention(audits, { AUDIT_RETENTION_DAYS: 30 } as AppConfig, { now: () => new Date(now) });
    expect(await service.purgeExpired()).toMatchObject({ kind: 'purged', rows: 1 });
    expect(await chain.verify()).toEqual({ intact: true, rows: 1, purgedBefore: old });
    expect(((await owner.query(`SELECT id::text FROM query_audit`)) as { id: string }[]).map((r) => r.id)).toEqual(young);
  });

  it('refuses the app role everything that would rewrite the log, with the database\'s own errors', async () => {
    const [id] = await write(1, { at: new Date(Date.now() - 3 * DAY) });
    const refused = (sql: string, params: unknown[] = []) => app.query(sql, params).then(() => 'accepted', (error: { code?: string; message: string }) => `${error.code}: ${error.message}`);

    expect(await refused(`UPDATE query_audit SET department = 'court' WHERE id = $1`, [id])).toBe('42501: permission denied for table query_audit');
    expect(await refused(`DELETE FROM query_audit WHERE id = $1`, [id])).toBe('42501: permission denied for table query_audit');
    expect(await refused(`TRUNCATE query_audit`)).toBe('42501: permission denied for table query_audit');
    expect(await refused(`ALTER TABLE query_audit DISABLE TRIGGER query_audit_append_only`)).toBe('42501: must be owner of table query_audit');
    expect(await refused(`DROP TRIGGER query_audit_chain_link ON query_audit`)).toBe('42501: must be owner of relation query_audit');
    expect(await refused(`SET session_replication_role = replica`)).toBe('42501: permission denied to set parameter "session_replication_role"');
    expect(await refused(`UPDATE query_audit_chain SET head_id = 0`)).toBe('42501: permission denied for table query_audit_chain');
    expect(await refused(`CREATE TABLE query_audit_copy (id bigint)`)).toMatch(/^42501: permission denied for schema /);
    // The old purge switch gives the app role nothing: it has no DELETE at all.
    const switched = await app.transaction(async (manager) => {
      await manager.query(`SET LOCAL credit.audit_purge = 'on'`);
      return manager.query(`DELETE FROM query_audit`).then(() => 'accepted', (error: { code?: string }) => error.code);
    });
    expect(switched).toBe('42501');
    // A purge of young rows is refused by the database's clock, whatever the app's clock says.
    expect(await refused(`SELECT purge_query_audit(now())`)).toMatch(/^42501: query_audit purge refused: rows are kept 1826 days/);
    expect(await audits.purgeOlderThan(1826, new Date(Date.now() + 2000 * DAY))).toMatchObject({ kind: 'refused' });
    expect(await audits.purgeOlderThan(1, new Date())).toMatchObject({ kind: 'refused' });

    expect((await owner.query(`SELECT count(*)::int AS n FROM query_audit`))[0].n).toBe(1);
    expect(await chain.verify()).toMatchObject({ intact: true, rows: 1 });
  });
});

describe('query audit hash chain: rows logged before it existed', () => {
  it('are chained by the migration, in id order, and later rows continue the chain', async () => {
    const url = await ownTestDatabaseUrl('audit_backfill');
    const reset = await new DataSource(dataSourceOptions(url)).initialize();
    await reset.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    await reset.destroy();
    const before = MIGRATIONS.findIndex((m) => m.name.startsWith('AppRole'));
    let db = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, before) })).initialize();
    try {
      await db.runMigrations({ transaction: 'each' });
      await db.query(
        `INSERT INTO query_audit (at, department, user_id, purpose, approval_item, subject_id, endpoint, result_count) VALUES
           ('2021-01-04T01:00:00Z', 'tax', 'clerk-1', NULL, 'tax-services', '91350200776049653A', 'GET /v1/subjects/:id/check', 1),
           ('2024-06-30T16:00:00.5Z', 'finance', NULL, 'review own query log', NULL, NULL, 'GET /v1/audit/queries', 0),
           (now(), 'court', NULL, NULL, NULL, NULL, 'GET /v1/feed', 3)`,
      );
      // A rolled-back insert leaves a gap in the ids: the chain does not count on consecutive ids.
      await db.transaction((manager) => manager.query(`INSERT INTO query_audit (department, endpoint) VALUES ('x', 'y')`).then(() => Promise.reject(new Error('rolled back')))).catch(() => undefined);
      await db.query(`INSERT INTO query_audit (department, endpoint, subjects, result_count) VALUES ('tax', 'GET /v1/tasks', ARRAY['91350200776049653A'], 1)`);
      await db.destroy();

      db = await new DataSource(dataSourceOptions(url)).initialize();
      await db.runMigrations({ transaction: 'each' });
      const verify = () => new AuditChainService(new AuditChainRepository(db)).verify();
      expect(await verify()).toEqual({ intact: true, rows: 4, purgedBefore: '0' });
      await new QueryAuditRepository(db).record({ at: new Date(), department: 'tax', userId: null, purpose: null, approvalItem: null, subjectId: null, subjectIdType: null, subjects: ['91350200776049653A'], endpoint: 'GET /v1/feed', resultCount: 1 });
      expect(await verify()).toEqual({ intact: true, rows: 5, purgedBefore: '0' });
      const ids = ((await db.query(`SELECT id::int FROM query_audit ORDER BY 1`)) as { id: number }[]).map((r) => r.id);
      expect(ids).toEqual([1, 2, 3, 5, 6]);
    } finally {
      await db.destroy();
    }
  });
});
