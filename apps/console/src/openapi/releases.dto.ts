import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The console's release bodies: the person acting is the signed-in user, never a field. */
export class DraftFromRulesDto {
  @ApiPropertyOptional({ description: 'What changed and why.', example: 'JD-04 wording after the 2026 amendment', maxLength: 10_000 }) notes?: string;
}

export class ApproveInConsoleDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'When it takes effect: at least RELEASE_MIN_LEAD_MS after now (the database checks it on its own clock too), so every engine has it ready.', example: '2026-12-02T00:00:00+08:00' })
  effectiveAt: string;
}

export class RollbackInConsoleDto {
  @ApiPropertyOptional({ description: 'Why.', example: 'JD-04 wording withdrawn', maxLength: 10_000 }) notes?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the rollback takes effect; default: the earliest allowed (RELEASE_MIN_LEAD_MS after the approval, on the database clock).' }) effectiveAt?: string;
}
