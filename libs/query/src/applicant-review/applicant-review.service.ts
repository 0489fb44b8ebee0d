import { Injectable } from '@nestjs/common';
import type { BilingualText } from '@app/domain';
import type { ClosedCommitmentRow, CommitmentRecord } from '@app/persistence';
import { AUDITED_ENDPOINTS } from '../audit/query-audit.service';
import { CreditCheckError } from '../credit-check/credit-check.errors';
import type { CheckOutcome } from '../credit-check/approval-items';
import {
  CheckedCommitment,
  CheckedCreditClass,
  CheckedListMembership,
  CheckedMeasure,
  CheckedSelfDiscipline,
  CreditCheckCommand,
  CreditCheckResult,
  CreditCheckService,
} from '../credit-check/credit-check.service';
import { COMMITMENT_ROUTE_ITEM, commitmentRouteVerdict, CommitmentRouteVerdict } from './commitment-route';

/** How a closed commitment ended, as the approval system weighs it. */
export type CommitmentEnding = 'kept' | 'kept-corrected' | 'broken' | 'breach-withdrawn';

/** A kept or broken commitment of the applicant, with its approval item and due date. */
export interface ReviewedCommitment {
  id: string;
  department: string;
  reference: string;
  approvalItem: { code: string; name: string };
  /** The promised date, inclusive (China time). */
  dueOn: string;
  /**
   * kept; kept-corrected: an automatic breach its department corrected (kept in time, reported late); broken; breach-withdrawn: broken, its
   * decision removed, repaired or revoked on objection. A breach taken back is no longer published (DOMAIN §4): `breach-withdrawn` and
   * `kept-corrected` are shown only to the department that recorded the commitment; other departments do not see a withdrawn breach
   * and see a corrected one as `kept`.
   */
  ended: CommitmentEnding;
  /** Fulfilled on, or broken on. */
  endedOn: string;
  /** The breach: reported by the department or overdue; what withdrew it, if anything. Null for a commitment kept. */
  breach: { kind: 'reported' | 'overdue'; withdrawnBy: string | null } | null;
}

/**
 * The applicant credit review (申请人信用审查) of one approval: the check of the subject for the
 * item (classes, lists, the caller's measures), the commitments (open, record, history) and the
 * verdict on the commitment route. `reviewId` is the id of its audit row.
 */
export interface ApplicantReview {
  reviewId: string;
  reviewedAt: string;
  asOf: string;
  department: string;
  approvalItem: { code: string; name: BilingualText };
  subject: CreditCheckResult['subject'];
  record: boolean;
  /** The credit check's outcome for the item itself. */
  outcome: CheckOutcome;
  creditClasses: CheckedCreditClass[];
  listMemberships: CheckedListMembership[];
  /** The caller's measures in force for the item. */
  measures: CheckedMeasure[];
  commitments: { open: CheckedCommitment[]; record: CommitmentRecord; history: ReviewedCommitment[] };
  selfDiscipline: CheckedSelfDiscipline | null;
  commitmentRoute: CommitmentRouteVerdict;
}

/**
 * Composes the credit check: the same one audited statement (logged as the review's endpoint,
 * counted in the same burst limit) and the same accountability rules, with the route's measures
 * and the commitment history read beside the item's.
 */
@Injectable()
export class ApplicantReviewService {
  private readonly routeMeasures: readonly string[];

  constructor(private readonly checks: CreditCheckService) {
    const route = checks.approvalItems.get(COMMITMENT_ROUTE_ITEM);
    // A review that could not see the route's measures would answer "allowed" by a missing file entry.
    if (!route) {
      throw new CreditCheckError('CHECK.INVALID_APPROVAL_ITEMS', `approval items refused: no "${COMMITMENT_ROUTE_ITEM}" item, whose measures (those barring commitment-based approval) the applicant review reads`, {
        problems: [`$.items: needs the "${COMMITMENT_ROUTE_ITEM}" item`],
      });
    }
    this.routeMeasures = route.measures;
  }

  async review(command: CreditCheckCommand): Promise<ApplicantReview> {
    const { check, alsoMeasures, commitmentHistory } = await this.checks.checkWith(command, {
      endpoint: AUDITED_ENDPOINTS.applicantReview,
      alsoMeasures: this.routeMeasures,
      commitmentHistory: true,
    });
    return {
      reviewId: check.checkId,
      reviewedAt: check.checkedAt,
      asOf: check.asOf,
      department: check.department,
      approvalItem: check.approvalItem,
      subject: check.subject,
      record: check.record,
      outcome: check.outcome,
      creditClasses: check.creditClasses,
      listMemberships: check.listMemberships,
      measures: check.measures,
      commitments: { ...check.commitments, history: commitmentHistory.map(reviewed) },
      selfDiscipline: check.selfDiscipline,
      commitmentRoute: commitmentRouteVerdict(check.outcome, check.measures, alsoMeasures),
    };
  }
}

export function reviewed(row: ClosedCommitmentRow): ReviewedCommitment {
  const ended: CommitmentEnding = row.state === 'kept' ? (row.corrected ? 'kept-corrected' : 'kept') : row.withdrawnBy ? 'breach-withdrawn' : 'broken';
  return {
    id: row.id,
    department: row.department,
    reference: row.reference,
    approvalItem: { code: row.approvalItemCode, name: row.approvalItemName },
    dueOn: row.dueOn,
    ended,
    endedOn: row.closedOn,
    breach: row.state === 'breached' ? { kind: row.breachKind!, withdrawnBy: row.withdrawnBy } : null,
  };
}
