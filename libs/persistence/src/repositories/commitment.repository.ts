import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEPARTMENT_SOURCE_PREFIX } from '@app/domain';
import type { EndReason } from '@app/decision-log';
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
  /** The id of the credit.commitment.breached.v1 event once it is in the engine's intake (kept as history by a correction). */
  breachEventId: string | null;
  recordedAt: Date;
  /** When the engine took a kept commitment into account (class recomputed, a corrected breach withdrawn); null until then. */
  settledAt: Date | null;
  /** An overdue breach the department corrected (it was kept in time, reported late): when, and why. */
  correctedAt: Date | null;
  correctionReason: string | null;
  /** Who corrected it (X-User-Id), when the caller said. */
  correctedBy: string | null;
  /** The removal event that withdrew the corrected breach's decision, once in the engine's intake. */
  withdrawalEventId: string | null;
}

export type CommitmentInput = Omit<
  CommitmentRow,
  'id' | 'state' | 'closedOn' | 'closedAt' | 'evidenceReference' | 'breachKind' | 'breachReason' | 'breachEventId' | 'recordedAt' | 'settledAt' | 'correctedAt' | 'correctionReason' | 'correctedBy' | 'withdrawalEventId'
>;

/** A subject's commitments by how they stand: the facts `commitments.kept` / `commitments.broken` of credit classes. */
export interface CommitmentRecord {
  open: number;
  kept: number;
  broken: number;
}

/** Every column of credit_commitment as CommitmentRow names it (bare names: select FROM credit_commitment alone). */
export const COMMITMENT_COLUMNS = `id, department, reference, content_hash AS "contentHash", subject_kind AS "subjectKind", subject_id_type AS "subjectIdType",
  subject_id AS "subjectId", subject_name AS "subjectName", approval_item_code AS "approvalItemCode", approval_item_name AS "approvalItemName",
  promise, due_on::text AS "dueOn", approval_reference AS "approvalReference", approval_granted_on::text AS "approvalGrantedOn", state,
  closed_on::text AS "closedOn", closed_at AS "closedAt", evidence_reference AS "evidenceReference", breach_kind AS "breachKind",
  breach_reason AS "breachReason", breach_event_id AS "breachEventId", recorded_at AS "recordedAt", settled_at AS "settledAt",
  corrected_at AS "correctedAt", correction_reason AS "correctionReason", corrected_by AS "correctedBy", withdrawal_event_id AS "withdrawalEventId"`;

/** End reasons that take a decision back (信用修复, 移出, 异议成立): a breach so withdrawn is no longer a broken commitment. */
export const WITHDRAWING_END_REASONS = ['removed', 'repaired', 'objection-revoked'] as const satisfies readonly EndReason[];

/**
 * How the breach of commitment row `c` was taken back, or null: the end reason (removed,
 * repaired, objection-revoked) of its decision's list entry or of a measure of it standing alone.
 * Expiry does not take a breach back: it stays on record for the five years.
 */
export function breachWithdrawalSql(c: string): string {
  const withdrawing = WITHDRAWING_END_REASONS.map((r) => `'${r}'`).join(', ');
  return `(SELECT w.end_reason FROM decision d
    CROSS JOIN LATERAL (SELECT le.end_reason FROM list_entry le WHERE le.decision_id = d.id AND le.end_reason IN (${withdrawing})
                        UNION ALL
                        SELECT mt.end_reason FROM measure_task mt WHERE mt.decision_id = d.id AND mt.list_entry_id IS NULL AND mt.end_reason IN (${withdrawing})) w
    WHERE d.cause_event_source = '${DEPARTMENT_SOURCE_PREFIX}' || ${c}.department AND d.cause_event_id = ${c}.breach_event_id
    LIMIT 1)`;
}

/**
 * Whether a commitment closed on `closedOn` is still within the five-year limit (DOMAIN §4) on
 * `today` (SQL date expressions). Counted forward from the closing day, as the class's next-change
 * date is (that date + 1): counting back from today would clamp differently at month ends (closed
 * 2023-02-28: 2028-02-29 less five years is 2023-02-28 again), and a class would keep a breach
 * past the day it was told to look again, with no later day stored.
 */
export function withinLimitationSql(closedOn: string, today: string): string {
  return `(${closedOn} + interval '${LEGAL_LIMITATION_YEARS} years')::date >= ${today}`;
}

/**
 * Whether commitment row `c` counts as broken on `today`: breached, within the five-year limit
 * (withinLimitationSql), and its breach not withdrawn. One definition for credit classes
 * (commitments.broken), the credit check's record and the applicant review.
 */
export function countedBreachSql(c: string, today: string): string {
  return `(${c}.state = 'breached' AND ${withinLimitationSql(`${c}.closed_on`, today)} AND ${breachWithdrawalSql(c)} IS NULL)`;
}

/** A decision a breach event caused, and who may withdraw it: its list's identifying department (null: no list entry, the publisher). */
export interface BreachDecision {
  decisionId: string;
  identifyingDepartment: string | null;
}

/** A kept commitment the engine has yet to settle; for a corrected breach already decided, the decisions to withdraw. */
export interface UnsettledCommitment {
  row: CommitmentRow;
  breachDecisions: BreachDecision[];
}

/** A subject, as commitments name it. */
export interface CommitmentSubject {
  idType: string;
  id: string;
}

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
   * A breach whose decision was taken back (repaired, removed, objection revoked) is left out: its
   * record is no longer published (DOMAIN §4).
   * `department` (a natural person's report): only the commitments that department recorded; null: every department's.
   */
  async ofSubject(manager: EntityManager, subject: CommitmentSubject, today: string, department: string | null): Promise<CommitmentRow[]> {
    return manager.query(
      `SELECT ${COMMITMENT_COLUMNS}
       FROM credit_commitment
       WHERE subject_id = $1 AND subject_id_type = $2
         AND (state = 'open' OR ${withinLimitationSql('closed_on', '$3::date')})
         AND ($4::text IS NULL OR department = $4::text)
         AND NOT (state = 'breached' AND ${breachWithdrawalSql('credit_commitment')} IS NOT NULL)
       ORDER BY due_on, recorded_at, id`,
      [subject.id, subject.idType, today, department],
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

  /** The breaches' events are in the intake: one statement for a tick's breaches. */
  async markAnnounced(manager: EntityManager, announced: readonly { id: string; eventId: string }[]): Promise<void> {
    if (announced.length === 0) return;
    await manager.query(
      `UPDATE credit_commitment c SET breach_event_id = a.event_id
       FROM unnest($1::uuid[], $2::text[]) AS a(id, event_id) WHERE c.id = a.id AND c.breach_event_id IS NULL`,
      [announced.map((a) => a.id), announced.map((a) => a.eventId)],
    );
  }

  /**
   * Reported kept since the engine last looked (corrections among them), oldest first, locked so
   * one tick settles each; a corrected breach already announced comes with the decisions its event caused.
   */
  async unsettledKept(manager: EntityManager, limit: number): Promise<UnsettledCommitment[]> {
    const rows: (CommitmentRow & { breachDecisions: BreachDecision[] })[] = await manager.query(
      `SELECT ${COMMITMENT_COLUMNS},
              (SELECT coalesce(json_agg(json_build_object('decisionId', d.id,
                        'identifyingDepartment', (SELECT le.identifying_department FROM list_entry le WHERE le.decision_id = d.id ORDER BY le.id LIMIT 1)) ORDER BY d.id), '[]')
               FROM decision d
               WHERE credit_commitment.corrected_at IS NOT NULL AND d.cause_event_source = '${DEPARTMENT_SOURCE_PREFIX}' || credit_commitment.department
                 AND d.cause_event_id = credit_commitment.breach_event_id) AS "breachDecisions"
       FROM credit_commitment WHERE state = 'kept' AND settled_at IS NULL ORDER BY closed_at, id LIMIT $1 FOR UPDATE OF credit_commitment SKIP LOCKED`,
      [limit],
    );
    return rows.map(({ breachDecisions, ...row }) => ({ row, breachDecisions }));
  }

  /** Settled: the class recomputed and, for a correction, its withdrawal (the first removal event's id) in the intake. */
  async markSettled(manager: EntityManager, settled: readonly { id: string; withdrawalEventId: string | null }[], now: Date): Promise<void> {
    if (settled.length === 0) return;
    await manager.query(
      `UPDATE credit_commitment c SET settled_at = $3, withdrawal_event_id = coalesce(s.event_id, c.withdrawal_event_id)
       FROM unnest($1::uuid[], $2::text[]) AS s(id, event_id) WHERE c.id = s.id AND c.settled_at IS NULL`,
      [settled.map((s) => s.id), settled.map((s) => s.withdrawalEventId), now],
    );
  }

  /**
   * An overdue breach corrected: the commitment was kept in time and reported late. It becomes
   * kept, keeping the breach (kind, reason, event) as history; unsettled, so the next tick
   * withdraws the breach decision and recomputes the class.
   */
  async markCorrected(manager: EntityManager, id: string, fulfilledOn: string, evidenceReference: string, reason: string, correctedBy: string | null, now: Date): Promise<CommitmentRow> {
    const [row] = returningRows<CommitmentRow>(await manager.query(
      `UPDATE credit_commitment SET state = 'kept', closed_on = $2, evidence_reference = $3, correction_reason = $4, corrected_at = $5, closed_at = $5, settled_at = NULL, corrected_by = $6
       WHERE id = $1 AND state = 'breached' AND breach_kind = 'overdue' RETURNING ${COMMITMENT_COLUMNS}`,
      [id, fulfilledOn, evidenceReference, reason, now, correctedBy],
    ));
    return row;
  }

  /**
   * Kept and broken commitments of each subject (keyed `idType/id`), read in the caller's
   * transaction: the credit classes' facts `commitments.kept` and `commitments.broken`, so a
   * breach and the class it causes commit together. A breach counts as countedBreachSql says on
   * the China date `today`: within the five-year limit and not withdrawn.
   */
  async standingOf(manager: EntityManager, subjects: readonly { idType: string; id: string }[], today: string): Promise<Map<string, { kept: number; broken: number }>> {
    if (subjects.length === 0) return new Map();
    const rows: { key: string; kept: number; broken: number }[] = await manager.query(
      `SELECT c.subject_id_type || '/' || c.subject_id AS key,
              count(*) FILTER (WHERE c.state = 'kept')::int AS kept,
              count(*) FILTER (WHERE ${countedBreachSql('c', '$3::date')})::int AS broken
       FROM credit_commitment c
       JOIN unnest($1::text[], $2::text[]) AS s(id_type, id) ON c.subject_id_type = s.id_type AND c.subject_id = s.id
       GROUP BY 1`,
      [subjects.map((s) => s.idType), subjects.map((s) => s.id), today],
    );
    return new Map(rows.map((r) => [r.key, { kept: r.kept, broken: r.broken }]));
  }
}
