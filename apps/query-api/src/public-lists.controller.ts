import { Controller, Get, Query } from '@nestjs/common';
import { ApiProblems, OPEN_CALL_PROBLEMS } from '@app/http';
import { MAX_PUBLIC_PAGE, PUBLIC_LIST_TYPES, PublicDisclosureService, PublicListPage } from '@app/query';
import { single } from './query-params';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CURSOR_QUERY, limitQuery } from './openapi/common.dto';
import { PublicListPageDto } from './openapi/reports.dto';

/** Public disclosure (信用公示) of the blacklists and red lists in force; no credentials. */
@ApiTags('public disclosure')
@Controller('v1/public/lists')
export class PublicListsController {
  constructor(private readonly disclosure: PublicDisclosureService) {}

  @Get()
  @ApiOperation({ security: [], summary: 'Blacklist and red-list entries in force (信用公示)', description: "No credentials. Natural persons' identifiers are masked, or natural persons left out where the province does not publish them." })
  @ApiQuery({ name: 'type', required: false, enum: PUBLIC_LIST_TYPES, description: 'Only blacklists (black) or only red lists (red).' })
  @ApiQuery({ name: 'list', required: false, description: 'One list code.', schema: { type: 'string', example: 'judgment-debtors' } })
  @ApiQuery({ ...CURSOR_QUERY, description: "The previous page's `nextCursor` (opaque)." })
  @ApiQuery(limitQuery(50, MAX_PUBLIC_PAGE))
  @ApiOkResponse({ type: PublicListPageDto })
  @ApiProblems(...OPEN_CALL_PROBLEMS, 'PUBLIC.BAD_LIST_TYPE', 'PUBLIC.UNKNOWN_LIST', 'REQUEST.BAD_CURSOR', 'REQUEST.BAD_LIMIT', 'REQUEST.INVALID')
  list(@Query('type') type?: unknown, @Query('list') list?: unknown, @Query('after') after?: unknown, @Query('limit') limit?: unknown): Promise<PublicListPage> {
    const pageSize = single('limit', limit);
    return this.disclosure.list({
      type: single('type', type),
      list: single('list', list),
      after: single('after', after),
      limit: pageSize === undefined ? undefined : Number(pageSize),
    });
  }
}
