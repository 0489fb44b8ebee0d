import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import { Department, DomainError } from '@app/domain';
import { CreditCheckResult, CreditCheckService } from '@app/engine';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** A query parameter given once, or not at all; repeating it is refused rather than guessed at. */
export function single(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new DomainError('REQUEST.INVALID', `query parameter ${name} must be given once, as text`);
}

/** Credit check for approval systems (嵌入审批, 应查必查), and the published list of approval items. */
@ApiTags('credit check')
@ApiBearerAuth()
@Controller('v1')
export class CreditCheckController {
  constructor(private readonly checks: CreditCheckService) {}

  @Get('subjects/:id/check')
  @UseGuards(DepartmentAuthGuard)
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
