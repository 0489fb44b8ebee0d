import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ErrorCode, MANAGEMENT_SECURITY, ManagementTokenGuard, Unlimited } from '@app/http';
import { WhatIfEventDrillDownDto, WhatIfProgressDto, WhatIfRequestDto } from './what-if.dto';
import { parseWhatIfRequest } from './what-if-request';
import { WhatIfEventDrillDown, WhatIfProgress, WhatIfService } from './what-if.service';

const MANAGEMENT_PROBLEMS = ['MANAGEMENT.NOT_AUTHENTICATED', 'SERVICE.UNAVAILABLE'] as const satisfies readonly ErrorCode[];

/**
 * What-if on history for policy staff: a draft rule set over the events the engine received in a
 * period, compared with the decisions it made. The query API hosts it until apps/console does;
 * runs go on in the hosting process, one at a time. The management token protects it until console
 * users sign in (outside the department rate limits, as the release API).
 */
@ApiTags('policy')
@ApiSecurity(MANAGEMENT_SECURITY)
@Controller('v1/what-if')
@Unlimited()
@UseGuards(ManagementTokenGuard)
export class WhatIfController {
  constructor(private readonly whatIf: WhatIfService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a what-if run over history',
    description: 'Simulates the draft (or the release named: `in-force` or a stored release\'s version, drafts included) over every decided event received in the period, as the engine decided it (same evaluator and planner, at each event\'s decision instant), writing nothing. Answers at once with the run id; read its progress with GET. One run at a time.',
  })
  @ApiBody({ type: WhatIfRequestDto })
  @ApiAcceptedResponse({ type: WhatIfProgressDto })
  @ApiProblems(...MANAGEMENT_PROBLEMS, 'WHAT_IF.INVALID_REQUEST', 'WHAT_IF.BAD_PERIOD', 'WHAT_IF.UNKNOWN_RELEASE', 'WHAT_IF.INVALID_RULE_SET', 'WHAT_IF.BUSY', 'REQUEST.INVALID', 'REQUEST.TOO_LARGE')
  start(@Body() body: unknown): Promise<WhatIfProgress> {
    return this.whatIf.start(parseWhatIfRequest(body));
  }

  // Before ':id', so "<id>.csv" is not read as an id.
  @Get(':id.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="what-if.csv"')
  @ApiOperation({ summary: "A finished run's differences as CSV", description: 'One row a memorandum\'s decision about an event that differs: source, event_id, event_type, decided_at, memorandum_id, change (gained, lost, changed), subject (masked), measures_gained, measures_lost, measures_changed (space-separated codes), list_entries_changed.' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The run id, from POST /v1/what-if.' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV with a header row.', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblems(...MANAGEMENT_PROBLEMS, 'WHAT_IF.NOT_FOUND', 'WHAT_IF.NOT_FINISHED')
  csv(@Param('id') id: string): string {
    return this.whatIf.csv(id);
  }

  @Get(':id')
  @ApiOperation({ summary: "A run's progress and summary", description: 'Events done of total (for a progress bar), and decisions gained, lost and changed per memorandum, implementing department and measure code, with masked example subjects. The summary grows while the run goes.' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The run id, from POST /v1/what-if.' })
  @ApiOkResponse({ type: WhatIfProgressDto })
  @ApiProblems(...MANAGEMENT_PROBLEMS, 'WHAT_IF.NOT_FOUND')
  progress(@Param('id') id: string): WhatIfProgress {
    return this.whatIf.progress(id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a run', description: 'It stops after the page of events it is on; what was simulated stays readable (state `cancelled`).' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The run id, from POST /v1/what-if.' })
  @ApiOkResponse({ type: WhatIfProgressDto })
  @ApiProblems(...MANAGEMENT_PROBLEMS, 'WHAT_IF.NOT_FOUND')
  cancel(@Param('id') id: string): Promise<WhatIfProgress> {
    return this.whatIf.cancel(id);
  }

  @Get(':id/events/:source/:eventId')
  @ApiOperation({
    summary: "One event of the run: the old explanation against the new",
    description: 'The event\'s decisions as stored, with their explanations, beside what the draft decides and why. `source` is URL-encoded (`%2Fdepartments%2Fcourt`).',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The run id, from POST /v1/what-if.' })
  @ApiParam({ name: 'source', example: '%2Fdepartments%2Fcourt', description: 'The event source, URL-encoded.' })
  @ApiParam({ name: 'eventId', description: 'The event id (CloudEvents `id`), URL-encoded.' })
  @ApiOkResponse({ type: WhatIfEventDrillDownDto })
  @ApiProblems(...MANAGEMENT_PROBLEMS, 'WHAT_IF.NOT_FOUND', 'WHAT_IF.EVENT_NOT_FOUND')
  drillDown(@Param('id') id: string, @Param('source') source: string, @Param('eventId') eventId: string): Promise<WhatIfEventDrillDown> {
    return this.whatIf.drillDown(id, source, eventId);
  }
}
