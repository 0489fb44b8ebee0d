import { chinaDate, CreditEvent, departmentSource, EVENT_TYPES, parseCreditEvent } from '@app/domain';
import type { BreachDecision, CommitmentRow } from '@app/persistence';

const MAX_MATTER = 500;

/** The breach event's id, derived from the commitment: one commitment, at most one breach event. */
export function commitmentBreachEventId(commitmentId: string): string {
  return `commitment-breach-${commitmentId}`;
}

/**
 * The credit.commitment.breached.v1 event the recording department would publish for a broken
 * commitment, made by the engine: decided on the day the breach was recorded (reported, or
 * found overdue), the conduct ended on the day it was broken (the five-year limit counts from
 * it) and the measures' terms run from that day too, however late it was reported or found; the
 * commitment's own reference as the document number.
 */
export function commitmentBreachEvent(row: CommitmentRow, now: Date): CreditEvent {
  if (row.state !== 'breached' || row.closedOn === null || row.closedAt === null) throw new Error(`commitment ${row.id} is not breached`);
  const matter = `${row.approvalItemName}：${row.promise}`;
  return parseCreditEvent({
    specversion: '1.0',
    id: commitmentBreachEventId(row.id),
    source: departmentSource(row.department),
    type: EVENT_TYPES.commitmentBreached,
    subject: row.subjectId,
    time: now.toISOString(),
    data: {
      subject: { kind: row.subjectKind, idType: row.subjectIdType, id: row.subjectId, name: row.subjectName },
      commitmentType: row.approvalItemCode,
      matter: matter.length > MAX_MATTER ? `${matter.slice(0, MAX_MATTER - 1)}…` : matter,
      documentNumber: row.reference,
      decidedOn: chinaDate(new Date(row.closedAt)),
      conductEndedOn: row.closedOn,
      validFrom: row.closedOn,
    },
  });
}

/** The removal event's id, derived from the decision it withdraws: one decision, at most one withdrawal. */
export function commitmentWithdrawalEventId(decisionId: string): string {
  return `commitment-correction-${decisionId}`;
}

/**
 * The credit.list-entry.removed.v1 event that withdraws a decision of a breach its department
 * corrected (kept in time, reported late), made by the engine as from the department that may
 * remove it: the identifying department of the decision's list ("whoever identifies, removes"),
 * or the recording department for a decision without a list entry. Decided on `today`.
 */
export function commitmentWithdrawalEvent(row: CommitmentRow, decision: BreachDecision, today: string, now: Date): CreditEvent {
  if (row.state !== 'kept' || row.correctedAt === null) throw new Error(`commitment ${row.id} is not a corrected breach`);
  return parseCreditEvent({
    specversion: '1.0',
    id: commitmentWithdrawalEventId(decision.decisionId),
    source: departmentSource(decision.identifyingDepartment ?? row.department),
    type: EVENT_TYPES.listEntryRemoved,
    subject: row.subjectId,
    time: now.toISOString(),
    data: {
      subject: { kind: row.subjectKind, idType: row.subjectIdType, id: row.subjectId, name: row.subjectName },
      documentNumber: row.reference,
      decidedOn: today,
      decisionId: decision.decisionId,
      reason: 'commitment-kept-in-time',
    },
  });
}
