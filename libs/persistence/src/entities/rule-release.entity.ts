import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a release holds: every rule file and the instrument catalogue, by file name, as the text they were written in. */
export interface RuleReleaseContent {
  memoranda: Record<string, string>;
  instruments: string;
}

/** One rule-set release (migration 1765584000000); its status is derived (RuleReleaseRepository). */
@Entity({ name: 'rule_release' })
export class RuleReleaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'integer' })
  version: number;

  /** The rule set's revision (content hash) as the loader computes it. */
  @Column({ type: 'text' })
  revision: string;

  @Column({ type: 'jsonb' })
  content: RuleReleaseContent;

  @Column({ type: 'text' })
  author: string;

  @Column({ type: 'text', nullable: true })
  approver: string | null;

  @Column({ type: 'text' })
  notes: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'effective_at', type: 'timestamptz', nullable: true })
  effectiveAt: Date | null;

  @Column({ name: 'rolled_back_from', type: 'integer', nullable: true })
  rolledBackFrom: number | null;
}
