import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, clientAddress, CONSOLE_SECURITY } from '@app/http';
import { ReleaseService } from '@app/policy';
import { MAX_WEEKLY_DAYS } from '@app/query';
import { ConsoleAuditService, ConsoleSession, DistrictOverview, DistrictOverviewService } from '@app/workbench';
import { ConsoleRequest, ConsoleRoles, ConsoleSessionGuard, CurrentSession } from './console-session.guard';
import { OVERVIEW_SCHEMA } from './openapi/console.dto';

/** The district at a glance, for the credit office (and the auditor, who reads everything); the releases come from libs/policy, which the workbench does not import. */
@ApiTags('console district overview')
@ApiSecurity(CONSOLE_SECURITY)
@Controller('api/v1/overview')
@UseGuards(ConsoleSessionGuard)
@ConsoleRoles('credit-office', 'auditor')
export class OverviewController {
  constructor(
    private readonly overview: DistrictOverviewService,
    private readonly audit: ConsoleAuditService,
    private readonly releases: ReleaseService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Department performance over the period and week by week, decisions a day per memorandum, dead letters by reason, releases on the timeline, list sizes' })
  @ApiQuery({ name: 'from', required: false, description: 'First day of the period (China date); default: 29 days before `to`.', schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'to', required: false, description: `Last day of the period, inclusive; default: today. The period is at most ${MAX_WEEKLY_DAYS} days (it is also read week by week).`, schema: { type: 'string', format: 'date' } })
  @ApiOkResponse({ schema: OVERVIEW_SCHEMA })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.ROLE_REQUIRED', 'REQUEST.BAD_PERIOD', 'SERVICE.UNAVAILABLE')
  async read(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Query('from') from?: string, @Query('to') to?: string): Promise<DistrictOverview> {
    // The period as asked (each side cut to a date's length), so that a refused period is audited too.
    const target = `${auditedDate(from)}..${auditedDate(to)}`;
    return this.audit.audited({ userName: session.user.name, action: 'read-overview', target, address: clientAddress(request) }, () => this.overview.overview({ from, to }, this.releases));
  }
}

/** A period's side for its audit row: the date asked, or a placeholder for any other text (never the text itself). */
function auditedDate(value: string | undefined): string {
  if (value === undefined) return '';
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '(not a date)';
}
