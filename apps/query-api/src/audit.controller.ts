import { Controller, Get, Headers, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { QueryAuditPage, QueryAuditService } from '@app/query';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { single } from './query-params';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** A department reviews its own query log (查询日志); no department sees another's. */
@ApiTags('query audit')
@ApiBearerAuth()
@Controller('v1/audit/queries')
@UseGuards(DepartmentAuthGuard)
export class AuditController {
  constructor(private readonly audit: QueryAuditService) {}

  @Get()
  list(
    @CurrentDepartment() department: Department,
    @Query('from') from?: unknown,
    @Query('to') to?: unknown,
    @Query('after') after?: unknown,
    @Query('limit') limit?: unknown,
    @Headers('x-user-id') userId?: string,
  ): Promise<QueryAuditPage> {
    const pageSize = single('limit', limit);
    return this.audit.listOwn(department.code, userId, {
      from: single('from', from),
      to: single('to', to),
      after: single('after', after),
      limit: pageSize === undefined ? undefined : Number(pageSize),
    });
  }
}
