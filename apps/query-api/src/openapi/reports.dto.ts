import { ApiProperty } from '@nestjs/swagger';
import { BilingualTextDto, DepartmentRefDto, ListRefDto } from './common.dto';

class RefusalDto {
  @ApiProperty({ example: 'EVENT.CONDUCT_PAST_LIMIT' }) code: string;
  @ApiProperty() reason: string;
}

class LifecycleOutcomeDto {
  @ApiProperty({ enum: ['applied', 'refused', 'no-effect'] }) status: 'applied' | 'refused' | 'no-effect';
  @ApiProperty({ type: String, nullable: true }) code: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: [String], description: 'List entries it concerned.' }) entries: string[];
  @ApiProperty({ type: [String], description: 'Measure tasks it concerned.' }) tasks: string[];
}

class DecisionRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'judgment-debtors' }) memorandum: string;
}

class CausedRecordDto {
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty({ example: 'finance' }) department: string;
  @ApiProperty({ example: 'decision.issued' }) kind: string;
  @ApiProperty({ description: 'Read it from the department feed at this cursor.', example: '42' }) cursor: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the Kafka relay put it on the department topic; null in the embedded mode or not yet.' }) publishedToTopicAt: string | null;
}

class EffectsDto {
  @ApiProperty({ type: [DecisionRefDto] }) decisions: DecisionRefDto[];
  @ApiProperty({ type: [CausedRecordDto] }) records: CausedRecordDto[];
}

export class EventStatusReportDto {
  @ApiProperty({ example: '/departments/court' }) source: string;
  @ApiProperty({ example: '7c0e5b7a-2f5d-4d5e-9b7c-1a3f4e5d6c7b' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: 'credit.judgment-debtor.listed.v1' }) type: string | null;
  @ApiProperty({ enum: ['received', 'decided', 'refused', 'dead-lettered'] }) status: 'received' | 'decided' | 'refused' | 'dead-lettered';
  @ApiProperty({ type: String, nullable: true, example: 'postgres' }) transport: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) receivedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: RefusalDto, nullable: true }) refusal: RefusalDto | null;
  @ApiProperty({ type: LifecycleOutcomeDto, nullable: true, description: 'For removal, repair and objections.' }) outcome: LifecycleOutcomeDto | null;
  @ApiProperty({ type: EffectsDto }) effects: EffectsDto;
}

export class DeadLetterViewDto {
  @ApiProperty({ example: '17' }) id: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ example: 'EVENT.SCHEMA_VIOLATION' }) errorCode: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) violations: unknown[];
  @ApiProperty({ type: String, nullable: true }) eventType: string | null;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: String, nullable: true }) eventId: string | null;
  @ApiProperty({ type: String, nullable: true }) topic: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) partition: number | null;
  @ApiProperty({ type: String, nullable: true }) offset: string | null;
  @ApiProperty({ type: String, nullable: true }) department: string | null;
  @ApiProperty({ type: 'integer' }) sizeBytes: number;
  @ApiProperty({ description: 'The message with identifiers and names masked.' }) preview: string;
  @ApiProperty({ enum: ['sealed', 'masked'], description: 'sealed: the body is kept encrypted; masked: only the preview was kept.' }) body: 'sealed' | 'masked';
}

export class DeadLetterPageDto {
  @ApiProperty({ example: 'court' }) department: string;
  @ApiProperty({ type: [DeadLetterViewDto] }) deadLetters: DeadLetterViewDto[];
  @ApiProperty({ example: '17' }) nextCursor: string;
}

export class DeadLetterDetailDto extends DeadLetterViewDto {
  @ApiProperty({ type: String, nullable: true, description: 'The message as received; null for a masked row.' }) raw: string | null;
}

class AuditedQueryDto {
  @ApiProperty({ example: '1842' }) cursor: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: String, nullable: true }) userId: string | null;
  @ApiProperty({ type: String, nullable: true }) purpose: string | null;
  @ApiProperty({ type: String, nullable: true }) approvalItem: string | null;
  @ApiProperty({ type: String, nullable: true }) subjectId: string | null;
  @ApiProperty({ type: String, nullable: true }) subjectIdType: string | null;
  @ApiProperty({ type: [String], description: 'Every subject the answer named.' }) subjects: string[];
  @ApiProperty({ example: 'GET /v1/subjects/{id}/check' }) endpoint: string;
  @ApiProperty({ type: 'integer' }) resultCount: number;
}

export class QueryAuditPageDto {
  @ApiProperty({ example: 'finance' }) department: string;
  @ApiProperty({ type: [AuditedQueryDto] }) queries: AuditedQueryDto[];
  @ApiProperty({ example: '1842' }) nextCursor: string;
}

class PublicSubjectDto {
  @ApiProperty({ example: 'legal-person' }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'USCC' }) idType: string;
  @ApiProperty({ description: "A natural person's identifier is masked." }) id: string;
}

class PublicListEntryDto {
  @ApiProperty({ type: ListRefDto }) list: ListRefDto;
  @ApiProperty({ type: PublicSubjectDto }) subject: PublicSubjectDto;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
  @ApiProperty({ type: DepartmentRefDto }) identifyingDepartment: DepartmentRefDto;
  @ApiProperty() documentNumber: string;
  @ApiProperty() disputed: boolean;
}

export class PublicListPageDto {
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty({ type: [PublicListEntryDto] }) entries: PublicListEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; pass as `after` for the next page. Null on the last page.' }) nextCursor: string | null;
}

class PeriodDto {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
}

class PublicationFiguresDto {
  @ApiProperty({ type: 'integer' }) events: number;
  @ApiProperty({ type: 'integer' }) onTime: number;
  @ApiProperty({ type: Number, nullable: true }) onTimeRate: number | null;
}

class MedianDto {
  @ApiProperty({ type: Number, nullable: true }) workingDays: number | null;
  @ApiProperty({ type: Number, nullable: true }) hours: number | null;
}

class TaskFiguresDto {
  @ApiProperty({ type: 'integer' }) received: number;
  @ApiProperty({ type: 'integer' }) withFeedback: number;
  @ApiProperty({ type: Number, nullable: true }) feedbackRate: number | null;
  @ApiProperty({ type: MedianDto }) medianTimeToFeedback: MedianDto;
  @ApiProperty({ type: 'integer' }) overdue: number;
  @ApiProperty({ type: 'integer' }) overdueBacklog: number;
}

class NamedDepartmentDto {
  @ApiProperty({ example: 'finance' }) code: string;
  @ApiProperty({ type: BilingualTextDto }) name: BilingualTextDto;
}

class DepartmentPerformanceDto {
  @ApiProperty({ type: NamedDepartmentDto }) department: NamedDepartmentDto;
  @ApiProperty({ type: PublicationFiguresDto }) publication: PublicationFiguresDto;
  @ApiProperty({ type: TaskFiguresDto }) tasks: TaskFiguresDto;
}

export class PerformanceReportDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty({ type: 'integer' }) publicationDeadlineWorkingDays: number;
  @ApiProperty({ type: [DepartmentPerformanceDto] }) departments: DepartmentPerformanceDto[];
}

class ImplementedMeasureDto {
  @ApiProperty({ example: 'judgment-debtors' }) memorandum: string;
  @ApiProperty({ example: 'JD-01' }) code: string;
  @ApiProperty({ type: BilingualTextDto }) text: BilingualTextDto;
}

class PublishesDto {
  @ApiProperty({ type: [String], description: 'Event types it may publish.', example: ['credit.judgment-debtor.listed.v1'] }) eventTypes: string[];
  @ApiProperty({ type: [String], description: 'Lists it identifies (认定).', example: ['judgment-debtors'] }) lists: string[];
}

export class DepartmentDto {
  @ApiProperty({ example: 'finance' }) code: string;
  @ApiProperty({ type: BilingualTextDto }) name: BilingualTextDto;
  @ApiProperty({ type: PublishesDto }) publishes: PublishesDto;
  @ApiProperty({ type: [ImplementedMeasureDto] }) implements: ImplementedMeasureDto[];
}
