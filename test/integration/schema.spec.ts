import { DataSource } from 'typeorm';
import { openTestDatabase } from '../support/database';

// Entities and hand-written migrations must describe the same schema: TypeORM's schema
// builder compares them and would emit SQL for any difference.
describe('database schema', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('has no difference between the migrations and the entities', async () => {
    const pending = await db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('runs migrations idempotently', async () => {
    expect(await db.showMigrations()).toBe(false);
  });
});
