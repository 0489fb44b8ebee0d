import { Injectable } from '@nestjs/common';
import { ConsoleUserEntity, ConsoleUserRepository } from '@app/persistence';
import { ConsoleUser, isConsoleRole } from './console-roles';
import { Authentication, IdentityProvider, SignInCredentials } from './identity-provider';
import { hashPassword, verifyPassword } from './password-hash';

/**
 * A password checked against the console_user table's scrypt hash. An unknown name costs a
 * hash too, so the answer's timing does not tell which names exist.
 */
@Injectable()
export class PasswordIdentityService implements IdentityProvider {
  readonly kind = 'password';
  private decoy?: Promise<string>;

  constructor(private readonly users: ConsoleUserRepository) {}

  async authenticate({ name, password }: SignInCredentials): Promise<Authentication> {
    const user = await this.users.findByName(name);
    if (!user || user.disabledAt || !user.passwordHash) {
      await verifyPassword(password, await (this.decoy ??= hashPassword('decoy')));
      return { user: null, account: user?.name ?? null };
    }
    return (await verifyPassword(password, user.passwordHash)) ? { user: consoleUserOf(user) } : { user: null, account: user.name };
  }
}

export function consoleUserOf(row: ConsoleUserEntity): ConsoleUser {
  return { id: row.id, name: row.name, roles: row.roles.filter(isConsoleRole) };
}
