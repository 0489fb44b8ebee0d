import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Measure terms (MeasureTerms: memorandum heading, wording, legal basis as decided on a day) by
 * their content reference, as the `terms` of decision.issued records name them. `canonical` is
 * the exact text the reference is the hash of, served as it is; written once, never updated.
 */
@Entity({ name: 'measure_terms' })
export class MeasureTermsEntity {
  @PrimaryColumn({ type: 'text' })
  ref: string;

  @Column({ type: 'text' })
  canonical: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
