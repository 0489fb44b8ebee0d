import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message the engine could not accept, kept with its reason and origin so nothing is lost. */
@Entity({ name: 'dead_letter' })
@Index('uq_dead_letter_origin', ['topic', 'partition', 'offset'], { unique: true, where: 'topic IS NOT NULL' })
@Index('ix_dead_letter_event', ['source', 'eventId'], { where: 'source IS NOT NULL' })
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

  /** CloudEvents identity, when the refused message carried a readable source and id. */
  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ name: 'event_id', type: 'text', nullable: true })
  eventId: string | null;
}
