import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class WhatIfRuleFileDto {
  @ApiProperty({ example: 'judgment-debtors.json', description: 'A memorandum file name, as in rules/.' }) file: string;
  @ApiProperty({ description: "The file's JSON content, as a string." }) content: string;
}

class WhatIfDraftRuleFilesDto {
  @ApiProperty({ type: [WhatIfRuleFileDto], description: 'Every memorandum file of the draft set (the whole set, not only the edited files).' }) memoranda: WhatIfRuleFileDto[];
  @ApiPropertyOptional({ description: "instruments.json's content; the catalogue in force when absent." }) instruments?: string;
}

export class WhatIfPeriodDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00+08:00', description: 'Events received from this instant…' }) from: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00+08:00', description: '…to this one, excluded (at most 366 days).' }) to: string;
}

export class WhatIfRequestDto {
  @ApiProperty({ type: WhatIfPeriodDto }) period: WhatIfPeriodDto;
  @ApiPropertyOptional({ type: WhatIfDraftRuleFilesDto, description: 'The draft rule set; give this or `release`.' }) draft?: WhatIfDraftRuleFilesDto;
  @ApiPropertyOptional({
    oneOf: [{ type: 'string', enum: ['in-force'] }, { type: 'integer', minimum: 1 }],
    example: 3,
    description: 'A release instead of a draft: `in-force`, the rule set the engine runs (its run shows zero differences unless rules changed over the period), or a stored release\'s version (drafts included).',
  })
  release?: 'in-force' | number;
}

class WhatIfChangeCountsDto {
  @ApiProperty({ description: 'Decided by the draft, not by the engine.' }) gained: number;
  @ApiProperty({ description: 'Decided by the engine, not by the draft.' }) lost: number;
  @ApiProperty({ description: 'Decided by both, with other measures, departments, validity or list entries.' }) changed: number;
}

class WhatIfMaskedSubjectDto {
  @ApiProperty({ enum: ['individual', 'enterprise', 'social-organisation', 'public-institution'] }) kind: string;
  @ApiProperty({ example: 'RESIDENT_ID' }) idType: string;
  @ApiProperty({ example: '510802********1232', description: 'Masked as everywhere else (resident IDs keep their first 6 and last 4 characters).' }) id: string;
  @ApiProperty({ example: '张*', description: 'The first and last characters only.' }) name: string;
}

class WhatIfExampleDto {
  @ApiProperty({ example: '/departments/court' }) source: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ enum: ['gained', 'lost', 'changed'] }) change: string;
  @ApiProperty({ type: WhatIfMaskedSubjectDto }) subject: WhatIfMaskedSubjectDto;
}

class WhatIfMemorandumChangesDto extends WhatIfChangeCountsDto {
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
  @ApiProperty({ type: [WhatIfExampleDto], description: 'Up to 5 events, for a drill-down.' }) examples: WhatIfExampleDto[];
}

class WhatIfDepartmentChangesDto extends WhatIfChangeCountsDto {
  @ApiProperty({ example: 'finance', description: 'An implementing department of a measure the change touches.' }) department: string;
}

class WhatIfMeasureChangesDto extends WhatIfChangeCountsDto {
  @ApiProperty({ example: 'JD-01' }) measureCode: string;
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
}

class WhatIfSummaryDto {
  @ApiProperty({ description: 'Decisions the engine made about the events done.' }) decisionsBefore: number;
  @ApiProperty({ description: 'Decisions the draft makes about them.' }) decisionsAfter: number;
  @ApiProperty() eventsWithDifferences: number;
  @ApiProperty({ type: WhatIfChangeCountsDto }) decisions: WhatIfChangeCountsDto;
  @ApiProperty({ type: [WhatIfMemorandumChangesDto] }) byMemorandum: WhatIfMemorandumChangesDto[];
  @ApiProperty({ type: [WhatIfDepartmentChangesDto] }) byDepartment: WhatIfDepartmentChangesDto[];
  @ApiProperty({ type: [WhatIfMeasureChangesDto], description: 'Measure tasks gained, lost or changed.' }) byMeasure: WhatIfMeasureChangesDto[];
}

class WhatIfProgressCountsDto {
  @ApiProperty({ description: 'Events simulated.' }) done: number;
  @ApiProperty({ description: 'Decided events received in the period.' }) total: number;
}

class WhatIfRuleBaseDto {
  @ApiProperty({ type: 'integer', nullable: true, example: 3, description: 'The version of the release in force the draft was made from; null for rules/.' }) release: number | null;
  @ApiProperty({ enum: ['release', 'rules/'] }) source: string;
  @ApiProperty({ example: 'sha256:0123456789abcdef', description: "That rule set's revision." }) revision: string;
}

export class WhatIfProgressDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['running', 'finished', 'cancelled', 'failed'] }) state: string;
  @ApiProperty({ example: 'sha256:0123456789abcdef', description: "The draft's rule-set revision, `in-force`, or `release <version>` for a stored release." }) simulated: string;
  @ApiPropertyOptional({ type: WhatIfRuleBaseDto, description: 'For a draft: the rule set in force it is laid over (the release in force, or rules/ before any); the schemas come from rules/.' }) base?: WhatIfRuleBaseDto;
  @ApiProperty({ type: WhatIfPeriodDto }) period: WhatIfPeriodDto;
  @ApiProperty({ type: WhatIfProgressCountsDto }) progress: WhatIfProgressCountsDto;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ description: 'Why a failed run stopped.' }) failure?: string;
  @ApiProperty({ description: 'false when the CSV was cut at 200,000 rows (the summary still counts everything).' }) csvComplete: boolean;
  @ApiProperty({ type: WhatIfSummaryDto, description: 'So far, while running.' }) summary: WhatIfSummaryDto;
}

class WhatIfMeasureFootprintDto {
  @ApiProperty({ example: 'JD-01' }) measureCode: string;
  @ApiProperty({ example: 'finance' }) implementingDepartment: string;
  @ApiProperty({ example: 'RESIDENT_ID' }) targetIdType: string;
  @ApiProperty({ example: '510802********1232', description: "The measure target's identifier, masked (a USCC is public and shown whole)." }) targetId: string;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
}

class WhatIfMeasureChangeDto {
  @ApiProperty({ type: WhatIfMeasureFootprintDto }) before: WhatIfMeasureFootprintDto;
  @ApiProperty({ type: WhatIfMeasureFootprintDto }) after: WhatIfMeasureFootprintDto;
}

class WhatIfDecisionDifferenceDto {
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
  @ApiProperty({ enum: ['gained', 'lost', 'changed'] }) change: string;
  @ApiProperty({ type: [WhatIfMeasureFootprintDto] }) measuresGained: WhatIfMeasureFootprintDto[];
  @ApiProperty({ type: [WhatIfMeasureFootprintDto] }) measuresLost: WhatIfMeasureFootprintDto[];
  @ApiProperty({ type: [WhatIfMeasureChangeDto] }) measuresChanged: WhatIfMeasureChangeDto[];
  @ApiProperty() listEntriesChanged: boolean;
}

class WhatIfExplainedDecisionDto {
  @ApiProperty({ example: 'judgment-debtors' }) memorandumId: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true }, description: 'Explanations by rule name: memorandum, rule, revision, cause, facts and the condition trace.' }) explanations: Record<string, unknown>;
}

export class WhatIfEventDrillDownDto {
  @ApiProperty({ example: '/departments/court' }) source: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'credit.judgment-debtor.listed.v1' }) eventType: string;
  @ApiProperty({ format: 'date-time', description: 'The decision instant the draft is judged at, as the engine was.' }) decidedAt: string;
  @ApiProperty({ type: [WhatIfDecisionDifferenceDto] }) differences: WhatIfDecisionDifferenceDto[];
  @ApiProperty({ type: [WhatIfExplainedDecisionDto], description: 'The decisions as made, with their stored explanations.' }) before: WhatIfExplainedDecisionDto[];
  @ApiProperty({ type: [WhatIfExplainedDecisionDto], description: 'What the draft decides, explained.' }) after: WhatIfExplainedDecisionDto[];
}
