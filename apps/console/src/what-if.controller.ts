import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, clientAddress, CONSOLE_SECURITY, ErrorCode } from '@app/http';
import { parseEditedFileWhatIfRequest, WhatIfEventDrillDown, WhatIfEventDrillDownDto, WhatIfProgress, WhatIfProgressDto, WhatIfService } from '@app/policy';
import { isMemorandumFileName } from '@app/rules';
import { ConsoleAction, ConsoleAuditService, ConsoleRole, ConsoleSession } from '@app/workbench';
import { ConsoleRequest, ConsoleRoles, ConsoleSessionGuard, CurrentSession } from './console-session.guard';
import { ConsoleWhatIfRequestDto } from './openapi/what-if.dto';

/**
 * Who runs a what-if: the people who shape policy (editors, approvers) and the credit office that
 * answers for its effect. A run takes the console's one what-if slot, so the auditor reads runs
 * (summary, CSV, drill-down: the audit names each run's id) but neither starts nor cancels one.
 */
const RUN_ROLES: ConsoleRole[] = ['policy-editor', 'policy-approver', 'credit-office'];
const READ_ROLES: ConsoleRole[] = [...RUN_ROLES, 'auditor'];

const READ_PROBLEMS = ['CONSOLE.NOT_SIGNED_IN', 'CONSOLE.ROLE_REQUIRED', 'SERVICE.UNAVAILABLE'] as const satisfies readonly ErrorCode[];
const CHANGE_PROBLEMS = [...READ_PROBLEMS, 'CONSOLE.CSRF_REFUSED'] as const satisfies readonly ErrorCode[];
const RUN_ID = { name: 'id', format: 'uuid', description: 'The run id, from POST /api/v1/what-if.' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What-if on history in the console, over libs/policy's WhatIfService (the query API's
 * /v1/what-if serves automation): the draft being edited, or a stored release, over a period of
 * decided events, with progress, the summary, a drill-down and the CSV. Every call is audited.
 */
@ApiTags('console what-if')
@ApiSecurity(CONSOLE_SECURITY)
@Controller('api/v1/what-if')
@UseGuards(ConsoleSessionGuard)
export class WhatIfController {
  constructor(
    private readonly whatIf: WhatIfService,
    private readonly audit: ConsoleAuditService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ConsoleRoles(...RUN_ROLES)
  @ApiOperation({
    summary: 'Start a what-if run: the draft being edited or a stored release, over the decided events of a period',
    description: 'The draft is the rule set in force (the release in force, or rules/ before any) with one memorandum file replaced, as the draft editor checks it; a release is named by its version, drafts included. Answers at once with the run id; poll GET for progress. One run at a time in the console (the query API runs its own, for scripts).',
  })
  @ApiBody({ type: ConsoleWhatIfRequestDto })
  @ApiAcceptedResponse({ type: WhatIfProgressDto })
  @ApiProblems(...CHANGE_PROBLEMS, 'WHAT_IF.INVALID_REQUEST', 'WHAT_IF.BAD_PERIOD', 'WHAT_IF.UNKNOWN_RELEASE', 'WHAT_IF.INVALID_RULE_SET', 'WHAT_IF.BUSY', 'REQUEST.INVALID', 'REQUEST.TOO_LARGE', 'REQUEST.UNSUPPORTED_MEDIA_TYPE')
  start(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Body() body: unknown): Promise<WhatIfProgress> {
    const simulated = simulatedOf(body);
    return this.audit.audited(
      this.entry(session, request, 'run-what-if', simulated),
      () => this.whatIf.start(parseEditedFileWhatIfRequest(body)),
      (run) => `${run.id} ${simulated}`,
    );
  }

  // Before ':id', so "<id>.csv" is not read as an id.
  @Get(':id.csv')
  @ConsoleRoles(...READ_ROLES)
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="what-if.csv"')
  @ApiOperation({ summary: "A finished run's differences as CSV, subjects masked", description: 'As GET /v1/what-if/{id}.csv on the query API.' })
  @ApiParam(RUN_ID)
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV with a header row.', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblems(...READ_PROBLEMS, 'WHAT_IF.NOT_FOUND', 'WHAT_IF.NOT_FINISHED')
  csv(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('id') id: string): Promise<string> {
    return this.audit.audited(this.entry(session, request, 'download-what-if', auditedRunId(id)), async () => this.whatIf.csv(id));
  }

  @Get(':id')
  @ConsoleRoles(...READ_ROLES)
  @ApiOperation({ summary: "A run's progress and summary", description: 'Events done of total, decisions before and after, gained, lost and changed per memorandum, implementing department and measure, with masked example subjects.' })
  @ApiParam(RUN_ID)
  @ApiOkResponse({ type: WhatIfProgressDto })
  @ApiProblems(...READ_PROBLEMS, 'WHAT_IF.NOT_FOUND')
  progress(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('id') id: string): Promise<WhatIfProgress> {
    return this.audit.audited(this.entry(session, request, 'read-what-if', auditedRunId(id)), async () => this.whatIf.progress(id));
  }

  @Delete(':id')
  @ConsoleRoles(...RUN_ROLES)
  @ApiOperation({ summary: 'Cancel a run', description: "Anyone who may run one may cancel it: the slot is the console's, not a person's. What was simulated stays readable." })
  @ApiParam(RUN_ID)
  @ApiOkResponse({ type: WhatIfProgressDto })
  @ApiProblems(...CHANGE_PROBLEMS, 'WHAT_IF.NOT_FOUND')
  cancel(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('id') id: string): Promise<WhatIfProgress> {
    return this.audit.audited(this.entry(session, request, 'cancel-what-if', auditedRunId(id)), async () => this.whatIf.cancel(id));
  }

  @Get(':id/events/:source/:eventId')
  @ConsoleRoles(...READ_ROLES)
  @ApiOperation({ summary: 'One event of the run: its decisions as stored, explained, beside what the draft decides and why', description: '`source` and `eventId` URL-encoded, as a summary example gives them.' })
  @ApiParam(RUN_ID)
  @ApiParam({ name: 'source', example: '%2Fdepartments%2Fcourt', description: 'The event source, URL-encoded.' })
  @ApiParam({ name: 'eventId', description: 'The event id (CloudEvents `id`), URL-encoded.' })
  @ApiOkResponse({ type: WhatIfEventDrillDownDto })
  @ApiProblems(...READ_PROBLEMS, 'WHAT_IF.NOT_FOUND', 'WHAT_IF.EVENT_NOT_FOUND', 'WHAT_IF.INVALID_REQUEST')
  drillDown(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('id') id: string, @Param('source') source: string, @Param('eventId') eventId: string): Promise<WhatIfEventDrillDown> {
    // The event's source and id are audited once it is found in history: then they name an event, not text pasted into a path.
    return this.audit.audited(
      this.entry(session, request, 'read-what-if-event', auditedRunId(id)),
      () => this.whatIf.drillDown(id, source, eventId),
      (event) => `${id} ${event.source} ${event.eventId}`,
    );
  }

  private entry(session: ConsoleSession, request: ConsoleRequest, action: ConsoleAction, target: string | undefined) {
    return { userName: session.user.name, action, target, address: clientAddress(request) };
  }
}

/** A run id as the audit keeps it: only a UUID, never other text from the path. */
function auditedRunId(id: string): string | undefined {
  return UUID.test(id) ? id.toLowerCase() : undefined;
}

/** What a run body names, for the audit: "draft <memorandum file>" or "release <version>", nothing else of the body. */
function simulatedOf(body: unknown): string {
  const { draft, release } = (typeof body === 'object' && body !== null ? body : {}) as { draft?: { file?: unknown }; release?: unknown };
  if (typeof draft?.file === 'string' && isMemorandumFileName(draft.file)) return `draft ${draft.file}`;
  if ((typeof release === 'number' || typeof release === 'string') && /^[1-9]\d{0,8}$/.test(String(release))) return `release ${release}`;
  return 'unreadable request';
}
