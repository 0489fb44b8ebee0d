import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IDENTIFIER_TYPES, SUBJECT_KINDS } from '@app/domain';
import type { CheckedCommitment, CommitmentView } from '@app/query';
import type { CommitmentRecord } from '@app/persistence';

export class CommitmentSubjectRefDto {
  @ApiProperty({ enum: SUBJECT_KINDS, example: 'enterprise' }) kind: string;
  @ApiProperty({ enum: IDENTIFIER_TYPES, example: 'USCC' }) idType: string;
  @ApiProperty({ example: '91510802MA6B3N4TXM' }) id: string;
  @ApiProperty({ maxLength: 200, example: '广元市利州区嘉禾商贸有限公司' }) name: string;
}

export class CommitmentApprovalItemDto {
  @ApiProperty({ maxLength: 64, description: "The approval system's own item code, kebab-case.", example: 'food-business-licence' }) code: string;
  @ApiProperty({ maxLength: 200, example: '食品经营许可' }) name: string;
}

export class CommitmentApprovalDto {
  @ApiProperty({ maxLength: 120, description: 'The business reference of the approval the commitment unlocked.', example: 'JY15108020012345' }) reference: string;
  @ApiProperty({ format: 'date', description: 'Not in the future.', example: '2026-11-02' }) grantedOn: string;
}

/** The body of POST /v1/commitments, as libs/query's CommitmentDto validates it. */
export class CommitmentRequestDto {
  @ApiProperty({ maxLength: 120, description: 'Your own reference of the commitment: a retry with it answers the same commitment; other content under it is refused.', example: '利市监承诺〔2026〕17号' })
  reference: string;

  @ApiProperty({ type: CommitmentSubjectRefDto }) subject: CommitmentSubjectRefDto;
  @ApiProperty({ type: CommitmentApprovalItemDto }) approvalItem: CommitmentApprovalItemDto;

  @ApiProperty({ maxLength: 2000, description: 'What the applicant promises.', example: '承诺60日内补齐经营场所证明材料' })
  promise: string;

  @ApiProperty({ format: 'date', description: 'The promised date, inclusive, China time: not kept by the end of this day, the commitment is broken the next day.', example: '2027-01-01' })
  dueOn: string;

  @ApiProperty({ type: CommitmentApprovalDto }) approval: CommitmentApprovalDto;
}

export class FulfilmentRequestDto {
  @ApiProperty({ format: 'date', description: 'Not in the future, not after the due date.', example: '2026-12-20' }) fulfilledOn: string;
  @ApiProperty({ maxLength: 200, description: 'The evidence: a document or case reference.', example: '利市监核〔2026〕88号' }) evidenceReference: string;
}

export class BreachRequestDto {
  @ApiProperty({ format: 'date', description: 'The day the commitment was found broken (the conduct ended); not in the future.', example: '2026-12-10' }) breachedOn: string;
  @ApiProperty({ maxLength: 2000, example: '核查发现承诺内容与实际不符' }) reason: string;
  @ApiPropertyOptional({ maxLength: 120, example: '利市监查〔2026〕5号' }) caseReference?: string;
}

export class CommitmentFulfilmentDto {
  @ApiProperty({ format: 'date' }) fulfilledOn: string;
  @ApiProperty() evidenceReference: string;
}

export class CommitmentBreachDto {
  @ApiProperty({ enum: ['reported', 'overdue'], description: '`reported` by the department; `overdue`: not kept by its date, broken the day after.' }) kind: 'reported' | 'overdue';
  @ApiProperty({ format: 'date' }) breachedOn: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true, description: 'The id of its credit.commitment.breached.v1 event (source: the recording department) once the engine has it; null until the next lifecycle tick.', example: 'commitment-breach-3f0c1d52-6b8e-4d0a-9a51-0f7f0b5a2c11' }) eventId: string | null;
}

export class CorrectionRequestDto {
  @ApiProperty({ format: 'date', description: 'When it was kept: on or before the due date (inclusive), not in the future.', example: '2026-12-20' }) fulfilledOn: string;
  @ApiProperty({ maxLength: 200, description: 'The evidence: a document or case reference.', example: '利市监核〔2026〕88号' }) evidenceReference: string;
  @ApiProperty({ maxLength: 2000, description: 'Why the fulfilment was reported late.', example: '申请人已于到期日前提交材料，窗口人员未及时录入' }) reason: string;
}

export class CorrectedBreachDto {
  @ApiProperty({ enum: ['overdue'] }) kind: 'overdue';
  @ApiProperty({ format: 'date' }) breachedOn: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true, description: 'Its credit.commitment.breached.v1 event, if the engine had decided it before the correction.' }) eventId: string | null;
}

export class CommitmentCorrectionDto {
  @ApiProperty({ format: 'date-time' }) correctedAt: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true, description: 'The X-User-Id of the correcting request; null without one.', example: 'clerk-7' }) correctedBy: string | null;
  @ApiProperty({ type: CorrectedBreachDto, description: 'The automatic breach the correction took back.' }) breach: CorrectedBreachDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The credit.list-entry.removed.v1 event (id `commitment-correction-<decision id>`) that withdrew the breach decision, once the engine has made it at a lifecycle tick; null before, or when the breach had not been decided yet.',
  })
  withdrawalEventId: string | null;
}

export class CommitmentViewDto implements CommitmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty({ example: 'market-regulation' }) department: string;
  @ApiProperty({ type: CommitmentSubjectRefDto }) subject: CommitmentSubjectRefDto;
  @ApiProperty({ type: CommitmentApprovalItemDto }) approvalItem: CommitmentApprovalItemDto;
  @ApiProperty() promise: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ type: CommitmentApprovalDto }) approval: CommitmentApprovalDto;
  @ApiProperty({ enum: ['open', 'kept', 'breached'] }) state: 'open' | 'kept' | 'breached';
  @ApiProperty({ type: CommitmentFulfilmentDto, nullable: true }) fulfilment: CommitmentFulfilmentDto | null;
  @ApiProperty({ type: CommitmentBreachDto, nullable: true }) breach: CommitmentBreachDto | null;
  @ApiProperty({ type: CommitmentCorrectionDto, nullable: true, description: 'Set when an automatic breach was corrected: the commitment is kept.' }) correction: CommitmentCorrectionDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When the engine took a kept commitment into account (the subject's class recomputed; a corrected breach withdrawn): at the next lifecycle tick. Null until then, and for open and broken ones." })
  settledAt: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
}

export class CheckedCommitmentDto implements CheckedCommitment {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty({ type: CommitmentApprovalItemDto }) approvalItem: CommitmentApprovalItemDto;
  @ApiProperty() promise: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ type: CommitmentApprovalDto }) approval: CommitmentApprovalDto;
}

export class CommitmentRecordDto implements CommitmentRecord {
  @ApiProperty({ example: 1 }) open: number;
  @ApiProperty({ example: 2 }) kept: number;
  @ApiProperty({ example: 0 }) broken: number;
}

export class CheckedCommitmentsDto {
  @ApiProperty({ type: [CheckedCommitmentDto], description: 'Your own open commitments of the subject, earliest due first.' }) open: CheckedCommitmentDto[];
  @ApiProperty({ type: CommitmentRecordDto, description: "The subject's commitments by how they stand: by every department for an organisation, by you only for a natural person." }) record: CommitmentRecordDto;
}
