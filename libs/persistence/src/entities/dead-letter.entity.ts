import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message the engine could not accept, kept with its reason and origin so nothing is lost. */
@Entity({ name: 'dead_letter' })
@Index('uq_dead_letter_origin', ['topic', 'partition', 'offset'], { unique: true, where: 'topic IS NOT NULL' })
export class DeadLetterEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'error_code', type: 'text' })
  errorCode: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  violations: unknown[];

  /** The message as received (text); identifiers in it stay in this restricted table only. */
  @Column({ type: 'text' })
  raw: string;

  @Column({ type: 'text', nullable: true })
  topic: string | null;

  @Column({ type: 'int', nullable: true })
  partition: number | null;

  @Column({ name: 'kafka_offset', type: 'text', nullable: true })
  offset: string | null;
}
