import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { ADVISORY_LOCKS } from './advisory-locks';
import { dataSourceOptions } from './data-source-options';
import { MigrationState, productionDatabaseProblems, ProductionDatabaseError } from './production-database';
import { ConnectionRoleRepository } from './repositories/connection-role.repository';

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
      const problems = productionDatabaseProblems(await new ConnectionRoleRepository(this.dataSource).describe(), await migrationState(this.dataSource));
      if (problems.length > 0) throw new ProductionDatabaseError(problems);
      return;
    }
    const log = (names: string[]) => this.logger.log(`applied migrations: ${names.join(', ')}`);
    // On a connection of its own even as the apps' role: the app pool's statement timeout would cancel a long migration, or the wait for another app's lock.
    await migrateAs(this.config.DATABASE_MIGRATION_URL ?? this.config.DATABASE_URL, log);
  }
}

/** Migrates the database at `ownerUrl` on a connection of its own (`npm run db:migrate`, or an app outside production). */
export async function migrateAs(ownerUrl: string, onApplied: (names: string[]) => void = () => undefined): Promise<void> {
  // Two connections: one holds the advisory lock while the other migrates.
  const owner = await new DataSource(dataSourceOptions(ownerUrl, { extra: { max: 2 } })).initialize();
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
    await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.schemaMigration]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) onApplied(applied.map((m) => m.name));
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.schemaMigration]).catch(() => undefined);
    await runner.release();
  }
}

/** Whether the connected role can tell which migrations are applied, and which this build knows that the database lacks, in order. */

export async function migrationState(dataSource: DataSource): Promise<MigrationState> {
  const known = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
  const table = dataSource.driver.escape(dataSource.options.migrationsTableName ?? 'migrations');
  // Looked up first rather than read and caught: a failed query would be logged as an error.
  const [{ exists, readable }] = (await dataSource.query(
    `SELECT to_regclass($1) IS NOT NULL AS exists, CASE WHEN to_regclass($1) IS NOT NULL THEN has_table_privilege(to_regclass($1), 'SELECT') END AS readable`,
    [table],
  )) as { exists: boolean; readable: boolean | null }[];
  if (exists && !readable) return { readable: false, table };
  const rows = exists ? ((await dataSource.query(`SELECT name FROM ${table}`)) as { name: string }[]) : [];
  const applied = new Set(rows.map((row) => row.name));
  return { readable: true, pending: known.filter((name) => !applied.has(name)) };
}
