import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { RuleContent } from '@app/rules';

/** The least approval lead the database accepts, whatever RELEASE_MIN_LEAD_MS says (migration 1765670400000). */
export const RELEASE_LEAD_FLOOR_MS = 1_000;

/** One rule-set release (migration 1765584000000); its status is derived from the instants (libs/policy ReleaseService). */
@Entity({ name: 'rule_release' })
@Unique('uq_rule_release_version', ['version'])
@Check('ck_rule_release_version', '"version" > 0')
@Check('ck_rule_release_four_eyes', '"approver" IS NULL OR "approver" <> "author"')
@Check('ck_rule_release_approval', '("approver" IS NULL) = ("approved_at" IS NULL) AND ("approver" IS NULL) = ("effective_at" IS NULL)')
@Check('ck_rule_release_lead_recorded', '("approver" IS NULL) = ("approval_lead_ms" IS NULL)')
@Check('ck_rule_release_lead_floor', `"approval_lead_ms" >= ${RELEASE_LEAD_FLOOR_MS}`)
@Check('ck_rule_release_lead', `"effective_at" >= "approved_at" + "approval_lead_ms" * interval '1 millisecond'`)
@Index('ix_rule_release_effective', ['effectiveAt'], { where: 'approver IS NOT NULL' })
export class RuleReleaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'integer' })
  version: number;

  /** The rule set's revision (content hash) as the loader computes it. */
  @Column({ type: 'text' })
  revision: string;

  @Column({ type: 'jsonb' })
  /** Every memorandum file and instruments.json, as text. */
  content: RuleContent;

  @Column({ type: 'text' })
  author: string;

  @Column({ type: 'text', nullable: true })
  approver: string | null;

  @Column({ type: 'text', default: '' })
  notes: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'effective_at', type: 'timestamptz', nullable: true })
  effectiveAt: Date | null;

  /** The least lead (ms) the approving server demanded between approved_at and effective_at; the database holds the row to it. */
  @Column({ name: 'approval_lead_ms', type: 'integer', nullable: true })
  approvalLeadMs: number | null;

  /** For a change draft (the console's): the revision of the rule set it was made from; its approval refuses to put it in force over another release. */
  @Column({ name: 'base_revision', type: 'text', nullable: true })
  baseRevision: string | null;

  /** For a rollback: the version whose content it restores. */
  @Column({ name: 'rolled_back_from', type: 'integer', nullable: true })
  rolledBackFrom: number | null;
}
