import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { CreditCheckResult, CreditCheckService } from '@app/query';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { single } from './query-params';

/** Credit check for approval systems (嵌入审批, 应查必查), and the published list of approval items. */
@ApiTags('credit check')
@ApiBearerAuth()
@Controller('v1')
export class CreditCheckController {
  constructor(private readonly checks: CreditCheckService) {}

  @Get('subjects/:id/check')
  @UseGuards(DepartmentAuthGuard)
  @ApiOperation({
    summary: 'Credit check of a subject for an approval item',
    description:
      "The subject's list memberships in force and the caller's measures for the item, with an outcome; logged in query_audit before it is answered. " +
      'A natural person (resident identity number) is checked only with X-User-Id and purpose (an approval item may require them for organisations too: GET /v1/approval-items, requireUserId / requirePurpose). ' +
      'For a natural person on whom the caller sees no membership and no measure, the answer is the same as for an unknown person.',
  })
  @ApiParam({ name: 'id', description: 'A unified social credit code or a resident identity number.' })
  @ApiQuery({ name: 'approvalItem', required: true, description: 'The approval item code (GET /v1/approval-items).' })
  @ApiQuery({ name: 'purpose', required: false, description: "Why this subject is checked (e.g. the application's file number), at most 200 printable characters; required for natural persons." })
  @ApiQuery({ name: 'idType', required: false, enum: ['USCC', 'RESIDENT_ID'], description: 'Only when the identifier is valid as both.' })
  @ApiHeader({ name: 'X-User-Id', required: false, description: "The clerk's account in the department's own system, at most 64 printable characters; required for natural persons." })
  @ApiResponse({ status: 200, description: 'The check, with checkId: the id of its audit row.' })
  @ApiResponse({ status: 400, description: 'CHECK.MISSING_APPROVAL_ITEM, CHECK.UNKNOWN_APPROVAL_ITEM, CHECK.USER_ID_REQUIRED, CHECK.PURPOSE_REQUIRED, CHECK.BAD_PURPOSE, AUDIT.BAD_USER_ID' })
  @ApiResponse({ status: 422, description: 'SUBJECT.*: the identifier is invalid.' })
  @ApiResponse({ status: 429, description: 'CHECK.BURST_REFUSED: the user checked more distinct natural persons in a minute than the deployment allows.' })
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
  approvalItems() {
    return { items: this.checks.approvalItems.items };
  }
}
