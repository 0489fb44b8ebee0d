import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { ConsoleSessionEntity } from '../entities/console-session.entity';
import { ConsoleUserEntity } from '../entities/console-user.entity';

@Injectable()
export class ConsoleSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get sessions() {
    return this.dataSource.getRepository(ConsoleSessionEntity);
  }

  async open(session: Pick<ConsoleSessionEntity, 'tokenSha256' | 'userId' | 'csrfToken' | 'expiresAt'>): Promise<void> {
    await this.sessions.insert(session);
  }

  /** The session and its user, when neither ended, expired nor disabled. */
  async findLive(tokenSha256: Buffer, now: Date): Promise<{ session: ConsoleSessionEntity; user: ConsoleUserEntity } | null> {
    const session = await this.sessions.findOneBy({ tokenSha256, endedAt: IsNull(), expiresAt: MoreThan(now) });
    if (!session) return null;
    const user = await this.dataSource.getRepository(ConsoleUserEntity).findOneBy({ id: session.userId, disabledAt: IsNull() });
    return user ? { session, user } : null;
  }

  async end(tokenSha256: Buffer, now: Date): Promise<void> {
    await this.sessions.update({ tokenSha256, endedAt: IsNull() }, { endedAt: now });
  }
}
