import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What a department receives, in the order it must read it. The HTTP feed reads it by
 * cursor (`seq`); in Kafka mode it is also the outbox the relay publishes from, so the
 * feed and the department's topic carry the same records.
 */
@Entity({ name: 'feed_record' })
@Check('ck_feed_record_payload', `payload IS NOT NULL OR kind = 'decision.issued' OR lifecycle_change_id IS NOT NULL`)
@Index('ix_feed_record_department', ['department', 'seq'])
@Index('ix_feed_record_unpublished', ['seq'], { where: 'published_at IS NULL' })
@Index('ix_feed_record_cause', ['causeKey'])
export class FeedRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ name: 'record_id', type: 'uuid', unique: true })
  recordId: string;

  @Column({ type: 'text' })
  department: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  /** The record, for the kinds stored whole; null for decision.issued and lifecycle records, rendered when read or relayed. */
  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  /** The stored change a lifecycle record is rendered from (lifecycle_change). */
  @Column({ name: 'lifecycle_change_id', type: 'uuid', nullable: true })
  lifecycleChangeId: string | null;

  /** What caused the record: `<source>/<event id>` of an event, or a scheduler run (`expiry/<date>`). */
  @Column({ name: 'cause_key', type: 'text', nullable: true })
  causeKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
