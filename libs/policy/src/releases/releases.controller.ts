import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ErrorCode, MANAGEMENT_SECURITY, ManagementTokenGuard, Unlimited } from '@app/http';
import { ReleaseDiff, ReleaseService, ReleaseSummary, ReleaseView } from './release.service';
import { ApproveReleaseDto, DraftReleaseDto, ReleaseDiffDto, ReleaseSummaryDto, ReleaseViewDto, RollbackReleaseDto } from './releases.dto';

const VERSION = { name: 'version', description: 'The release version.', schema: { type: 'integer', minimum: 1 } } as const;
const CALL_PROBLEMS = ['MANAGEMENT.NOT_AUTHENTICATED', 'SERVICE.UNAVAILABLE'] as const satisfies readonly ErrorCode[];

/**
 * Rule-set releases for the policy console. Until console users sign in, the management token
 * protects these routes and the body names the person acting (author, approver, actor): the seam
 * the console's sessions and roles replace. Outside the department rate limits (Unlimited): their
 * guard would read the management token as a wrong department token.
 */
@ApiTags('rule-set releases')
@ApiSecurity(MANAGEMENT_SECURITY)
@Controller('v1/releases')
@Unlimited()
@UseGuards(ManagementTokenGuard)
export class ReleasesController {
  constructor(private readonly releases: ReleaseService) {}

  @Get()
  @ApiOperation({ summary: 'Every release, newest first, with its status now' })
  @ApiOkResponse({ type: [ReleaseSummaryDto] })
  @ApiProblems(...CALL_PROBLEMS)
  list(): Promise<ReleaseSummary[]> {
    return this.releases.list();
  }

  @Get(':version')
  @ApiOperation({ summary: 'A release with its content' })
  @ApiParam(VERSION)
  @ApiOkResponse({ type: ReleaseViewDto })
  @ApiProblems(...CALL_PROBLEMS, 'RELEASE.INVALID_REQUEST', 'RELEASE.NOT_FOUND')
  get(@Param('version') version: string): Promise<ReleaseView> {
    return this.releases.get(version);
  }

  @Get(':from/diff/:to')
  @ApiOperation({ summary: 'What changed from one release to another, by memorandum: files, measures and rules added, removed and changed' })
  @ApiParam({ ...VERSION, name: 'from', description: 'The earlier release.' })
  @ApiParam({ ...VERSION, name: 'to', description: 'The later release.' })
  @ApiOkResponse({ type: ReleaseDiffDto })
  @ApiProblems(...CALL_PROBLEMS, 'RELEASE.INVALID_REQUEST', 'RELEASE.NOT_FOUND')
  diff(@Param('from') from: string, @Param('to') to: string): Promise<ReleaseDiff> {
    return this.releases.diff(from, to);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'A draft release from rule content', description: 'Checked as `npm run rules:check` checks rules/: a broken rule set is refused with every problem.' })
  @ApiBody({ type: DraftReleaseDto })
  @ApiCreatedResponse({ type: ReleaseViewDto })
  @ApiProblems(...CALL_PROBLEMS, 'RELEASE.INVALID_REQUEST', 'RELEASE.INVALID_CONTENT')
  create(@Body() body: unknown): Promise<ReleaseView> {
    return this.releases.createDraft(body);
  }

  @Post(':version/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a draft with the instant it takes effect', description: 'Four eyes: the approver is not the author. Every engine switches at the effective instant.' })
  @ApiParam(VERSION)
  @ApiBody({ type: ApproveReleaseDto })
  @ApiOkResponse({ type: ReleaseViewDto })
  @ApiProblems(...CALL_PROBLEMS, 'RELEASE.INVALID_REQUEST', 'RELEASE.NOT_FOUND', 'RELEASE.FOUR_EYES', 'RELEASE.NOT_DRAFT', 'RELEASE.EFFECTIVE_TOO_SOON')
  approve(@Param('version') version: string, @Body() body: unknown): Promise<ReleaseView> {
    return this.releases.approve(version, body);
  }

  @Post(':version/rollback')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Roll back to an earlier release in one action', description: 'A new release with its content, approved by the actor (not the content’s author) and effective at the earliest allowed instant unless given.' })
  @ApiParam(VERSION)
  @ApiBody({ type: RollbackReleaseDto })
  @ApiCreatedResponse({ type: ReleaseViewDto })
  @ApiProblems(...CALL_PROBLEMS, 'RELEASE.INVALID_REQUEST', 'RELEASE.NOT_FOUND', 'RELEASE.NOT_APPROVED', 'RELEASE.FOUR_EYES', 'RELEASE.EFFECTIVE_TOO_SOON', 'RELEASE.INVALID_CONTENT')
  rollback(@Param('version') version: string, @Body() body: unknown): Promise<ReleaseView> {
    return this.releases.rollback(version, body);
  }
}
