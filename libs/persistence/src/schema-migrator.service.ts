import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from './data-source-options';
import { productionDatabaseProblems, ProductionDatabaseError } from './production-database';
import { ConnectionRoleRepository } from './repositories/connection-role.repository';

// Any constant shared by every app of this product; it only has to be the same for all of them.
const MIGRATION_LOCK_KEY = 72_016_141;

/**
 * The schema at start-up. Outside production the apps bring it up to date themselves, as the
 * owner (DATABASE_MIGRATION_URL, else DATABASE_URL), so a fresh database just works. In
 * production they run as the least-privilege role, which cannot run DDL: they only check that
 * the schema is current and that their role could not rewrite it or the audit log, and refuse
 * to start otherwise, naming why (`npm run db:migrate` migrates).
 */
@Injectable()
export class SchemaMigrator implements OnModuleInit {
  private readonly logger = new Logger(SchemaMigrator.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.NODE_ENV === 'production') {
      const problems = productionDatabaseProblems(await new ConnectionRoleRepository(this.dataSource).describe(), await pendingMigrations(this.dataSource));
      if (problems.length > 0) throw new ProductionDatabaseError(problems);
      return;
    }
    const log = (names: string[]) => this.logger.log(`applied migrations: ${names.join(', ')}`);
    const ownerUrl = this.config.DATABASE_MIGRATION_URL;
    if (ownerUrl === undefined || ownerUrl === this.config.DATABASE_URL) return migrateWithLock(this.dataSource, log);
    await migrateAs(ownerUrl, log);
  }
}

/** Migrates the database at `ownerUrl` on a connection of its own (`npm run db:migrate`, or an app outside production). */
export async function migrateAs(ownerUrl: string, onApplied: (names: string[]) => void = () => undefined): Promise<void> {
  const owner = await new DataSource(dataSourceOptions(ownerUrl, { extra: { max: 1 } })).initialize();
  try {
    await migrateWithLock(owner, onApplied);
  } finally {
    await owner.destroy();
  }
}

/** Several apps boot at once against one database: one migrates under an advisory lock, the others wait and find nothing to do. */
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

/** Names of the migrations this build knows that the database has not applied, in order. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const known = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  let applied: Set<string>;
  try {
    const rows = (await dataSource.query(`SELECT name FROM ${dataSource.driver.escape(table)}`)) as { name: string }[];
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error; // 42P01: no migrations table, nothing applied
    applied = new Set();
  }
  return known.filter((name) => !applied.has(name));
}
