import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message the engine could not accept, kept with its reason and origin so nothing is lost. */
@Entity({ name: 'dead_letter' })
@Index('uq_dead_letter_origin', ['topic', 'partition', 'offset'], { unique: true, where: 'topic IS NOT NULL' })
@Index('ix_dead_letter_event', ['source', 'eventId'], { where: 'source IS NOT NULL' })
@Index('ix_dead_letter_department', ['department', 'id'])
@Check('ck_dead_letter_sealed_with_key', '(key_id IS NULL) = (sealed IS NULL)')
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

  /** The message's structure with every letter and digit of personal data masked (maskedPreview); the body itself is sealed. */
  @Column({ type: 'text' })
  preview: string;

  /** Bytes of the message as received. */
  @Column({ name: 'size_bytes', type: 'int' })
  sizeBytes: number;

  /** The event type a structured-mode message named, when it was a plain one. */
  @Column({ name: 'event_type', type: 'text', nullable: true })
  eventType: string | null;

  /** The department that may read the body (topic owner, else the claimed source); null: the credit office only. */
  @Column({ type: 'text', nullable: true })
  department: string | null;

  /** Id of the DEAD_LETTER_KEYS key that sealed the body; null with `sealed` for rows masked before bodies were sealed. */
  @Column({ name: 'key_id', type: 'text', nullable: true })
  keyId: string | null;

  /** The message as received, AES-256-GCM (see DeadLetterCipher), bound to this row's origin and department. */
  @Column({ type: 'bytea', nullable: true })
  sealed: Buffer | null;

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
