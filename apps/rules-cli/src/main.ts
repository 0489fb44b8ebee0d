import 'reflect-metadata';
import { loadAppConfig } from '@app/config';
import { checkRules } from './rules-check';

async function main(): Promise<void> {
  const [command = 'check', ...paths] = process.argv.slice(2);
  if (command === 'asyncapi') {
    // Loaded on demand: its schema generator is a development dependency, absent from production images.
    const { writeAsyncApiDocument } = require('./asyncapi') as typeof import('./asyncapi');
    writeAsyncApiDocument(paths[0], { departmentsFile: loadAppConfig().DEPARTMENTS_FILE });
    return;
  }
  if (command === 'schemas') {
    const { writeEventSchemas } = require('./event-schemas') as typeof import('./event-schemas');
    console.log(`${writeEventSchemas(paths[0]).length} event schemas written to ${paths[0] ?? 'docs/schemas'}`);
    return;
  }
  if (command === 'settings') {
    // The TypeScript compiler reads app-config.ts: a development tool, like the AsyncAPI generator.
    const { writeSettingsTable } = require('./settings-table') as typeof import('./settings-table');
    writeSettingsTable(paths[0]);
    return;
  }
  if (command === 'export' || command === 'import' || command === 'release') {
    const { runReleaseCommand } = require('./release-commands') as typeof import('./release-commands');
    process.exit(await runReleaseCommand(loadAppConfig(), command, paths));
  }
  if (command !== 'check') {
    console.error('usage: rules-cli check [memorandum.json…] | rules-cli asyncapi [out-file.json] | rules-cli schemas [out-dir] | rules-cli settings [README.md] | rules-cli export|import|release … (README "Releases")');
    process.exit(2);
  }
  const config = loadAppConfig();
  process.exit(await checkRules({ rulesDir: config.RULES_DIR, departmentsFile: config.DEPARTMENTS_FILE, drafts: paths }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
