import { Controller, Get, Headers, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { DepartmentFeedService, FeedPage } from '@app/query';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';

/** A subscribing department reads the decisions addressed to it, from a cursor. */
@ApiTags('department feed')
@ApiBearerAuth()
@Controller('v1/feed')
@UseGuards(DepartmentAuthGuard)
export class FeedController {
  constructor(private readonly feed: DepartmentFeedService) {}

  @Get()
  @ApiOperation({ summary: 'Records addressed to the department, after a cursor', description: 'A page naming subjects is logged in query_audit with every subject it names, before it is sent.' })
  @ApiHeader({ name: 'X-User-Id', required: false, description: "The reading account in the department's own system; logged with the read." })
  read(
    @CurrentDepartment() department: Department,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
    @Headers('x-user-id') userId?: string,
  ): Promise<FeedPage> {
    return this.feed.read(department.code, after, limit === undefined ? undefined : Number(limit), userId);
  }
}
