import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { ApiProblems, clientAddress, CONSOLE_SECURITY, ErrorCode } from '@app/http';
import { auditedVersion, ReleaseDiff, ReleaseDiffDto, ReleaseService, ReleaseSummary, ReleaseSummaryDto, ReleaseView } from '@app/policy';
import { readRuleContent } from '@app/rules';
import { auditedDraftFile, ConsoleAction, ConsoleAuditService, ConsoleSession, DraftCheckService } from '@app/workbench';
import { ConsoleRequest, ConsoleRoles, ConsoleSessionGuard, CurrentSession } from './console-session.guard';
import { ApproveInConsoleDto, DraftFromRulesDto, RollbackInConsoleDto, SubmitDraftDto } from './openapi/releases.dto';

const VERSION = { name: 'version', description: 'The release version.', schema: { type: 'integer', minimum: 1 } } as const;
const READ_PROBLEMS = ['CONSOLE.NOT_SIGNED_IN', 'SERVICE.UNAVAILABLE'] as const satisfies readonly ErrorCode[];
const CHANGE_PROBLEMS = [...READ_PROBLEMS, 'CONSOLE.CSRF_REFUSED', 'CONSOLE.ROLE_REQUIRED', 'RELEASE.INVALID_REQUEST'] as const satisfies readonly ErrorCode[];

/**
 * Rule-set releases in the console, over libs/policy's ReleaseService: every role reads the
 * history and diffs; a policy editor makes a draft of the files in rules/; a policy approver
 * approves (never their own draft: RELEASE.FOUR_EYES) and rolls back, since a rollback puts
 * content in force as an approval does. The person acting is the session's user; every call is audited.
 */
@ApiTags('console releases')
@ApiSecurity(CONSOLE_SECURITY)
@Controller('api/v1/releases')
@UseGuards(ConsoleSessionGuard)
export class ReleasesController {
  constructor(
    private readonly releases: ReleaseService,
    private readonly drafts: DraftCheckService,
    private readonly audit: ConsoleAuditService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every release, newest first, with its status now' })
  @ApiOkResponse({ type: [ReleaseSummaryDto] })
  @ApiProblems(...READ_PROBLEMS)
  list(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest): Promise<ReleaseSummary[]> {
    return this.audited(session, request, 'read-releases', undefined, () => this.releases.list());
  }

  @Get(':from/diff/:to')
  @ApiOperation({ summary: 'What changed from one release to another, by memorandum: files, measures and rules added, removed and changed' })
  @ApiParam({ ...VERSION, name: 'from', description: 'The earlier release.' })
  @ApiParam({ ...VERSION, name: 'to', description: 'The later release.' })
  @ApiOkResponse({ type: ReleaseDiffDto })
  @ApiProblems(...READ_PROBLEMS, 'RELEASE.INVALID_REQUEST', 'RELEASE.NOT_FOUND')
  diff(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('from') from: string, @Param('to') to: string): Promise<ReleaseDiff> {
    return this.audited(session, request, 'read-release-diff', `${auditedVersion(from)}..${auditedVersion(to)}`, () => this.releases.diff(from, to));
  }

  @Post('drafts-from-rules')
  @HttpCode(HttpStatus.CREATED)
  @ConsoleRoles('policy-editor')
  @ApiOperation({ summary: 'A draft of the files in rules/, authored by the signed-in editor', description: 'Checked as `npm run rules:check` checks rules/: a broken rule set is refused with every problem.' })
  @ApiBody({ type: DraftFromRulesDto, required: false })
  @ApiCreatedResponse({ type: ReleaseSummaryDto })
  @ApiProblems(...CHANGE_PROBLEMS, 'RELEASE.INVALID_CONTENT')
  createDraft(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Body() body: unknown): Promise<ReleaseSummary> {
    return this.audited(session, request, 'create-release-draft', undefined, async () =>
      summary(await this.releases.createDraft({ content: readRuleContent(this.config.RULES_DIR), author: session.user.name, notes: fieldsOf(body).notes })),
    );
  }

  @Post('drafts')
  @HttpCode(HttpStatus.CREATED)
  @ConsoleRoles('policy-editor')
  @ApiOperation({
    summary: "Submit the draft editor's memorandum file as a release draft, authored by the signed-in editor",
    description:
      'The release content is the rule set in force (the release in force, or rules/ before any) with this one file replaced, so what a release changed elsewhere is kept. A draft the engine would refuse is refused with its focused problems (CONSOLE.DRAFT_REFUSED, `context.problems`), one whose rule cases fail with RELEASE.INVALID_CONTENT, one equal to the rule set in force with RELEASE.NO_CHANGE. An approver other than the author approves it on the Releases page.',
  })
  @ApiBody({ type: SubmitDraftDto })
  @ApiCreatedResponse({ type: ReleaseSummaryDto })
  @ApiProblems(...CHANGE_PROBLEMS, 'CONSOLE.INVALID_DRAFT', 'CONSOLE.UNKNOWN_MEMORANDUM', 'CONSOLE.DRAFT_REFUSED', 'RELEASE.INVALID_CONTENT', 'RELEASE.NO_CHANGE', 'RELEASE.BASE_CHANGED', 'REQUEST.UNSUPPORTED_MEDIA_TYPE')
  submitDraft(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Body() body: unknown): Promise<ReleaseSummary> {
    const { file, notes, baseRevision } = fieldsOf(body);
    return this.audited(session, request, 'submit-draft-release', auditedDraftFile(file), async () => {
      const { base, content } = await this.drafts.submission(body);
      return summary(await this.releases.createChangeDraft({ content, author: session.user.name, notes }, base, new Date(), baseRevision));
    });
  }

  @Post(':version/approve')
  @HttpCode(HttpStatus.OK)
  @ConsoleRoles('policy-approver')
  @ApiOperation({ summary: 'Approve a draft with the instant it takes effect', description: 'The signed-in approver approves; four eyes: never the draft’s author (RELEASE.FOUR_EYES).' })
  @ApiParam(VERSION)
  @ApiBody({ type: ApproveInConsoleDto })
  @ApiOkResponse({ type: ReleaseSummaryDto })
  @ApiProblems(...CHANGE_PROBLEMS, 'RELEASE.NOT_FOUND', 'RELEASE.FOUR_EYES', 'RELEASE.NOT_DRAFT', 'RELEASE.EFFECTIVE_TOO_SOON')
  approve(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('version') version: string, @Body() body: unknown): Promise<ReleaseSummary> {
    return this.audited(session, request, 'approve-release', auditedVersion(version), async () =>
      summary(await this.releases.approve(version, { approver: session.user.name, effectiveAt: fieldsOf(body).effectiveAt })),
    );
  }

  @Post(':version/rollback')
  @HttpCode(HttpStatus.CREATED)
  @ConsoleRoles('policy-approver')
  @ApiOperation({ summary: 'Roll back to an earlier release in one action', description: 'A new release with its content, approved by the signed-in approver (not the content’s author), effective at the earliest allowed instant unless given.' })
  @ApiParam(VERSION)
  @ApiBody({ type: RollbackInConsoleDto, required: false })
  @ApiCreatedResponse({ type: ReleaseSummaryDto })
  @ApiProblems(...CHANGE_PROBLEMS, 'RELEASE.NOT_FOUND', 'RELEASE.NOT_APPROVED', 'RELEASE.FOUR_EYES', 'RELEASE.EFFECTIVE_TOO_SOON', 'RELEASE.INVALID_CONTENT')
  rollback(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('version') version: string, @Body() body: unknown): Promise<ReleaseSummary> {
    const { notes, effectiveAt } = fieldsOf(body);
    return this.audited(session, request, 'rollback-release', auditedVersion(version), async () => summary(await this.releases.rollback(version, { actor: session.user.name, notes, effectiveAt })));
  }

  private audited<T>(session: ConsoleSession, request: ConsoleRequest, action: ConsoleAction, target: string | undefined, run: () => Promise<T>): Promise<T> {
    return this.audit.audited({ userName: session.user.name, action, target, address: clientAddress(request) }, run);
  }
}

/** The console's pages show releases, not their 170 KB of content. */
function summary({ content: _content, ...rest }: ReleaseView): ReleaseSummary {
  return rest;
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

