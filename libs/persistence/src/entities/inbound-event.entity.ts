import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * `pending`: in the inbox, waiting for the engine (embedded mode). `received`: accepted by the
 * ingest in Kafka mode and being (or been) produced to the inbound topic. `processed`: decided.
 */
export type InboundEventStatus = 'pending' | 'received' | 'processed';

/**
 * Every accepted credit event, once. In embedded mode this table is the transport (the
 * durable inbox the engine polls); in Kafka mode it is the processed-event marker that
 * makes redelivery harmless. CloudEvents identity is (source, id).
 */
@Entity({ name: 'inbound_event' })
@Unique('uq_inbound_event_source_id', ['source', 'eventId'])
@Index('ix_inbound_event_pending', ['seq'], { where: `status = 'pending'` })
// A subject's association sanctions, for its self-discipline record (migration 1765700200000).
@Index('ix_inbound_event_association_sanction', ['subjectId'], { where: `type = 'credit.association.sanction.v1'` })
// A subject's objections and repairs, for its credit report (migration 1765810000000).
@Index('ix_inbound_event_objection_repair', ['subjectId'], { where: `type IN ('credit.objection.filed.v1', 'credit.objection.resolved.v1', 'credit.repair.approved.v1')` })
@Index('ix_inbound_event_sanction_withdrawal', ['subjectId'], { where: `type = 'credit.association.sanction.withdrawn.v1'` })
export class InboundEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  @Column({ type: 'jsonb' })
  envelope: Record<string, unknown>;

  @Column({ type: 'text' })
  status: InboundEventStatus;

  @Column({ type: 'text' })
  transport: 'http' | 'kafka' | 'scheduler';

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ name: 'decision_count', type: 'int', default: 0 })
  decisionCount: number;

  /** sha-256 of the event's canonical content (eventContentHash); null on rows from before it was kept. */
  @Column({ name: 'content_hash', type: 'text', nullable: true })
  contentHash: string | null;

  /** What a lifecycle event did (or why it was refused), for the publisher and auditors. */
  @Column({ type: 'jsonb', nullable: true })
  outcome: Record<string, unknown> | null;

  /** X-Request-Id of the request that brought it (or made for it); null on rows from before it was kept. */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  /** W3C traceparent of the span that accepted it; null on rows from before it was kept. */
  @Column({ type: 'text', nullable: true })
  traceparent: string | null;
}
