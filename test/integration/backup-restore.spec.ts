import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions, QueryAuditRepository } from '@app/persistence';
import { appRoleUrl, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// The operator's backup drill (README "Backups"), run as an operator runs it: pg_dump of a
// database holding a query log, restored into a scratch database, checked by db:status and
// audit:verify. A dump of an altered log must fail the drill.
const ROOT = resolve(__dirname, '../..');

describe('backup and restore drill (scripts/backup-restore-test.sh, real PostgreSQL)', () => {
  let ownerUrl: string;
  let owner: DataSource;

  const drill = async (): Promise<{ code: number; output: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)('bash', [resolve(ROOT, 'scripts/backup-restore-test.sh'), ownerUrl], {
        cwd: ROOT,
        // The script's `node` is the one running the tests (the project's Node 26).
        env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, DATABASE_URL: '', DATABASE_MIGRATION_URL: '', LOG_LEVEL: 'warn' },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  };
  const scratchDatabases = async () => ((await owner.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${new URL(ownerUrl).pathname.slice(1)}_restore_%`])) as unknown[]).length;

  beforeAll(async () => {
    ownerUrl = await ownTestDatabaseUrl('backup_restore');
    owner = await openTestDatabase(ownerUrl);
  });

  beforeEach(async () => {
    await truncateAll(owner);
    // Query-log rows as the apps write them (the app role; the trigger chains them).
    const app = await new DataSource(dataSourceOptions(await appRoleUrl(ownerUrl), { extra: { max: 1 } })).initialize();
    try {
      const audits = new QueryAuditRepository(app);
      for (let i = 0; i < 5; i++) {
        await audits.record({ at: new Date(), department: 'tax', userId: 'clerk-7', purpose: null, approvalItem: 'tax-services', subjectId: '91350200776049653A', subjectIdType: 'USCC', subjects: ['91350200776049653A'], endpoint: 'GET /v1/subjects/:id/check', resultCount: i });
      }
    } finally {
      await app.destroy();
    }
  });

  afterAll(async () => {
    await owner?.destroy();
  });

  it('restores the dump into a scratch database with every row, a current schema and an intact audit chain, then drops it', async () => {
    const { code, output } = await drill();
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('restore test passed') });
    expect(output).toMatch(/^ {4}query_audit 5$/m);
    expect(output).toMatch(/^ {4}query_audit_chain 32$/m);
    expect(output).toMatch(/^schema is current: \d+ migrations applied$/m);
    expect(output).toContain('query_audit: 5 rows, chain intact');
    expect(await scratchDatabases()).toBe(0);
  });

  it('fails when the dumped query log was altered', async () => {
    await owner.transaction(async (manager) => {
      await manager.query('ALTER TABLE query_audit DISABLE TRIGGER query_audit_append_only');
      await manager.query(`UPDATE query_audit SET result_count = 99 WHERE id = (SELECT min(id) + 2 FROM query_audit)`);
      await manager.query('ALTER TABLE query_audit ENABLE TRIGGER query_audit_append_only');
    });
    const { code, output } = await drill();
    expect(code).toBe(1);
    expect(output).toMatch(/chain broken after \d+ intact rows/);
    expect(output).toContain('restore test FAILED');
    expect(await scratchDatabases()).toBe(0);
  });
});
