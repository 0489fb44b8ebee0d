import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const MEMORANDA_EXAMPLE = { 'judgment-debtors.json': '{ "id": "judgment-debtors", … }' };

export class RuleContentDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'object' }] },
    description: 'Each memorandum file (`<id>.json`, as in rules/) with its text, or the JSON object it holds.',
    example: MEMORANDA_EXAMPLE,
  })
  memoranda: Record<string, string | object>;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'object' }], description: 'rules/instruments.json: its text or its JSON object.' })
  instruments: string | object;
}

export class DraftReleaseDto {
  @ApiProperty({ type: RuleContentDto }) content: RuleContentDto;
  @ApiProperty({ description: 'Who wrote the draft (until console users sign in, the caller names them).', example: '王芳', minLength: 1, maxLength: 100 }) author: string;
  @ApiPropertyOptional({ description: 'What changed and why.', example: 'JD-04 wording after the 2026 amendment', maxLength: 10_000 }) notes?: string;
}

export class ApproveReleaseDto {
  @ApiProperty({ description: 'Who approves: never the author (four eyes).', example: '李强', minLength: 1, maxLength: 100 }) approver: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it takes effect: at least RELEASE_MIN_LEAD_MS after now (the database checks it on its own clock too), so every engine has it ready.', example: '2026-12-02T00:00:00+08:00' })
  effectiveAt: string;
}

export class RollbackReleaseDto {
  @ApiProperty({ description: 'Who rolls back; approves the new release, so may not be the author of the content restored.', example: '李强', minLength: 1, maxLength: 100 }) actor: string;
  @ApiPropertyOptional({ description: 'Why.', example: 'JD-04 wording withdrawn', maxLength: 10_000 }) notes?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the rollback takes effect; default: the earliest allowed (RELEASE_MIN_LEAD_MS after the approval, on the database clock).' }) effectiveAt?: string;
}

export class ReleaseSummaryDto {
  @ApiProperty({ example: 3, minimum: 1 }) version: number;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The rule set’s content hash, as decisions cite it (ruleSetRevision).', example: 'sha256:3f0c2a9d4b6e8f1a' }) revision: string;
  @ApiProperty({ enum: ['draft', 'scheduled', 'in-force', 'superseded'] }) status: string;
  @ApiProperty({ example: '王芳' }) author: string;
  @ApiProperty({ type: String, nullable: true, example: '李强' }) approver: string | null;
  @ApiProperty() notes: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) effectiveAt: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'For a rollback: the version whose content it restores.' }) rolledBackFrom: number | null;
  @ApiProperty({ type: [String], example: ['judgment-debtors.json'] }) memoranda: string[];
}

class StoredRuleContentDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Each memorandum file with its text.', example: MEMORANDA_EXAMPLE }) memoranda: Record<string, string>;
  @ApiProperty({ description: 'The text of instruments.json.' }) instruments: string;
}

export class ReleaseViewDto extends ReleaseSummaryDto {
  @ApiProperty({ type: StoredRuleContentDto }) content: StoredRuleContentDto;
}

class ItemsDiffDto {
  @ApiProperty({ type: [String] }) added: string[];
  @ApiProperty({ type: [String] }) removed: string[];
  @ApiProperty({ type: [String] }) changed: string[];
}

class MemorandumDiffDto {
  @ApiProperty({ example: 'judgment-debtors.json' }) file: string;
  @ApiProperty({ type: [String], description: 'Other top-level fields changed.', example: ['version'] }) fields: string[];
  @ApiProperty({ type: ItemsDiffDto, description: 'Measures by code.' }) measures: ItemsDiffDto;
  @ApiProperty({ type: ItemsDiffDto, description: 'Rules by name.' }) rules: ItemsDiffDto;
}

class MemorandaDiffDto {
  @ApiProperty({ type: [String] }) added: string[];
  @ApiProperty({ type: [String] }) removed: string[];
  @ApiProperty({ type: [MemorandumDiffDto] }) changed: MemorandumDiffDto[];
}

class ContentDiffDto {
  @ApiProperty({ type: MemorandaDiffDto }) memoranda: MemorandaDiffDto;
  @ApiProperty({ type: ItemsDiffDto, description: 'Catalogued instruments by id.' }) instruments: ItemsDiffDto;
  @ApiProperty({ type: ItemsDiffDto, description: 'Rule-case files (`<id>.cases.json`) by name: cases rewritten with the rules show here.' }) cases: ItemsDiffDto;
}

class ReleaseRefDto {
  @ApiProperty({ minimum: 1 }) version: number;
  @ApiProperty() revision: string;
}

export class ReleaseDiffDto {
  @ApiProperty({ type: ReleaseRefDto }) from: ReleaseRefDto;
  @ApiProperty({ type: ReleaseRefDto }) to: ReleaseRefDto;
  @ApiProperty({ type: ContentDiffDto }) diff: ContentDiffDto;
}
