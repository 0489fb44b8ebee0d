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

  @Column({ type: 'jsonb' })
  record: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
