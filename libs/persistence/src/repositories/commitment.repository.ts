import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LEGAL_LIMITATION_YEARS } from '@app/rules';
import { returningRows } from '../returning-rows';

export type CommitmentState = 'open' | 'kept' | 'breached';
/** How a commitment was broken: reported by its department, or not kept by its promised date. */
export type BreachKind = 'reported' | 'overdue';

/** One credit commitment (信用承诺) as its table holds it: one row type for every reader. */
export interface CommitmentRow {
  id: string;
  department: string;
  reference: string;
  contentHash: string;
  subjectKind: string;
  subjectIdType: string;
  subjectId: string;
  subjectName: string;
  approvalItemCode: string;
  approvalItemName: string;
  promise: string;
  /** The promised date, inclusive: the commitment is kept in time through this China date. */
  dueOn: string;
  approvalReference: string;
  approvalGrantedOn: string;
  state: CommitmentState;
  /** Fulfilled on, or broken on (the day the conduct ended). */
  closedOn: string | null;
  closedAt: Date | null;
  evidenceReference: string | null;
  breachKind: BreachKind | null;
  breachReason: string | null;
  /** The id of the credit.commitment.breached.v1 event once it is in the engine's intake. */
  breachEventId: string | null;
  recordedAt: Date;
}

export type CommitmentInput = Omit<CommitmentRow, 'id' | 'state' | 'closedOn' | 'closedAt' | 'evidenceReference' | 'breachKind' | 'breachReason' | 'breachEventId' | 'recordedAt'>;

/** A subject's commitments by how they stand: the facts `commitments.kept` / `commitments.broken` of credit classes. */
export interface CommitmentRecord {
  open: number;
  kept: number;
  broken: number;
}

export interface CommitmentSubject {
  idType: string;
  id: string;
}

/** Every column of credit_commitment as CommitmentRow names it (bare names: select FROM credit_commitment alone). */
export const COMMITMENT_COLUMNS = `id, department, reference, content_hash AS "contentHash", subject_kind AS "subjectKind", subject_id_type AS "subjectIdType",
  subject_id AS "subjectId", subject_name AS "subjectName", approval_item_code AS "approvalItemCode", approval_item_name AS "approvalItemName",
  promise, due_on::text AS "dueOn", approval_reference AS "approvalReference", approval_granted_on::text AS "approvalGrantedOn", state,
  closed_on::text AS "closedOn", closed_at AS "closedAt", evidence_reference AS "evidenceReference", breach_kind AS "breachKind",
  breach_reason AS "breachReason", breach_event_id AS "breachEventId", recorded_at AS "recordedAt"`;

/** Credit commitments recorded by approval systems, and how they ended. */
@Injectable()
export class CommitmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Insert, or find the one the department already recorded under this reference (a retry).
   * `created` says which; a caller compares content hashes to tell a retry from a conflict.
   */
  async record(input: CommitmentInput): Promise<{ row: CommitmentRow; created: boolean }> {
    const [inserted] = await this.dataSource.query(
      `INSERT INTO credit_commitment (department, reference, content_hash, subject_kind, subject_id_type, subject_id, subject_name,
         approval_item_code, approval_item_name, promise, due_on, approval_reference, approval_granted_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT ON CONSTRAINT uq_credit_commitment_reference DO NOTHING
       RETURNING ${COMMITMENT_COLUMNS}`,
      [
        input.department, input.reference, input.contentHash, input.subjectKind, input.subjectIdType, input.subjectId, input.subjectName,
        input.approvalItemCode, input.approvalItemName, input.promise, input.dueOn, input.approvalReference, input.approvalGrantedOn,
      ],
    );
    if (inserted) return { row: inserted, created: true };
    const [existing] = await this.dataSource.query(`SELECT ${COMMITMENT_COLUMNS} FROM credit_commitment WHERE department = $1 AND reference = $2`, [input.department, input.reference]);
    return { row: existing, created: false };
  }

  /**
   * A subject's commitments as a credit report shows them: every open one, and those kept or broken
   * within the five-year limit before `today` (older ones may no longer be used), earliest due first.
   */
  async ofSubject(manager: EntityManager, subject: CommitmentSubject, today: string): Promise<CommitmentRow[]> {
    return manager.query(
      `SELECT ${COMMITMENT_COLUMNS} FROM credit_commitment
       WHERE subject_id = $1 AND subject_id_type = $2
         AND (state = 'open' OR closed_on >= ($3::date - interval '${LEGAL_LIMITATION_YEARS} years')::date)
       ORDER BY due_on, recorded_at, id`,
      [subject.id, subject.idType, today],
    );
  }

  async find(id: string): Promise<CommitmentRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COMMITMENT_COLUMNS} FROM credit_commitment WHERE id = $1`, [id]);
    return row;
  }

  /** The commitment, locked until the transaction ends: a report and the scheduler never both close it. */
  async lock(manager: EntityManager, id: string): Promise<CommitmentRow | undefined> {
    const [row] = await manager.query(`SELECT ${COMMITMENT_COLUMNS} FROM credit_commitment WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  async markKept(manager: EntityManager, id: string, fulfilledOn: string, evidenceReference: string, now: Date): Promise<CommitmentRow> {
    const [row] = returningRows<CommitmentRow>(await manager.query(
      `UPDATE credit_commitment SET state = 'kept', closed_on = $2, evidence_reference = $3, closed_at = $4
       WHERE id = $1 AND state = 'open' RETURNING ${COMMITMENT_COLUMNS}`,
      [id, fulfilledOn, evidenceReference, now],
    ));
    return row;
  }

  async markBreached(manager: EntityManager, id: string, breachedOn: string, reason: string, now: Date): Promise<CommitmentRow> {
    const [row] = returningRows<CommitmentRow>(await manager.query(
      `UPDATE credit_commitment SET state = 'breached', breach_kind = 'reported', closed_on = $2, breach_reason = $3, closed_at = $4
       WHERE id = $1 AND state = 'open' RETURNING ${COMMITMENT_COLUMNS}`,
      [id, breachedOn, reason, now],
    ));
    return row;
  }

  /**
   * Every open commitment whose promised date has passed (the date is inclusive: due on D is in
   * time on D, broken from D + 1) becomes breached, broken on the day after its date. A
   * conditional update: a repeated sweep finds none of them open.
   */
  async breachOverdue(manager: EntityManager, today: string, now: Date): Promise<CommitmentRow[]> {
    return returningRows<CommitmentRow>(await manager.query(
      `UPDATE credit_commitment SET state = 'breached', breach_kind = 'overdue', closed_on = due_on + 1,
         breach_reason = 'not fulfilled by ' || due_on::text, closed_at = $2
       WHERE state = 'open' AND due_on < $1::date RETURNING ${COMMITMENT_COLUMNS}`,
      [today, now],
    ));
  }

  /** Breaches whose event is not in the engine's intake yet, oldest first, locked so one tick announces each. */
  async unannouncedBreaches(manager: EntityManager, limit: number): Promise<CommitmentRow[]> {
    return manager.query(
      `SELECT ${COMMITMENT_COLUMNS} FROM credit_commitment WHERE state = 'breached' AND breach_event_id IS NULL ORDER BY closed_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markAnnounced(manager: EntityManager, id: string, eventId: string): Promise<void> {
    await manager.query(`UPDATE credit_commitment SET breach_event_id = $2 WHERE id = $1 AND breach_event_id IS NULL`, [id, eventId]);
  }

  /** The department's open commitments of a subject, earliest due first. */
  async openOf(subject: CommitmentSubject, department: string): Promise<CommitmentRow[]> {
    return this.dataSource.query(
      `SELECT ${COMMITMENT_COLUMNS} FROM credit_commitment WHERE subject_id_type = $1 AND subject_id = $2 AND department = $3 AND state = 'open' ORDER BY due_on, id`,
      [subject.idType, subject.id, department],
    );
  }

  /** How a subject's commitments stand, by every department (or one: `department`). */
  async commitmentRecord(subject: CommitmentSubject, department?: string): Promise<CommitmentRecord> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE state = 'open')::int AS open, count(*) FILTER (WHERE state = 'kept')::int AS kept,
              count(*) FILTER (WHERE state = 'breached')::int AS broken
       FROM credit_commitment WHERE subject_id_type = $1 AND subject_id = $2 AND ($3::text IS NULL OR department = $3)`,
      [subject.idType, subject.id, department ?? null],
    );
    return { open: row.open, kept: row.kept, broken: row.broken };
  }

  /**
   * Kept and broken commitments of each subject (keyed `idType/id`), read in the caller's
   * transaction: the credit classes' facts `commitments.kept` and `commitments.broken`, so a
   * breach and the class it causes commit together. A breach counts while its information may be
   * used: closed on or after `usableFrom` (today less the five-year limit, DOMAIN §4).
   */
  async standingOf(manager: EntityManager, subjects: readonly { idType: string; id: string }[], usableFrom: string): Promise<Map<string, { kept: number; broken: number }>> {
    if (subjects.length === 0) return new Map();
    const rows: { key: string; kept: number; broken: number }[] = await manager.query(
      `SELECT c.subject_id_type || '/' || c.subject_id AS key,
              count(*) FILTER (WHERE c.state = 'kept')::int AS kept,
              count(*) FILTER (WHERE c.state = 'breached' AND c.closed_on >= $3::date)::int AS broken
       FROM credit_commitment c
       JOIN unnest($1::text[], $2::text[]) AS s(id_type, id) ON c.subject_id_type = s.id_type AND c.subject_id = s.id
       GROUP BY 1`,
      [subjects.map((s) => s.idType), subjects.map((s) => s.id), usableFrom],
    );
    return new Map(rows.map((r) => [r.key, { kept: r.kept, broken: r.broken }]));
  }
}
