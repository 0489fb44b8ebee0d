import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WhatIfPeriodDto } from '@app/policy';

class EditedMemorandumFileDto {
  @ApiProperty({ example: 'judgment-debtors.json', description: "A memorandum's file name, as in rules/." }) file: string;
  @ApiProperty({ description: 'The draft text of that file (at most 256 KiB), as the draft editor holds it.' }) content: string;
}

/** The console's what-if body: one edited file (the draft editor's) or a stored release; the person running it is the session's user. */
export class ConsoleWhatIfRequestDto {
  @ApiProperty({ type: WhatIfPeriodDto }) period: WhatIfPeriodDto;
  @ApiPropertyOptional({ type: EditedMemorandumFileDto, description: 'The rule set in force (the release in force, or rules/ before any) with this file in place of its own; give this or `release`.' }) draft?: EditedMemorandumFileDto;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 3, description: "A stored release's version (drafts included) instead of a draft." }) release?: number;
}
