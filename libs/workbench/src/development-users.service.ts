import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError } from '@app/config';
import { ConsoleUserRepository } from '@app/persistence';
import { developmentPassword, DEVELOPMENT_USERS } from './development-users';
import { hashPassword, verifyPassword } from './password-hash';

/** Outside production, the development users exist; in production, none of them signs in with its development password. */
@Injectable()
export class DevelopmentUsersService implements OnModuleInit {
  private readonly logger = new Logger(DevelopmentUsersService.name);

  constructor(
    private readonly users: ConsoleUserRepository,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.NODE_ENV === 'production') {
      const found = await this.stillDevelopmentUsers();
      if (found.length) throw new ConfigError(found.map((name) => `console user "${name}" still has its development password; change it (npm run console:user -- password ${name}) or disable the user`));
      return;
    }
    for (const { name, roles } of DEVELOPMENT_USERS) {
      if (await this.users.findByName(name)) continue;
      if (await this.users.add({ name, roles, passwordHash: await hashPassword(developmentPassword(name)) })) this.logger.log(`development console user "${name}" (${roles.join(', ')}) created`);
    }
  }

  private async stillDevelopmentUsers(): Promise<string[]> {
    const found: string[] = [];
    for (const { name } of DEVELOPMENT_USERS) {
      const user = await this.users.findByName(name);
      if (user?.passwordHash && !user.disabledAt && (await verifyPassword(developmentPassword(name), user.passwordHash))) found.push(name);
    }
    return found;
  }
}
