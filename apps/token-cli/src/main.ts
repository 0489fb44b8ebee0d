import 'reflect-metadata';
import { loadAppConfig } from '@app/config';
import { runTokenCommand } from '@app/engine';

// `npm run token -- add|revoke|list …` on DEPARTMENTS_FILE; the logic is libs/engine's runTokenCommand.
try {
  process.exitCode = runTokenCommand(process.argv.slice(2), {
    file: loadAppConfig().DEPARTMENTS_FILE,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
} catch (error) {
  console.error(`token command failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
