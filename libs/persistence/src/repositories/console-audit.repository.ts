import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsoleAuditEntity } from '../entities/console-audit.entity';

export type NewConsoleAuditEntry = Pick<ConsoleAuditEntity, 'userName' | 'action' | 'target' | 'outcome' | 'address'>;

@Injectable()
export class ConsoleAuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: NewConsoleAuditEntry): Promise<void> {
    await this.dataSource.getRepository(ConsoleAuditEntity).insert(entry);
  }

  /** A user's latest actions, newest first. */
  forUser(userName: string, limit = 100): Promise<ConsoleAuditEntity[]> {
    return this.dataSource.getRepository(ConsoleAuditEntity).find({ where: { userName }, order: { id: 'DESC' }, take: limit });
  }
}
