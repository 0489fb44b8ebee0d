import { Controller, Get, Headers, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { DepartmentFeedService, FeedPage, MAX_FEED_PAGE } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard } from '@app/http';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CURSOR_QUERY, limitQuery, USER_ID_HEADER } from './openapi/common.dto';
import { FeedPageDto } from './openapi/feed.dto';

/** A subscribing department reads the decisions addressed to it, from a cursor. */
@ApiTags('department feed')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/feed')
@UseGuards(DepartmentAuthGuard)
export class FeedController {
  constructor(private readonly feed: DepartmentFeedService) {}

  @Get()
  @ApiOperation({ summary: 'Records addressed to the department, after a cursor', description: 'A page naming subjects is logged in query_audit with every subject it names, before it is sent.' })
  @ApiQuery(CURSOR_QUERY)
  @ApiQuery(limitQuery(100, MAX_FEED_PAGE))
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: FeedPageDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'REQUEST.BAD_CURSOR', 'REQUEST.BAD_LIMIT', 'AUDIT.BAD_USER_ID')
  read(
    @CurrentDepartment() department: Department,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
    @Headers('x-user-id') userId?: string,
  ): Promise<FeedPage> {
    return this.feed.read(department.code, after, limit === undefined ? undefined : Number(limit), userId);
  }
}
