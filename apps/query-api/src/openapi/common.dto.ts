import { ApiProperty } from '@nestjs/swagger';
import type { BilingualText } from '@app/domain';

export class BilingualTextDto implements BilingualText {
  @ApiProperty({ example: '失信被执行人' })
  zh: string;

  @ApiProperty({ example: 'Dishonest judgment debtors' })
  en: string;
}

/** A list as a record names it: code, blacklist or red list, and its name (null for a list the catalogue no longer has). */
export class ListRefDto {
  @ApiProperty({ example: 'judgment-debtors' })
  code: string;

  @ApiProperty({ example: 'black', description: '`black` (失信) or `red` (守信), or another list type of the catalogue.' })
  type: string;

  @ApiProperty({ type: BilingualTextDto, nullable: true })
  name: BilingualTextDto | null;
}

export class DepartmentRefDto {
  @ApiProperty({ example: 'court' })
  code: string;

  @ApiProperty({ type: BilingualTextDto, nullable: true })
  name: BilingualTextDto | null;
}

/** Cursor and page size of a feed-like list: `after` from the previous page's `nextCursor`. */
export const CURSOR_QUERY = { name: 'after', required: false, description: "Read after this cursor: the previous page's `nextCursor` (0 or absent: from the start).", schema: { type: 'string', example: '0' } } as const;
export const limitQuery = (fallback: number, max: number) =>
  ({ name: 'limit', required: false, description: `Page size, 1 to ${max} (default ${fallback}).`, schema: { type: 'integer', minimum: 1, maximum: max, default: fallback } }) as const;
/** The clerk's account: logged with the read (query_audit). */
export const USER_ID_HEADER = { name: 'x-user-id', required: false, description: "The reading account in the department's own system (at most 64 printable characters); logged with the read.", schema: { type: 'string', maxLength: 64, example: 'clerk-0042' } } as const;
