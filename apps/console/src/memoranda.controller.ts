import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, clientAddress, CONSOLE_SECURITY } from '@app/http';
import { auditedMemorandumId, ConsoleAuditService, ConsoleSession, MemorandumSummary, MemorandumView, MemorandumViewService } from '@app/workbench';
import { ConsoleRequest, ConsoleSessionGuard, CurrentSession } from './console-session.guard';
import { MEMORANDUM_LIST_SCHEMA, MEMORANDUM_SCHEMA } from './openapi/console.dto';

/** The memoranda in force, for every console role; each read is audited. */
@ApiTags('console memoranda')
@ApiSecurity(CONSOLE_SECURITY)
@Controller('api/v1/memoranda')
@UseGuards(ConsoleSessionGuard)
export class MemorandaController {
  constructor(
    private readonly views: MemorandumViewService,
    private readonly audit: ConsoleAuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The memoranda of the rule set in force' })
  @ApiOkResponse({ schema: MEMORANDUM_LIST_SCHEMA })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'SERVICE.UNAVAILABLE')
  async list(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest): Promise<MemorandumSummary[]> {
    await this.audit.record({ userName: session.user.name, action: 'read-memoranda', outcome: 'ok', address: clientAddress(request) });
    return this.views.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One memorandum for a person: list, terms, measures with their legal basis, rules in plain language, rule cases and their results' })
  @ApiParam({ name: 'id', description: 'The memorandum id (its rule file name).', schema: { type: 'string', example: 'judgment-debtors' } })
  @ApiOkResponse({ schema: MEMORANDUM_SCHEMA })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.UNKNOWN_MEMORANDUM', 'SERVICE.UNAVAILABLE')
  async read(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('id') id: string): Promise<MemorandumView> {
    return this.audit.audited({ userName: session.user.name, action: 'read-memorandum', target: auditedMemorandumId(id), address: clientAddress(request) }, () => this.views.view(id));
  }
}
