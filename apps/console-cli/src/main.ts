import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '@app/config';
import { ConsoleUserRepository, dataSourceOptions } from '@app/persistence';
import { ConsoleUserAdmin, ConsoleUserAdminError } from '@app/workbench';

/**
 * `npm run console:user -- add <name> --role <role> [--role …] [--password-stdin]`
 * `npm run console:user -- password <name> [--password-stdin]`
 * `npm run console:user -- list`
 * Without --password-stdin a random password is generated and printed once; with it the
 * password is the first line of standard input (never an argument: arguments show in `ps`).
 */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { role: { type: 'string', multiple: true }, 'password-stdin': { type: 'boolean' } } });
  const [command, name] = positionals;
  const config = loadDatabaseConfig();
  const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 1 } })).initialize();
  try {
    const users = new ConsoleUserRepository(dataSource);
    const admin = new ConsoleUserAdmin(users);
    const password = values['password-stdin'] ? await firstLineOfStdin() : undefined;
    if (command === 'add' && name) {
      const { generatedPassword } = await admin.add(name, values.role ?? [], password);
      console.log(`added console user "${name}" (${(values.role ?? []).join(', ')})${generatedPassword ? `; password (shown once): ${generatedPassword}` : ''}`);
      return 0;
    }
    if (command === 'password' && name) {
      const { generatedPassword } = await admin.setPassword(name, password);
      console.log(`new password for "${name}"${generatedPassword ? ` (shown once): ${generatedPassword}` : ' set'}`);
      return 0;
    }
    if (command === 'list') {
      for (const user of await users.list()) console.log(`${user.name}\t${user.roles.join(',')}${user.disabledAt ? '\tdisabled' : ''}`);
      return 0;
    }
    console.error('usage: console:user -- add <name> --role <role> [--role …] [--password-stdin] | password <name> [--password-stdin] | list');
    return 2;
  } catch (error) {
    if (!(error instanceof ConsoleUserAdminError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`console:user failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
