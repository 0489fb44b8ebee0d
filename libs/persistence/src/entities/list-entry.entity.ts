import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ListEntryState = 'active' | 'expired' | 'removed' | 'repaired' | 'revoked';

/** A subject's place on a blacklist, red list or key-attention list (名单), always with an end. */
@Entity({ name: 'list_entry' })
@Index('ix_list_entry_subject', ['subjectId', 'state'])
@Index('ix_list_entry_active_until', ['validTo'], { where: `state = 'active'` })
// On decision_id with the columns a what-if compares INCLUDEd (migration 1765590000000): TypeORM cannot say INCLUDE, so it leaves the index alone.
@Index('ix_list_entry_decision', { synchronize: false })
@Index('ix_list_entry_list', ['listType', 'state'])
export class ListEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ name: 'memorandum_id', type: 'text' })
  memorandumId: string;

  @Column({ name: 'memorandum_version', type: 'text' })
  memorandumVersion: string;

  @Column({ name: 'list_code', type: 'text' })
  listCode: string;

  @Column({ name: 'list_type', type: 'text' })
  listType: string;

  @Column({ name: 'subject_kind', type: 'text' })
  subjectKind: string;

  @Column({ name: 'subject_id_type', type: 'text' })
  subjectIdType: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  @Column({ name: 'subject_name', type: 'text' })
  subjectName: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'document_number', type: 'text' })
  documentNumber: string;

  @Column({ name: 'identifying_department', type: 'text' })
  identifyingDepartment: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** Last day in force, inclusive. */
  @Column({ name: 'valid_to', type: 'date' })
  validTo: string;

  /** The day the conduct ended (or the decision date when the event could not say); null for red lists. */
  @Column({ name: 'conduct_ended_on', type: 'date', nullable: true })
  conductEndedOn: string | null;

  /** Last day the conduct's information may be a basis of sanctions; the entry never outlives it. */
  @Column({ name: 'last_usable_on', type: 'date', nullable: true })
  lastUsableOn: string | null;

  @Column({ type: 'text', default: 'active' })
  state: ListEntryState;

  @Column({ type: 'boolean', default: false })
  disputed: boolean;

  @Column({ type: 'jsonb' })
  explanation: Record<string, unknown>;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** expired, limitation-reached, removed, repaired, objection-revoked, escalated, superseded. */
  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: string | null;

  @Column({ name: 'objection_id', type: 'text', nullable: true })
  objectionId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
