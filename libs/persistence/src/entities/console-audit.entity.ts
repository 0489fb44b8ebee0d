import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One action of a console user, refused ones too; never changed (the app role may only insert). */
@Entity({ name: 'console_audit' })
export class ConsoleAuditEntity {
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz' })
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
