import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The console's release bodies: the person acting is the signed-in user, never a field. */
export class DraftFromRulesDto {
  @ApiPropertyOptional({ description: 'What changed and why.', example: 'JD-04 wording after the 2026 amendment', maxLength: 10_000 }) notes?: string;
}

/** The draft editor's submission: one memorandum file's edited text in place of its file in rules/. */
export class SubmitDraftDto {
  @ApiProperty({ description: 'The rule file of a memorandum in force.', example: 'judgment-debtors.json', pattern: '^[a-z0-9][a-z0-9-]{0,79}\\.json$' }) file: string;
  @ApiProperty({ description: 'The edited text of the file.', maxLength: 262_144 }) content: string;
  @ApiPropertyOptional({ description: "The edited text of its rule cases (`<id>.cases.json`), stored with the release and checked with it; absent: the cases in force.", maxLength: 262_144 }) cases?: string;
  @ApiPropertyOptional({ description: "The revision of the rule set in force when the draft was opened (`base.revision` of GET /api/v1/drafts/{id}): when another release has taken effect since, the draft is refused with RELEASE.BASE_CHANGED rather than undo that release's change to its file.", pattern: '^sha256:[0-9a-f]{16,64}$' }) baseRevision?: string;
  @ApiPropertyOptional({ description: 'What changed and why, for the approver.', example: 'JD-04: the wording of the 2026 amendment', maxLength: 10_000 }) notes?: string;
}

export class ApproveInConsoleDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'When it takes effect: at least RELEASE_MIN_LEAD_MS after now (the database checks it on its own clock too), so every engine has it ready.', example: '2026-12-02T00:00:00+08:00' })
  effectiveAt: string;
}

export class RollbackInConsoleDto {
  @ApiPropertyOptional({ description: 'Why.', example: 'JD-04 wording withdrawn', maxLength: 10_000 }) notes?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the rollback takes effect; default: the earliest allowed (RELEASE_MIN_LEAD_MS after the approval, on the database clock).' }) effectiveAt?: string;
}
