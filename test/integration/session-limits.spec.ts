import { DataSource } from 'typeorm';
import { isTransient } from '@app/domain';
import { appDataSourceOptions } from '@app/persistence';
import { openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

/**
 * The apps' pool carries DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS
 * on every connection: a statement over the limit is cancelled, an idle transaction's session
 * ended, and both failures are transient (retried without spending an event's attempts; a 503 at
 * the HTTP edge), never a hang.
 */
describe('session limits on the apps’ PostgreSQL connections', () => {
  let migrated: DataSource;
  let app: DataSource;
  const LIMIT_MS = 300;

  beforeAll(async () => {
    migrated = await openTestDatabase();
    app = await new DataSource({ ...appDataSourceOptions(testDatabaseUrl(), { DATABASE_STATEMENT_TIMEOUT_MS: LIMIT_MS, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: LIMIT_MS }), logging: false }).initialize();
  });

  afterAll(async () => {
    await app?.destroy();
    await migrated?.destroy();
  });

  it('sets both limits on each new connection, and none when 0', async () => {
    const [row] = (await app.query(`SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`)) as { statement: string; idle: string }[];
    expect(row).toEqual({ statement: `${LIMIT_MS}ms`, idle: `${LIMIT_MS}ms` });
    const unlimited = await new DataSource({ ...appDataSourceOptions(testDatabaseUrl(), { DATABASE_STATEMENT_TIMEOUT_MS: 0, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 0 }), logging: false }).initialize();
    try {
      const [plain] = (await unlimited.query(`SELECT current_setting('statement_timeout') AS statement`)) as { statement: string }[];
      expect(plain.statement).toBe('0');
    } finally {
      await unlimited.destroy();
    }
  });

  it('cancels a statement over the limit (57014), a transient failure, and runs the next one', async () => {
    const started = Date.now();
    const failure = await app.query('SELECT pg_sleep(5)').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failure).toMatchObject({ driverError: expect.objectContaining({ code: '57014' }) });
    expect(isTransient(failure)).toBe(true);
    expect(await app.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('cancels a statement stuck behind a lock, inside a transaction that is then rolled back whole', async () => {
    const blocker = migrated.createQueryRunner();
    await blocker.connect();
    const name = `session-limits-${process.pid}-${Date.now()}`;
    try {
      await blocker.startTransaction();
      await blocker.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [name]);
      const failure = await app
        .transaction(async (manager) => {
          await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [name]);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(isTransient(failure)).toBe(true);
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
  });

  it('ends the session of a transaction left idle past the limit (25P03 or a terminated connection), a transient failure', async () => {
    const runner = app.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('SELECT 1');
    await new Promise((resolve) => setTimeout(resolve, LIMIT_MS * 4));
    const failure = await runner.query('SELECT 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    await runner.release().catch(() => undefined);
    expect(failure).toBeInstanceOf(Error);
    expect(isTransient(failure)).toBe(true);
    // The pool replaces the ended connection.
    expect(await app.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
