import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '@app/config';
import { AuditChainService, describeAuditChainReport } from '@app/query';
import { AuditChainRepository, dataSourceOptions, migrateAs } from '@app/persistence';

/**
 * The database operator's commands:
 *   migrate       `npm run db:migrate`: applies pending migrations as the owner (DATABASE_MIGRATION_URL, else DATABASE_URL)
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
