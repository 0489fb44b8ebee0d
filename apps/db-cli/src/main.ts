import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '@app/config';
import { AuditChainService, describeAuditChainReport } from '@app/query';
import { AuditChainRepository, dataSourceOptions, migrateAs, migrationState } from '@app/persistence';

/**
 * The database operator's commands:
 *   migrate       `npm run db:migrate`: applies pending migrations as the owner (DATABASE_MIGRATION_URL, else DATABASE_URL)
 *   status        `npm run db:status`: which of this build's migrations the database lacks (DATABASE_URL; reading is
 *                 enough); exit 0 when current, 1 when some are pending (run db:migrate), 2 when it cannot tell
 *   audit-verify  `npm run audit:verify`: walks query_audit's hash chain (DATABASE_URL; reading is enough);
 *                 exit 0 when intact, 1 at the first broken link
 */
const COMMANDS = {
  migrate: async () => {
    const config = loadDatabaseConfig();
    await migrateAs(config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL, (names) => console.log(`applied migrations: ${names.join(', ')}`));
    console.log('schema is current');
    return 0;
  },
  status: async () => {
    const config = loadDatabaseConfig();
    const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 1 } })).initialize();
    try {
      const state = await migrationState(dataSource);
      if (!state.readable) {
        console.error(`cannot read ${state.table} as this role: run db:status with the owner's URL`);
        return 2;
      }
      const known = dataSource.migrations.length;
      if (state.pending.length === 0) {
        console.log(`schema is current: ${known} migrations applied`);
        return 0;
      }
      console.log(`${state.pending.length} of ${known} migrations pending (npm run db:migrate applies them):\n${state.pending.map((name) => `  ${name}`).join('\n')}`);
      return 1;
    } finally {
      await dataSource.destroy();
    }
  },
  'audit-verify': async () => {
    const config = loadDatabaseConfig();
    const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 1 } })).initialize();
    try {
      const report = await new AuditChainService(new AuditChainRepository(dataSource)).verify();
      (report.intact ? console.log : console.error)(describeAuditChainReport(report));
      return report.intact ? 0 : 1;
    } finally {
      await dataSource.destroy();
    }
  },
} satisfies Record<string, () => Promise<number>>;

function isCommand(name: string): name is keyof typeof COMMANDS {
  return Object.hasOwn(COMMANDS, name);
}

async function main(): Promise<void> {
  const [command = ''] = process.argv.slice(2);
  if (!isCommand(command)) {
    console.error(`usage: db-cli ${Object.keys(COMMANDS).join(' | ')}`);
    process.exit(2);
  }
  process.exitCode = await COMMANDS[command]();
}

main().catch((error: unknown) => {
  console.error(`db-cli failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
