import { Controller, Get, Headers, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { DepartmentFeedService, FeedPage, QueryAuditService } from '@app/engine';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** A subscribing department reads the decisions addressed to it, from a cursor. */
@ApiTags('department feed')
@ApiBearerAuth()
@Controller('v1/feed')
@UseGuards(DepartmentAuthGuard)
export class FeedController {
  constructor(
    private readonly feed: DepartmentFeedService,
    private readonly audit: QueryAuditService,
  ) {}

  @Get()
  async read(
    @CurrentDepartment() department: Department,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
    @Headers('x-user-id') userId?: string,
  ): Promise<FeedPage> {
    const page = await this.feed.read(department.code, after ?? '0', limit === undefined ? 100 : Number(limit));
    // A page with records reads personal data and is logged before it is sent; an empty poll reads none.
    if (page.records.length > 0) {
      await this.audit.record({ department: department.code, userId, purpose: `feed after ${after ?? '0'}`, endpoint: 'GET /v1/feed', resultCount: page.records.length });
    }
    return page;
  }
}
