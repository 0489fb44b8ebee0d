import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

// Any constant shared by every app of this product; it only has to be the same for all of them.
const MIGRATION_LOCK_KEY = 72_016_141;

/**
 * Brings the schema up to date at start-up. Several apps boot at once against one
 * database, so migrations run under a PostgreSQL advisory lock: one migrates, the
 * others wait and then find nothing to do.
 */
@Injectable()
export class SchemaMigrator implements OnModuleInit {
  private readonly logger = new Logger(SchemaMigrator.name);

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await migrateWithLock(this.dataSource, (names) => this.logger.log(`applied migrations: ${names.join(', ')}`));
  }
}

export async function migrateWithLock(dataSource: DataSource, onApplied: (names: string[]) => void = () => undefined): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) onApplied(applied.map((m) => m.name));
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
