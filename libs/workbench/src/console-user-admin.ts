import { randomBytes } from 'node:crypto';
import { ConsoleUserRepository } from '@app/persistence';
import { CONSOLE_ROLES, ConsoleRole, isConsoleRole } from './console-roles';
import { hashPassword } from './password-hash';

/** Why a user could not be added or changed, in a line for the operator. */
export class ConsoleUserAdminError extends Error {}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MINIMUM_PASSWORD_LENGTH = 12;

/** What `npm run console:user` does: users added with roles and a password (given, or generated and shown once). */
export class ConsoleUserAdmin {
  constructor(private readonly users: ConsoleUserRepository) {}

  /** Returns the generated password when none was given (the only time it is shown). */
  async add(name: string, roles: readonly string[], password?: string): Promise<{ generatedPassword?: string }> {
    if (!NAME.test(name)) throw new ConsoleUserAdminError(`user name "${name.slice(0, 64)}": lowercase letters, digits, '.', '_' and '-', at most 64`);
    const unknown = roles.filter((r) => !isConsoleRole(r));
    if (roles.length === 0 || unknown.length) throw new ConsoleUserAdminError(`give one or more --role of ${CONSOLE_ROLES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    const chosen = this.checked(password);
    const added = await this.users.add({ name, roles: [...new Set(roles as ConsoleRole[])], passwordHash: await hashPassword(chosen.password) });
    if (!added) throw new ConsoleUserAdminError(`user "${name}" exists already (change its password with: password ${name})`);
    return { generatedPassword: chosen.generated ? chosen.password : undefined };
  }

  async setPassword(name: string, password?: string): Promise<{ generatedPassword?: string }> {
    const chosen = this.checked(password);
    if (!(await this.users.setPassword(name, await hashPassword(chosen.password)))) throw new ConsoleUserAdminError(`no user "${name.slice(0, 64)}"`);
    return { generatedPassword: chosen.generated ? chosen.password : undefined };
  }

  private checked(password: string | undefined): { password: string; generated: boolean } {
    if (password === undefined) return { password: randomBytes(18).toString('base64url'), generated: true };
    if (password.length < MINIMUM_PASSWORD_LENGTH) throw new ConsoleUserAdminError(`a password has at least ${MINIMUM_PASSWORD_LENGTH} characters`);
    return { password, generated: false };
  }
}
