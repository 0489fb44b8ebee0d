import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One memorandum's decision about one event, stored whole as the record it was published as. */
@Entity({ name: 'decision' })
@Index('ix_decision_cause', ['causeEventSource', 'causeEventId'])
export class DecisionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'cause_event_source', type: 'text' })
  causeEventSource: string;

  @Column({ name: 'cause_event_id', type: 'text' })
  causeEventId: string;

  @Column({ name: 'memorandum_id', type: 'text' })
  memorandumId: string;

  @Column({ name: 'memorandum_version', type: 'text' })
  memorandumVersion: string;

  @Column({ name: 'rule_set_revision', type: 'text' })
  ruleSetRevision: string;

  /** The version of the rule-set release that decided (rule_release.version); null: the rules/ files decided. */
  @Column({ name: 'rule_release', type: 'integer', nullable: true })
  ruleRelease: number | null;

  @Column({ type: 'jsonb' })
  record: Record<string, unknown>;

  /** The instant its decision.issued records carry; null for decisions stored with their records whole (before 1765324800000). */
  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true })
  issuedAt: Date | null;

  /** The memorandum's kind, document number and title on the decision day (MemorandumHeading); null if it had left the rule set. */
  @Column({ type: 'jsonb', nullable: true })
  memorandum: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Its cause event's request id (inbound_event.request_id), stored with it; null on rows from before it was kept. */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  /** Its cause event's traceparent: records sent about it continue that trace. */
  @Column({ type: 'text', nullable: true })
  traceparent: string | null;
}
