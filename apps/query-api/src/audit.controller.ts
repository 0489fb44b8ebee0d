import { Controller, Get, Headers, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { MAX_AUDIT_PAGE, QueryAuditPage, QueryAuditService } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard } from '@app/http';
import { single } from './query-params';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CURSOR_QUERY, limitQuery, USER_ID_HEADER } from './openapi/common.dto';
import { QueryAuditPageDto } from './openapi/reports.dto';

/** A department reviews its own query log (查询日志); no department sees another's. */
@ApiTags('query audit')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/audit/queries')
@UseGuards(DepartmentAuthGuard)
export class AuditController {
  constructor(private readonly audit: QueryAuditService) {}

  @Get()
  @ApiOperation({ summary: "The department's own query log (查询日志)", description: 'Every query of credit data the department made, oldest first from `after`, within [from, to).' })
  @ApiQuery({ name: 'from', required: false, description: 'From this instant (RFC 3339) or China date, inclusive.', schema: { type: 'string', example: '2026-11-01' } })
  @ApiQuery({ name: 'to', required: false, description: 'To this instant (RFC 3339) or China date, exclusive.', schema: { type: 'string', example: '2026-12-01' } })
  @ApiQuery(CURSOR_QUERY)
  @ApiQuery(limitQuery(100, MAX_AUDIT_PAGE))
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: QueryAuditPageDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'AUDIT.BAD_TIME_RANGE', 'AUDIT.BAD_USER_ID', 'REQUEST.BAD_CURSOR', 'REQUEST.BAD_LIMIT', 'REQUEST.INVALID')
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
