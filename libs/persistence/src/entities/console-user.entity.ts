import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A person who signs in to the policy console; roles as in CONSOLE_ROLES (libs/console). */
@Entity({ name: 'console_user' })
@Unique('uq_console_user_name', ['name'])
@Check('ck_console_user_roles', `cardinality("roles") > 0 AND "roles" <@ ARRAY['policy-editor','policy-approver','credit-office','auditor']::text[]`)
export class ConsoleUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true })
  roles: string[];

  /** `scrypt$N$r$p$salt$key` (base64); null for a user who signs in only through the government's identity provider. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
