import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ConsoleUserEntity } from './console-user.entity';

/** A signed-in browser: the cookie holds a random token, the table only its SHA-256. */
@Entity({ name: 'console_session' })
@Index('ix_console_session_user', ['userId'])
export class ConsoleSessionEntity {
  @PrimaryColumn({ name: 'token_sha256', type: 'bytea' })
  tokenSha256: Buffer;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => ConsoleUserEntity, { nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'console_session_user_id_fkey' })
  user?: ConsoleUserEntity;

  /** Sent back by the page in X-CSRF-Token on every state-changing request (synchronizer token). */
  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
