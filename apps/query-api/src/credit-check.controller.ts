import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { CreditCheckResult, CreditCheckService } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_SECURITY, DepartmentAuthGuard, GovernmentDepartmentGuard, OPEN_CALL_PROBLEMS } from '@app/http';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { USER_ID_HEADER } from './openapi/common.dto';
import { ApprovalItemsDto, CREDIT_CHECK_EXAMPLE, CreditCheckResultDto, ID_TYPE_QUERY, SUBJECT_CHECK_PROBLEMS } from './openapi/credit-check.dto';
import { single } from './query-params';

/** Credit check for approval systems (嵌入审批, 应查必查), and the published list of approval items. */
@ApiTags('credit check')
@Controller('v1')
export class CreditCheckController {
  constructor(private readonly checks: CreditCheckService) {}

  @Get('subjects/:id/check')
  @UseGuards(DepartmentAuthGuard, GovernmentDepartmentGuard)
  @ApiSecurity(DEPARTMENT_SECURITY)
  @ApiOperation({
    summary: 'Credit check of a subject for an approval item',
    description:
      "The subject's list memberships in force and the caller's measures for the item, with an outcome; logged in query_audit before it is answered. " +
      'A natural person (resident identity number) is checked only with X-User-Id and purpose (an approval item may require them for organisations too: GET /v1/approval-items, requireUserId / requirePurpose). ' +
      'For a natural person on whom the caller sees no membership and no measure, the answer is the same as for an unknown person.',
  })
  @ApiParam({ name: 'id', description: 'A unified social credit code or a resident identity number.', example: '91510802MA62XK0U3U' })
  @ApiQuery({ name: 'approvalItem', required: true, description: 'The approval item code (GET /v1/approval-items).', schema: { type: 'string', example: 'government-procurement' } })
  @ApiQuery({ name: 'purpose', required: false, description: "Why this subject is checked (e.g. the application's file number), at most 200 printable characters; required for natural persons.", schema: { type: 'string', maxLength: 200, example: '广财采〔2026〕17号' } })
  @ApiQuery(ID_TYPE_QUERY)
  @ApiHeader({ ...USER_ID_HEADER, description: "The clerk's account in the department's own system, at most 64 printable characters; required for natural persons." })
  @ApiOkResponse({ type: CreditCheckResultDto, description: 'The check, with checkId: the id of its audit row.', example: CREDIT_CHECK_EXAMPLE })
  @ApiProblems(...SUBJECT_CHECK_PROBLEMS)
  check(
    @CurrentDepartment() department: Department,
    @Param('id') subject: string,
    @Query('approvalItem') approvalItem?: unknown,
    @Query('purpose') purpose?: unknown,
    @Query('idType') idType?: unknown,
    @Headers('x-user-id') userId?: string,
  ): Promise<CreditCheckResult> {
    return this.checks.check({
      department: department.code,
      subject,
      approvalItem: single('approvalItem', approvalItem),
      purpose: single('purpose', purpose),
      idType: single('idType', idType),
      userId,
    });
  }

  /** Which approval items a check can be made for, and the measures each looks at (public facts). */
  @Get('approval-items')
  @ApiOperation({ security: [], summary: 'The approval items a check can be made for, and the measures each looks at' })
  @ApiOkResponse({ type: ApprovalItemsDto })
  @ApiProblems(...OPEN_CALL_PROBLEMS)
  approvalItems(): ApprovalItemsDto {
    return { items: this.checks.approvalItems.items };
  }
}
