import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { LifecycleChangeFact } from '@app/decision-log';

/**
 * One lifecycle change of one decision (LifecycleChangeFact), stored once: its feed records
 * (one per addressee) are rendered from it when read or relayed. Written once, never updated,
 * so a record rendered from it is the same every time.
 */
@Entity({ name: 'lifecycle_change' })
@Index('ix_lifecycle_change_decision', ['decisionId'])
export class LifecycleChangeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ type: 'jsonb' })
  fact: LifecycleChangeFact;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
