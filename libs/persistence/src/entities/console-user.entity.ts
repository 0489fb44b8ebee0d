import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person who signs in to the policy console; roles as in CONSOLE_ROLES (libs/console). */
@Entity({ name: 'console_user' })
export class ConsoleUserEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true })
  roles: string[];

  /** `scrypt$N$r$p$salt$key` (base64); null for a user who signs in only through the government's identity provider. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
