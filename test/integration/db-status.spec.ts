import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '@app/persistence';
import { ownTestDatabaseUrl } from '../support/database';

const ROOT = resolve(__dirname, '../..');

/** `npm run db:status` as an operator runs it before and after an upgrade (the built db-cli). */
describe('db:status', () => {
  let url: string;

  const status = async (): Promise<{ code: number; output: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [resolve(ROOT, 'scripts/node-app.js'), resolve(ROOT, 'dist/apps/db-cli/src/main.js'), 'status'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  };

  beforeAll(async () => {
    url = await ownTestDatabaseUrl('db_status');
    const reset = await new DataSource(dataSourceOptions(url)).initialize();
    await reset.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    // A database one release behind: every migration but the last two.
    await reset.destroy();
    const behind = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, -2) })).initialize();
    await behind.runMigrations({ transaction: 'each' });
    await behind.destroy();
  });

  it('names the pending migrations and exits 1, then 0 once they are applied', async () => {
    const before = await status();
    expect(before.code).toBe(1);
    expect(before.output).toContain(`2 of ${MIGRATIONS.length} migrations pending`);
    for (const migration of MIGRATIONS.slice(-2)) expect(before.output).toContain(migration.name);

    const current = await new DataSource(dataSourceOptions(url)).initialize();
    await current.runMigrations({ transaction: 'each' });
    await current.destroy();
    const after = await status();
    expect(after).toEqual({ code: 0, output: `schema is current: ${MIGRATIONS.length} migrations applied\n` });
  });
});
