import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type FeedbackOutcome = 'applied' | 'not-applicable' | 'exempted' | 'failed';

/** An implementing department's report on one measure task (反馈): once per outcome. */
@Entity({ name: 'feedback' })
@Unique('uq_feedback_task_outcome', ['taskId', 'outcome'])
@Index('ix_feedback_department', ['department', 'reportedAt'])
export class FeedbackEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ type: 'text' })
  department: string;

  @Column({ type: 'text' })
  outcome: FeedbackOutcome;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'business_reference', type: 'text' })
  businessReference: string;

  @Column({ name: 'applied_on', type: 'date' })
  appliedOn: string;

  @Column({ type: 'text', nullable: true })
  operator: string | null;

  @Column({ name: 'acknowledged_revoked', type: 'boolean', default: false })
  acknowledgedRevoked: boolean;

  @Column({ name: 'reported_at', type: 'timestamptz', default: () => 'now()' })
  reportedAt: Date;
}
