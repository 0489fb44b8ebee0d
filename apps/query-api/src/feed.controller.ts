import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { DepartmentFeedService, FeedPage } from '@app/engine';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';

/** A subscribing department reads the decisions addressed to it, from a cursor. */
@Controller('v1/feed')
@UseGuards(DepartmentAuthGuard)
export class FeedController {
  constructor(private readonly feed: DepartmentFeedService) {}

  @Get()
  read(@CurrentDepartment() department: Department, @Query('after') after?: string, @Query('limit') limit?: string): Promise<FeedPage> {
    return this.feed.read(department.code, after ?? '0', limit === undefined ? 100 : Number(limit));
  }
}
