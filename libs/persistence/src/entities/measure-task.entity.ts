import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RecordedLegalBasis } from '@app/rules';

export type MeasureTaskState = 'active' | 'expired' | 'revoked';

/** One measure one implementing department must apply to one target (实施部门 × 措施 × 对象). */
@Entity({ name: 'measure_task' })
@Index('ix_measure_task_target', ['targetId', 'state'])
@Index('ix_measure_task_department', ['implementingDepartment', 'state'])
@Index('ix_measure_task_list_entry', ['listEntryId'])
@Index('ix_measure_task_active_until', ['validTo'], { where: `state = 'active'` })
// On decision_id with the columns a what-if compares INCLUDEd (migration 1765590000000): TypeORM cannot say INCLUDE, so it leaves the index alone.
@Index('ix_measure_task_decision', { synchronize: false })
@Index('ix_measure_task_document', ['documentNumber'])
export class MeasureTaskEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ name: 'list_entry_id', type: 'uuid', nullable: true })
  listEntryId: string | null;

  @Column({ name: 'memorandum_id', type: 'text' })
  memorandumId: string;

  @Column({ name: 'measure_code', type: 'text' })
  measureCode: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'jsonb' })
  text: { zh: string; en: string };

  @Column({ name: 'implementing_department', type: 'text' })
  implementingDepartment: string;

  @Column({ name: 'cooperating_departments', type: 'jsonb', default: () => `'[]'` })
  cooperatingDepartments: string[];

  /** Rows written before the instrument catalogue hold { instrument: <title>, article } instead. */
  @Column({ name: 'legal_basis', type: 'jsonb' })
  legalBasis: RecordedLegalBasis[];

  @Column({ name: 'target_role', type: 'text' })
  targetRole: string;

  @Column({ name: 'target_id_type', type: 'text' })
  targetIdType: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId: string;

  @Column({ name: 'target_name', type: 'text' })
  targetName: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** Last day in force, inclusive. */
  @Column({ name: 'valid_to', type: 'date' })
  validTo: string;

  /** The document number of the decision behind the task (a penalty's, when there is no list entry). */
  @Column({ name: 'document_number', type: 'text', nullable: true })
  documentNumber: string | null;

  @Column({ name: 'conduct_ended_on', type: 'date', nullable: true })
  conductEndedOn: string | null;

  /** Last day the conduct's information may be a basis of sanctions; the task never outlives it. */
  @Column({ name: 'last_usable_on', type: 'date', nullable: true })
  lastUsableOn: string | null;

  @Column({ type: 'text', default: 'active' })
  state: MeasureTaskState;

  @Column({ type: 'jsonb' })
  explanation: Record<string, unknown>;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: string | null;

  @Column({ type: 'boolean', default: false })
  disputed: boolean;

  /** When the implementing department's feedback is due, in working days from issue. */
  @Column({ name: 'feedback_due_on', type: 'date', nullable: true })
  feedbackDueOn: string | null;

  /** The due date counts past the working-day calendar's coverage (weekends only there) or over days awaiting a holiday notice. */
  @Column({ name: 'feedback_due_provisional', type: 'boolean', default: false })
  feedbackDueProvisional: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
