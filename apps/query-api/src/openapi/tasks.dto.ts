import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FEEDBACK_OUTCOMES, FeedbackView } from '@app/query';
import { BilingualTextDto } from './common.dto';
import { LegalBasisDto } from './credit-check.dto';

type FeedbackOutcome = FeedbackView['outcome'];
const TASK_STATES = ['active', 'expired', 'revoked'] as const;

/** The body of POST /v1/tasks/{taskId}/feedback, as libs/query's FeedbackDto validates it. */
export class FeedbackReportDto {
  @ApiProperty({ enum: FEEDBACK_OUTCOMES, example: 'applied' })
  outcome: FeedbackOutcome;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required when the outcome is not-applicable, exempted or failed.' })
  reason?: string;

  @ApiProperty({ maxLength: 200, description: 'The case or approval number under which the department acted.', example: '广财采〔2026〕17号' })
  businessReference: string;

  @ApiProperty({ format: 'date', description: 'The China date the measure was applied; not in the future.', example: '2026-02-03' })
  appliedOn: string;

  @ApiPropertyOptional({ maxLength: 128, description: "The reporting clerk's user id in the department's own system.", example: 'clerk-0042' })
  operator?: string;

  @ApiPropertyOptional({ description: 'Report on a task that has ended (revoked, expired) knowingly; refused otherwise. False when absent.' })
  acknowledgeRevoked?: boolean;
}

export class FeedbackViewDto implements FeedbackView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty({ example: 'finance' }) department: string;
  @ApiProperty({ enum: FEEDBACK_OUTCOMES }) outcome: FeedbackOutcome;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ example: '广财采〔2026〕17号' }) businessReference: string;
  @ApiProperty({ format: 'date' }) appliedOn: string;
  @ApiProperty({ type: String, nullable: true }) operator: string | null;
  @ApiProperty() acknowledgedRevoked: boolean;
  @ApiProperty({ format: 'date-time' }) reportedAt: string;
}

class TaskTargetDto {
  @ApiProperty({ example: 'subject' }) role: string;
  @ApiProperty({ example: 'USCC' }) idType: string;
  @ApiProperty({ example: '91510802MA6XQ1234L' }) id: string;
  @ApiProperty() name: string;
}

export class TaskViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) decisionId: string;
  @ApiProperty({ type: String, nullable: true }) listEntryId: string | null;
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
  @ApiProperty({ example: 'JD-01' }) measureCode: string;
  @ApiProperty({ example: 'restriction' }) category: string;
  @ApiProperty({ type: BilingualTextDto }) text: BilingualTextDto;
  @ApiProperty({ example: 'finance' }) implementingDepartment: string;
  @ApiProperty({ type: [String] }) cooperatingDepartments: string[];
  @ApiProperty({ type: TaskTargetDto }) target: TaskTargetDto;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
  @ApiProperty({ enum: TASK_STATES }) state: (typeof TASK_STATES)[number];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) endReason: string | null;
  @ApiProperty() disputed: boolean;
  @ApiProperty({ type: String, format: 'date', nullable: true }) feedbackDueOn: string | null;
  @ApiProperty({ description: 'The due date may still move (past the working-day calendar, or over days awaiting a holiday notice).' }) feedbackDueProvisional: boolean;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TaskListItemDto extends TaskViewDto {
  @ApiProperty({ enum: FEEDBACK_OUTCOMES, isArray: true }) feedbackOutcomes: FeedbackOutcome[];
}

export class TaskPageDto {
  @ApiProperty({ example: 'finance' }) department: string;
  @ApiProperty({ type: [TaskListItemDto] }) tasks: TaskListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last page.' }) nextCursor: string | null;
}

export class TaskDetailDto extends TaskViewDto {
  @ApiProperty({ type: [LegalBasisDto] }) legalBasis: LegalBasisDto[];
  @ApiProperty({ type: [FeedbackViewDto] }) feedback: FeedbackViewDto[];
}

export const TASK_STATE_VALUES = TASK_STATES;
