import { DataSource } from 'typeorm';
import { appDataSourceOptions } from '@app/persistence';
import { HistoryReader } from '@app/policy';
import { openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

/**
 * A what-if's extent counts the decided events of its whole period (received_at has no index:
 * a scan of inbound_event), which over years of history can outlast DATABASE_STATEMENT_TIMEOUT_MS.
 * It is bounded background work, so it runs without the sessions' statement timeout; here a lock
 * holds the count past the limit, as a long scan would.
 */
describe('a what-if extent on a pool with a statement timeout', () => {
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

  it('is not cancelled when it takes longer than the limit, and the pool keeps the limit for everything else', async () => {
    const blocker = migrated.createQueryRunner();
    await blocker.connect();
    try {
      await blocker.startTransaction();
      await blocker.query('LOCK TABLE inbound_event IN ACCESS EXCLUSIVE MODE');
      const counted = new HistoryReader(app).extent(new Date('2020-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
      await new Promise((resolve) => setTimeout(resolve, LIMIT_MS * 3));
      await blocker.commitTransaction();
      await expect(counted).resolves.toEqual({ total: expect.any(Number), firstSeq: expect.any(Number), lastSeq: expect.any(Number) });
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
    // SET LOCAL: the connection goes back to the pool with its limit.
    const [row] = (await app.query(`SELECT current_setting('statement_timeout') AS statement`)) as { statement: string }[];
    expect(row.statement).toBe(`${LIMIT_MS}ms`);
  });
});
