import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Department } from '@app/domain';
import { CreditReportService, IssuedReport, ReportDocument, ReportFormat, VerifiedReport } from '@app/query';
import { ApiProblems, CodeVerificationRoute, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard, GovernmentDepartmentGuard, OPEN_CALL_PROBLEMS } from '@app/http';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { USER_ID_HEADER } from './openapi/common.dto';
import { CreditReportRequestDto, IssuedReportDto, VerifiedReportDto } from './openapi/credit-reports.dto';
import { single } from './query-params';

const SUBJECT_PROBLEMS = ['SUBJECT.BAD_CHECK_DIGIT', 'SUBJECT.BAD_LENGTH', 'SUBJECT.BAD_CHARACTER', 'SUBJECT.BAD_DIVISION', 'SUBJECT.BAD_BIRTH_DATE', 'SUBJECT.AMBIGUOUS_ID_TYPE', 'SUBJECT.ID_TYPE_MISMATCH', 'SUBJECT.UNKNOWN_ID_TYPE'] as const;
const NUMBER_PARAM = { name: 'number', description: 'The report number (from POST /v1/reports).', schema: { type: 'string', example: 'XYBG-20261201-000123' } } as const;
type Reply = Pick<FastifyReply, 'header'>;

/** Credit reports (信用报告) for procurement, tendering and major projects: issued to government departments, read back by the issuer. */
@ApiTags('credit reports')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/reports')
@UseGuards(DepartmentAuthGuard, GovernmentDepartmentGuard)
export class CreditReportsController {
  constructor(private readonly reports: CreditReportService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Issue a credit report on a subject',
    description:
      "The subject's identity, credit classes with their explanation, list memberships, measures in force, administrative penalties within publicity, commendations, " +
      'credit commitments and their performance, self-discipline sanctions, objections and repairs, as of now, rendered as PDF and HTML and stored as issued. ' +
      'Logged in query_audit before it is answered. A natural person (resident identity number) needs X-User-Id; their report shows only what the calling department holds (its measures, the entries and penalties behind them, its commitments and class models; no association sanctions), ' +
      'and counts with the user\'s checks and reviews towards CHECK_DISTINCT_PERSONS_PER_MINUTE, reports alone towards REPORT_DISTINCT_PERSONS_PER_MINUTE. One department is issued at most REPORT_ISSUES_PER_MINUTE reports a minute. The verification code is in this answer only.',
  })
  @ApiBody({ type: CreditReportRequestDto })
  @ApiHeader({ ...USER_ID_HEADER, description: "The clerk's account in the department's own system, at most 64 printable characters; required for natural persons." })
  @ApiCreatedResponse({ type: IssuedReportDto })
  @ApiProblems(
    ...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID', 'REPORT.INVALID_REQUEST', 'REPORT.UNKNOWN_USE', 'REPORT.PURPOSE_REQUIRED', 'REPORT.BAD_PURPOSE',
    'REPORT.USER_ID_REQUIRED', 'AUDIT.BAD_USER_ID', ...SUBJECT_PROBLEMS, 'REPORT.BURST_REFUSED', 'REPORT.ISSUE_LIMITED',
  )
  issue(@CurrentDepartment() department: Department, @Body() body: unknown, @Headers('x-user-id') userId?: string): Promise<IssuedReport> {
    return this.reports.issue(department, body, userId);
  }

  @Get(':number.pdf')
  @ApiOperation({ summary: 'The issued PDF', description: 'Only the issuing department (another gets 404, as for an unknown number); each read is logged in query_audit under the report\'s purpose. A natural person\'s report needs X-User-Id (REPORT.USER_ID_REQUIRED).' })
  @ApiParam(NUMBER_PARAM)
  @ApiHeader({ ...USER_ID_HEADER, description: "The clerk's account in the department's own system; required for a natural person's report." })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF as issued; Repr-Digest carries its SHA-256.', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'AUDIT.BAD_USER_ID', 'REPORT.USER_ID_REQUIRED', 'REPORT.NOT_FOUND')
  async pdf(@CurrentDepartment() department: Department, @Param('number') number: string, @Res({ passthrough: true }) reply: Reply, @Headers('x-user-id') userId?: string): Promise<StreamableFile> {
    return send(reply, await this.reports.document(department, number, 'pdf', userId), 'pdf');
  }

  @Get(':number.html')
  @ApiOperation({ summary: 'The issued HTML', description: 'Only the issuing department (another gets 404, as for an unknown number); each read is logged in query_audit under the report\'s purpose. A natural person\'s report needs X-User-Id (REPORT.USER_ID_REQUIRED).' })
  @ApiParam(NUMBER_PARAM)
  @ApiHeader({ ...USER_ID_HEADER, description: "The clerk's account in the department's own system; required for a natural person's report." })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The HTML as issued; Repr-Digest carries its SHA-256.', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'AUDIT.BAD_USER_ID', 'REPORT.USER_ID_REQUIRED', 'REPORT.NOT_FOUND')
  async html(@CurrentDepartment() department: Department, @Param('number') number: string, @Res({ passthrough: true }) reply: Reply, @Headers('x-user-id') userId?: string): Promise<StreamableFile> {
    return send(reply, await this.reports.document(department, number, 'html', userId), 'html');
  }
}

/** Public verification of a credit report (no credentials; rate-limited by address like every open route, and by its own smaller budget). */
@ApiTags('credit reports')
@Controller('v1/public/reports')
export class PublicReportsController {
  constructor(private readonly reports: CreditReportService) {}

  @Get(':number')
  @CodeVerificationRoute()
  @ApiOperation({
    security: [],
    summary: 'Verify a credit report: genuine and unaltered',
    description:
      "No credentials. With the report's number and verification code: its issue date, use, the issuing department, the SHA-256 of its PDF and HTML (hash the file you received and compare) " +
      "and the subject as the public may see it (an organisation's name and code; a natural person masked, or not at all). An unknown number and a wrong code give the same 404; so does a code that is not 10 characters of the code alphabet, refused before any work. " +
      'At most REPORT_VERIFY_PER_MINUTE verifications a minute per address (429 REQUEST.RATE_LIMITED), and REPORT_VERIFY_CONCURRENCY code comparisons at once (503 REPORT.VERIFICATION_BUSY, Retry-After).',
  })
  @ApiParam(NUMBER_PARAM)
  @ApiQuery({ name: 'code', required: true, description: 'The verification code given with the report (case, spaces and hyphens ignored).', schema: { type: 'string', example: '7KQ2M9XRTA' } })
  @ApiOkResponse({ type: VerifiedReportDto })
  @ApiProblems(...OPEN_CALL_PROBLEMS, 'REQUEST.INVALID', 'REPORT.NOT_VERIFIED', 'REPORT.VERIFICATION_BUSY')
  verify(@Param('number') number: string, @Query('code') code?: unknown): Promise<VerifiedReport> {
    return this.reports.verify(number, single('code', code));
  }
}

/** The stored bytes as they are: a StreamableFile, which both platforms send unchanged (Express would JSON-encode a bare Buffer). */
function send(reply: Reply, document: ReportDocument, format: ReportFormat): StreamableFile {
  reply.header('Repr-Digest', `sha-256=:${Buffer.from(document.sha256, 'hex').toString('base64')}:`);
  // The report holds personal data: no shared cache keeps it.
  reply.header('Cache-Control', 'private, no-store');
  if (format === 'html') reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  return new StreamableFile(document.body, { type: document.contentType, disposition: `inline; filename="${document.number}.${format}"`, length: document.body.length });
}
