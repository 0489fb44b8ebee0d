import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, clientAddress, CONSOLE_SECURITY } from '@app/http';
import { auditedDraftFile, auditedMemorandumId, ConsoleAction, ConsoleAuditService, ConsoleSession, DraftCaseRun, DraftCheck, DraftCheckService, DraftSource } from '@app/workbench';
import { ConsoleRequest, ConsoleRoles, ConsoleSessionGuard, CurrentSession } from './console-session.guard';
import { DRAFT_CASE_RUN_SCHEMA, DRAFT_CHECK_SCHEMA, DRAFT_SCHEMA, DRAFT_SOURCE_SCHEMA } from './openapi/console.dto';

/** The draft editor's routes, for policy editors: open a memorandum's file, check a draft, run its rule cases. Nothing is saved. */
@ApiTags('console drafts')
@ApiSecurity(CONSOLE_SECURITY)
@Controller('api/v1/drafts')
@UseGuards(ConsoleSessionGuard)
@ConsoleRoles('policy-editor')
export class DraftsController {
  constructor(
    private readonly drafts: DraftCheckService,
    private readonly audit: ConsoleAuditService,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: "A memorandum's rule file as it is in force (the release in force, or rules/ before any), to open as a draft" })
  @ApiParam({ name: 'id', description: 'The memorandum id (its rule file name).', schema: { type: 'string', example: 'judgment-debtors' } })
  @ApiOkResponse({ schema: DRAFT_SOURCE_SCHEMA })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.ROLE_REQUIRED', 'CONSOLE.UNKNOWN_MEMORANDUM', 'SERVICE.UNAVAILABLE')
  async open(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('id') id: string): Promise<DraftSource> {
    return this.audited(session, request, 'open-draft', auditedMemorandumId(id), async () => this.drafts.source(id));
  }

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: 'The focused problems of the rule set with this draft in place of its file (the same checks as rules:check)' })
  @ApiBody({ schema: DRAFT_SCHEMA })
  @ApiOkResponse({ schema: DRAFT_CHECK_SCHEMA })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.CSRF_REFUSED', 'CONSOLE.ROLE_REQUIRED', 'CONSOLE.INVALID_DRAFT', 'CONSOLE.UNKNOWN_MEMORANDUM', 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'SERVICE.UNAVAILABLE')
  async check(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Body() body: unknown): Promise<DraftCheck> {
    return this.audited(session, request, 'check-draft', fileOf(body), () => this.drafts.check(body));
  }

  @Post('cases')
  @HttpCode(200)
  @ApiOperation({ summary: "The memorandum's rule cases run on the rule set with this draft, by the engine's evaluator" })
  @ApiBody({ schema: DRAFT_SCHEMA })
  @ApiOkResponse({ schema: DRAFT_CASE_RUN_SCHEMA })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.CSRF_REFUSED', 'CONSOLE.ROLE_REQUIRED', 'CONSOLE.INVALID_DRAFT', 'CONSOLE.UNKNOWN_MEMORANDUM', 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'SERVICE.UNAVAILABLE')
  async runCases(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Body() body: unknown): Promise<DraftCaseRun> {
    return this.audited(session, request, 'run-draft-cases', fileOf(body), () => this.drafts.runCases(body));
  }

  private audited<T>(session: ConsoleSession, request: ConsoleRequest, action: ConsoleAction, target: string, work: () => Promise<T>): Promise<T> {
    return this.audit.audited({ userName: session.user.name, action, target, address: clientAddress(request) }, work);
  }
}

/** The draft's file name for its audit row, never any other text a body holds there (it could be a resident's data). */
function fileOf(body: unknown): string {
  return auditedDraftFile((body as { file?: unknown } | undefined)?.file);
}
