import { ApiProperty } from '@nestjs/swagger';
import {
  ApplicantReview,
  CheckOutcome,
  CommitmentEnding,
  CommitmentRouteReason,
  CommitmentRouteReasonCode,
  CommitmentRouteVerdict,
  OUTCOME_PRECEDENCE,
  ReviewedCommitment,
} from '@app/query';
import { BilingualTextDto } from './common.dto';
import { CheckedCommitmentDto, CommitmentApprovalItemDto, CommitmentRecordDto } from './commitments.dto';
import {
  CheckedApprovalItemDto,
  CheckedCreditClassDto,
  CheckedListMembershipDto,
  CheckedMeasureDto,
  CheckedSelfDisciplineDto,
  CheckedSubjectDto,
  CREDIT_CHECK_EXAMPLE,
} from './credit-check.dto';

const ENDINGS: readonly CommitmentEnding[] = ['kept', 'kept-corrected', 'broken', 'breach-withdrawn'];
const REASON_CODES: readonly CommitmentRouteReasonCode[] = ['measure-in-force', 'item-denied'];

class ReviewedBreachDto {
  @ApiProperty({ enum: ['reported', 'overdue'], description: '`reported` by its department; `overdue`: not reported kept by its date.' }) kind: 'reported' | 'overdue';
  @ApiProperty({ type: String, nullable: true, enum: ['removed', 'repaired', 'objection-revoked', null], description: 'What took the breach back (its decision removed, repaired, or revoked on objection); null while it stands.' })
  withdrawnBy: string | null;
}

export class ReviewedCommitmentDto implements ReviewedCommitment {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'market-regulation' }) department: string;
  @ApiProperty({ example: '利市监承诺〔2026〕17号' }) reference: string;
  @ApiProperty({ type: CommitmentApprovalItemDto }) approvalItem: CommitmentApprovalItemDto;
  @ApiProperty({ format: 'date', description: 'The promised date, inclusive (China time).' }) dueOn: string;
  @ApiProperty({
    enum: ENDINGS,
    description: '`kept`; `kept-corrected`: an automatic breach its department corrected (kept in time, reported late); `broken`: counts in the record; `breach-withdrawn`: broken, but its decision was removed, repaired or revoked, so it no longer counts. `breach-withdrawn` and `kept-corrected` are shown only to the recording department: a breach taken back is no longer published, so others see no withdrawn breach and a corrected one as `kept`.',
  })
  ended: CommitmentEnding;
  @ApiProperty({ format: 'date', description: 'Fulfilled on, or broken on.' }) endedOn: string;
  @ApiProperty({ type: ReviewedBreachDto, nullable: true }) breach: ReviewedBreachDto | null;
}

export class ReviewedCommitmentsDto {
  @ApiProperty({ type: [CheckedCommitmentDto], description: 'Your own open commitments of the subject, earliest due first.' }) open: CheckedCommitmentDto[];
  @ApiProperty({ type: CommitmentRecordDto, description: 'By how they stand: by every department for an organisation, by you only for a natural person; `broken` leaves out breaches taken back.' }) record: CommitmentRecordDto;
  @ApiProperty({ type: [ReviewedCommitmentDto], description: 'Kept and broken commitments within the five-year limit, latest first (at most 100), in the same scope as `record`.' }) history: ReviewedCommitmentDto[];
}

class RouteMeasureDto {
  @ApiProperty({ example: 'CB-01' }) code: string;
  @ApiProperty({ type: BilingualTextDto }) text: BilingualTextDto;
  @ApiProperty({ format: 'uuid' }) decisionId: string;
  @ApiProperty({ format: 'date', description: 'Last day in force, inclusive: the route stays closed through it.' }) validTo: string;
  @ApiProperty({ description: 'Under an objection: it still applies.' }) disputed: boolean;
}

class CommitmentRouteReasonDto implements CommitmentRouteReason {
  @ApiProperty({ enum: REASON_CODES, description: '`measure-in-force`: a measure of yours barring commitment-based approval (告知承诺); `item-denied`: your measures deny the item itself, which no commitment replaces.' })
  code: CommitmentRouteReasonCode;
  @ApiProperty({ type: RouteMeasureDto }) measure: RouteMeasureDto;
  @ApiProperty({ type: BilingualTextDto }) explanation: BilingualTextDto;
}

class CommitmentRouteVerdictDto implements CommitmentRouteVerdict {
  @ApiProperty({ description: 'True: the applicant may be approved on its credit commitment (告知承诺) for this item; false: the ordinary procedure with complete materials.' }) allowed: boolean;
  @ApiProperty({ type: [CommitmentRouteReasonDto], description: 'Why not; empty when allowed.' }) reasons: CommitmentRouteReasonDto[];
}

export class ApplicantReviewDto implements ApplicantReview {
  @ApiProperty({ description: "The id of the review's audit row (query_audit).", example: '1907' }) reviewId: string;
  @ApiProperty({ format: 'date-time' }) reviewedAt: string;
  @ApiProperty({ format: 'date', description: 'The China calendar date the review applies to.' }) asOf: string;
  @ApiProperty({ example: 'market-regulation' }) department: string;
  @ApiProperty({ type: CheckedApprovalItemDto }) approvalItem: CheckedApprovalItemDto;
  @ApiProperty({ type: CheckedSubjectDto }) subject: CheckedSubjectDto;
  @ApiProperty({ description: 'False: nothing in force about the subject (无记录) that you may see.' }) record: boolean;
  @ApiProperty({ enum: OUTCOME_PRECEDENCE, description: "The credit check's outcome for the item itself." }) outcome: CheckOutcome;
  @ApiProperty({ type: [CheckedCreditClassDto], description: 'Credit classes (信用分类) with their explanation, as the credit check answers them.' }) creditClasses: CheckedCreditClassDto[];
  @ApiProperty({ type: [CheckedListMembershipDto] }) listMemberships: CheckedListMembershipDto[];
  @ApiProperty({ type: [CheckedMeasureDto], description: 'Your measures in force for the item.' }) measures: CheckedMeasureDto[];
  @ApiProperty({ type: ReviewedCommitmentsDto }) commitments: ReviewedCommitmentsDto;
  @ApiProperty({ type: CheckedSelfDisciplineDto, nullable: true, description: 'Null for a natural person.' }) selfDiscipline: CheckedSelfDisciplineDto | null;
  @ApiProperty({ type: CommitmentRouteVerdictDto, description: 'May the applicant use the commitment route (告知承诺) for this item.' }) commitmentRoute: CommitmentRouteVerdictDto;
}

/** A review that finds a broken commitment's measure barring the commitment route (typed, so it keeps the DTO's shape). */
export const APPLICANT_REVIEW_EXAMPLE: ApplicantReviewDto = {
  reviewId: '1907',
  reviewedAt: '2026-12-02T02:15:04.118Z',
  asOf: '2026-12-02',
  department: 'market-regulation',
  approvalItem: { code: 'administrative-licensing', name: { zh: '行政许可', en: 'Administrative licensing' } },
  subject: { id: '91510802MA6B3N4TXM', idType: 'USCC', kind: 'enterprise', name: '广元市利州区嘉禾商贸有限公司' },
  record: true,
  outcome: 'clear',
  creditClasses: [
    {
      ...CREDIT_CHECK_EXAMPLE.creditClasses[0],
      class: 'C',
      label: { zh: 'C类（信用风险较高）', en: 'Class C (higher credit risk)' },
      rule: { name: 'broken-commitment', description: { zh: '违背信用承诺', en: 'broke a credit commitment' } },
      matchedFacts: { 'commitments.broken': 1 },
      explanation: { zh: 'C类（信用风险较高）：违背信用承诺（commitments.broken=1）', en: 'Class C (higher credit risk): broke a credit commitment (commitments.broken=1)' },
    },
  ],
  listMemberships: [],
  measures: [],
  commitments: {
    open: [],
    record: { open: 0, kept: 1, broken: 1 },
    history: [
      {
        id: '3f0c1d52-6b8e-4d0a-9a51-0f7f0b5a2c11',
        department: 'market-regulation',
        reference: '利市监承诺〔2026〕17号',
        approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
        dueOn: '2026-10-31',
        ended: 'broken',
        endedOn: '2026-11-01',
        breach: { kind: 'overdue', withdrawnBy: null },
      },
    ],
  },
  selfDiscipline: { counts: { warning: 0, 'circulated-criticism': 0, 'public-condemnation': 0 }, associations: [] },
  commitmentRoute: {
    allowed: false,
    reasons: [
      {
        code: 'measure-in-force',
        measure: {
          code: 'CB-01',
          text: { zh: '自违背承诺之日起一年内，区市场监管局对其申请的审批事项不适用告知承诺制，按一般程序提交全部材料。', en: 'For one year from the broken commitment, market-regulation does not grant the subject commitment-based (告知承诺) approval.' },
          decisionId: '0b9f6a52-3c1d-4e8a-9f27-6d5c4b3a2e10',
          validTo: '2027-10-31',
          disputed: false,
        },
        explanation: { zh: '措施 CB-01 有效至 2027-10-31：不适用告知承诺制，按一般程序提交全部材料', en: 'measure CB-01 is in force through 2027-10-31: no commitment-based approval; complete materials under the ordinary procedure' },
      },
    ],
  },
};
