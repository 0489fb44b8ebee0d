import { chinaDate, CreditEvent, departmentSource, EVENT_TYPES, parseCreditEvent } from '@app/domain';
import type { CommitmentRow } from '@app/persistence';

const MAX_MATTER = 500;

/** The breach event's id, derived from the commitment: one commitment, at most one breach event. */
export function commitmentBreachEventId(commitmentId: string): string {
  return `commitment-breach-${commitmentId}`;
}

/**
 * The credit.commitment.breached.v1 event the recording department would publish for a broken
 * commitment, made by the engine: decided on the day the breach was recorded (reported, or
 * found overdue), the conduct ended on the day it was broken (the five-year limit counts from
 * it), the commitment's own reference as the document number.
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
    },
  });
}
