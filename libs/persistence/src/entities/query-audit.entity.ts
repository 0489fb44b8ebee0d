import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One query by a department: kept at least five years, never changed (a trigger enforces it).
 * A trigger draws the id and the chain hashes (migration 1764979200001): inserts leave them out.
 */
@Entity({ name: 'query_audit' })
@Index('ix_query_audit_department', ['department', 'at'])
// Who read a subject's data: `subjects @> ARRAY[id]`.
@Index('ix_query_audit_subjects', ['subjects'], { type: 'gin' })
// A user's recent checks of natural persons, for the burst limit.
@Index('ix_query_audit_person_checks', ['department', 'userId', 'at'], { where: `subject_id_type = 'RESIDENT_ID'` })
export class QueryAuditEntity {
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  /** Which of the interleaved chains the row is in (the inserting connection's). */
  @Column({ name: 'chain_lane', type: 'smallint' })
  chainLane: number;

  /** The hash of the row before this one in its lane (or the lane's anchor). */
  @Column({ name: 'prev_hash', type: 'bytea' })
  prevHash: Buffer;

  /** sha256(prev_hash || the row without nulls and hashes, as jsonb text in UTC). */
  @Column({ type: 'bytea' })
  hash: Buffer;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'text' })
  department: string;

  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId: string | null;

  @Column({ type: 'text', nullable: true })
  purpose: string | null;

  @Column({ name: 'approval_item', type: 'text', nullable: true })
  approvalItem: string | null;

  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId: string | null;

  /** The type of `subjectId` (RESIDENT_ID or USCC), for a check. */
  @Column({ name: 'subject_id_type', type: 'text', nullable: true })
  subjectIdType: string | null;

  /** Full identifiers of every subject the answer named (sorted, distinct); null on rows written before they were kept. */
  @Column({ type: 'text', array: true, nullable: true })
  subjects: string[] | null;

  @Column({ type: 'text' })
  endpoint: string;

  @Column({ name: 'result_count', type: 'int', default: 0 })
  resultCount: number;
}
