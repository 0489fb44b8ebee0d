import { CreateDateColumn, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One action of a console user, refused ones too; never changed (the app role may only insert). */
@Entity({ name: 'console_audit' })
@Index('ix_console_audit_user', ['userName', 'at'])
export class ConsoleAuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'user_name', type: 'text' })
  userName: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text', nullable: true })
  target: string | null;

  @Column({ type: 'text' })
  outcome: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;
}
