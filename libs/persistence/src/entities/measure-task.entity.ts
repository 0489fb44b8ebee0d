import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RecordedLegalBasis } from '@app/rules';

export type MeasureTaskState = 'active' | 'expired' | 'revoked';

/** One measure one implementing department must apply to one target (实施部门 × 措施 × 对象). */
@Entity({ name: 'measure_task' })
@Index('ix_measure_task_target', ['targetId', 'state'])
@Index('ix_measure_task_department', ['implementingDepartment', 'state'])
@Index('ix_measure_task_list_entry', ['listEntryId'])
@Index('ix_measure_task_active_until', ['validTo'], { where: `state = 'active'` })
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

  @Column({ name: 'valid_to', type: 'date' })
  validTo: string;

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
