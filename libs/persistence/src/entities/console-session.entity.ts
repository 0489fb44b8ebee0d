import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signed-in browser: the cookie holds a random token, the table only its SHA-256. */
@Entity({ name: 'console_session' })
export class ConsoleSessionEntity {
  @PrimaryColumn({ name: 'token_sha256', type: 'bytea' })
  tokenSha256: Buffer;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Sent back by the page in X-CSRF-Token on every state-changing request (synchronizer token). */
  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
