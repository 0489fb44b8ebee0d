import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A subject's current class under one model, with the explanation it was given with (credit_class). */
@Entity({ name: 'credit_class' })
@Index('ix_credit_class_subject', ['subjectId', 'subjectIdType'])
// Subjects whose class time alone changes, for the lifecycle tick's sweep (migration 1765830000001).
@Index('ix_credit_class_recompute_due', ['recomputeDueOn'], { where: 'recompute_due_on IS NOT NULL' })
export class CreditClassEntity {
  @PrimaryColumn({ name: 'model_id', type: 'text', primaryKeyConstraintName: 'pk_credit_class' })
  modelId: string;

  @PrimaryColumn({ name: 'subject_id_type', type: 'text', primaryKeyConstraintName: 'pk_credit_class' })
  subjectIdType: string;

  @PrimaryColumn({ name: 'subject_id', type: 'text', primaryKeyConstraintName: 'pk_credit_class' })
  subjectId: string;

  @Column({ name: 'subject_kind', type: 'text' })
  subjectKind: string;

  @Column({ name: 'class', type: 'text' })
  class: string;

  /** rule | otherwise (a stored row is never `default`: that is a subject never seen). */
  @Column({ type: 'text' })
  basis: string;

  @Column({ name: 'model_version', type: 'text' })
  modelVersion: string;

  @Column({ name: 'model_revision', type: 'text' })
  modelRevision: string;

  @Column({ type: 'jsonb' })
  explanation: Record<string, unknown>;

  /** The China date the standing was read on. */
  @Column({ name: 'as_of', type: 'date' })
  asOf: string;

  @Column({ name: 'cause_key', type: 'text' })
  causeKey: string;

  /** When the class last changed (equal to computed_at on the first). */
  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt: Date;

  /** The first day the subject's standing changes by time alone (null: never); the lifecycle tick recomputes it then. */
  @Column({ name: 'recompute_due_on', type: 'date', nullable: true })
  recomputeDueOn: string | null;
}

/** Every class given, in order (credit_class_history): what it was, what it became, and why. */
@Entity({ name: 'credit_class_history' })
@Index('ix_credit_class_history_subject', ['subjectId', 'modelId', 'id'])
export class CreditClassHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'model_id', type: 'text' })
  modelId: string;

  @Column({ name: 'subject_id_type', type: 'text' })
  subjectIdType: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  @Column({ name: 'previous_class', type: 'text', nullable: true })
  previousClass: string | null;

  @Column({ name: 'class', type: 'text' })
  class: string;

  @Column({ type: 'text' })
  basis: string;

  @Column({ name: 'model_version', type: 'text' })
  modelVersion: string;

  @Column({ name: 'model_revision', type: 'text' })
  modelRevision: string;

  @Column({ type: 'jsonb' })
  explanation: Record<string, unknown>;

  @Column({ name: 'cause_key', type: 'text' })
  causeKey: string;

  @Column({ type: 'timestamptz' })
  at: Date;
}
