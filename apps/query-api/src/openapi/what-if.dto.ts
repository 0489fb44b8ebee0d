import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class RuleFileDto {
  @ApiProperty({ example: 'judgment-debtors.json', description: 'A memorandum file name, as in rules/.' }) file: string;
  @ApiProperty({ description: "The file's JSON content, as a string." }) content: string;
}

class DraftRuleFilesDto {
  @ApiProperty({ type: [RuleFileDto], description: 'Every memorandum file of the draft set (the whole set, not only the edited files).' }) memoranda: RuleFileDto[];
  @ApiPropertyOptional({ description: "instruments.json's content; the catalogue in force when absent." }) instruments?: string;
}

class PeriodDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00+08:00', description: 'Events received from this instant…' }) from: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00+08:00', description: '…to this one, excluded (at most 366 days).' }) to: string;
}

export class WhatIfRequestDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiPropertyOptional({ type: DraftRuleFilesDto, description: 'The draft rule set; give this or `release`.' }) draft?: DraftRuleFilesDto;
  @ApiPropertyOptional({ enum: ['in-force'], description: 'A release instead of a draft: for now only `in-force`, the rule set the engine runs (its run shows zero differences unless rules changed over the period).' }) release?: 'in-force';
}

class ChangeCountsDto {
  @ApiProperty({ description: 'Decided by the draft, not by the engine.' }) gained: number;
  @ApiProperty({ description: 'Decided by the engine, not by the draft.' }) lost: number;
  @ApiProperty({ description: 'Decided by both, with other measures, departments, validity or list entries.' }) changed: number;
}

class MaskedSubjectDto {
  @ApiProperty({ enum: ['individual', 'enterprise', 'social-organisation', 'public-institution'] }) kind: string;
  @ApiProperty({ example: 'RESIDENT_ID' }) idType: string;
  @ApiProperty({ example: '510802********1232', description: 'Masked as everywhere else (resident IDs keep their first 6 and last 4 characters).' }) id: string;
  @ApiProperty({ example: '张*', description: 'The first and last characters only.' }) name: string;
}

class WhatIfExampleDto {
  @ApiProperty({ example: '/departments/court' }) source: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ enum: ['gained', 'lost', 'changed'] }) change: string;
  @ApiProperty({ type: MaskedSubjectDto }) subject: MaskedSubjectDto;
}

class MemorandumChangesDto extends ChangeCountsDto {
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
  @ApiProperty({ type: [WhatIfExampleDto], description: 'Up to 5 events, for a drill-down.' }) examples: WhatIfExampleDto[];
}

class DepartmentChangesDto extends ChangeCountsDto {
  @ApiProperty({ example: 'finance', description: 'An implementing department of a measure the change touches.' }) department: string;
}

class MeasureChangesDto extends ChangeCountsDto {
  @ApiProperty({ example: 'JD-01' }) measureCode: string;
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
}

class WhatIfSummaryDto {
  @ApiProperty({ description: 'Decisions the engine made about the events done.' }) decisionsBefore: number;
  @ApiProperty({ description: 'Decisions the draft makes about them.' }) decisionsAfter: number;
  @ApiProperty() eventsWithDifferences: number;
  @ApiProperty({ type: ChangeCountsDto }) decisions: ChangeCountsDto;
  @ApiProperty({ type: [MemorandumChangesDto] }) byMemorandum: MemorandumChangesDto[];
  @ApiProperty({ type: [DepartmentChangesDto] }) byDepartment: DepartmentChangesDto[];
  @ApiProperty({ type: [MeasureChangesDto], description: 'Measure tasks gained, lost or changed.' }) byMeasure: MeasureChangesDto[];
}

class ProgressDto {
  @ApiProperty({ description: 'Events simulated.' }) done: number;
  @ApiProperty({ description: 'Decided events received in the period.' }) total: number;
}

export class WhatIfProgressDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['running', 'finished', 'cancelled', 'failed'] }) state: string;
  @ApiProperty({ example: 'sha256:0123456789abcdef', description: "The draft's rule-set revision, or the release named." }) simulated: string;
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ description: 'Why a failed run stopped.' }) failure?: string;
  @ApiProperty({ description: 'false when the CSV was cut at 200,000 rows (the summary still counts everything).' }) csvComplete: boolean;
  @ApiProperty({ type: WhatIfSummaryDto, description: 'So far, while running.' }) summary: WhatIfSummaryDto;
}

class MeasureFootprintDto {
  @ApiProperty({ example: 'JD-01' }) measureCode: string;
  @ApiProperty({ example: 'finance' }) implementingDepartment: string;
  @ApiProperty({ example: 'RESIDENT_ID' }) targetIdType: string;
  @ApiProperty({ example: '510802********1232', description: "The measure target's identifier, masked (a USCC is public and shown whole)." }) targetId: string;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
}

class MeasureChangeDto {
  @ApiProperty({ type: MeasureFootprintDto }) before: MeasureFootprintDto;
  @ApiProperty({ type: MeasureFootprintDto }) after: MeasureFootprintDto;
}

class DecisionDifferenceDto {
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
  @ApiProperty({ enum: ['gained', 'lost', 'changed'] }) change: string;
  @ApiProperty({ type: [MeasureFootprintDto] }) measuresGained: MeasureFootprintDto[];
  @ApiProperty({ type: [MeasureFootprintDto] }) measuresLost: MeasureFootprintDto[];
  @ApiProperty({ type: [MeasureChangeDto] }) measuresChanged: MeasureChangeDto[];
  @ApiProperty() listEntriesChanged: boolean;
}

class ExplainedDecisionDto {
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true }, description: 'Explanations by rule name: memorandum, rule, revision, cause, facts and the condition trace.' }) explanations: Record<string, unknown>;
}

export class WhatIfEventDrillDownDto {
  @ApiProperty({ example: '/departments/court' }) source: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'credit.judgment-debtor.listed.v1' }) eventType: string;
  @ApiProperty({ format: 'date-time', description: 'The decision instant the draft is judged at, as the engine was.' }) decidedAt: string;
  @ApiProperty({ type: [DecisionDifferenceDto] }) differences: DecisionDifferenceDto[];
  @ApiProperty({ type: [ExplainedDecisionDto], description: 'The decisions as made, with their stored explanations.' }) before: ExplainedDecisionDto[];
  @ApiProperty({ type: [ExplainedDecisionDto], description: 'What the draft decides, explained.' }) after: ExplainedDecisionDto[];
}
