import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsoleUserEntity } from '../entities/console-user.entity';

export interface NewConsoleUser {
  name: string;
  roles: readonly string[];
  passwordHash: string | null;
}

@Injectable()
export class ConsoleUserRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get users() {
    return this.dataSource.getRepository(ConsoleUserEntity);
  }

  findByName(name: string): Promise<ConsoleUserEntity | null> {
    return this.users.findOneBy({ name });
  }

  findById(id: string): Promise<ConsoleUserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** Adds the user, or returns null when the name is taken (the unique constraint decides, not a prior read). */
  async add(user: NewConsoleUser): Promise<ConsoleUserEntity | null> {
    const rows = (await this.dataSource.query(
      `INSERT INTO console_user (name, roles, password_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING id, name, roles, password_hash AS "passwordHash", created_at AS "createdAt", disabled_at AS "disabledAt"`,
      [user.name, [...user.roles], user.passwordHash],
    )) as ConsoleUserEntity[];
    return rows[0] ?? null;
  }

  async setPassword(name: string, passwordHash: string): Promise<boolean> {
    const result = await this.users.update({ name }, { passwordHash });
    return (result.affected ?? 0) > 0;
  }

  list(): Promise<ConsoleUserEntity[]> {
    return this.users.find({ order: { name: 'ASC' } });
  }
}
