import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Department } from '@app/domain';
import { BulletinDocument, BulletinFormat, BulletinService, BulletinSummary, BulletinView } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard, GovernmentDepartmentGuard } from '@app/http';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';

/** The schema type the response decorators take (the package exports it from a path of its build only). */
type SchemaObject = NonNullable<Extract<NonNullable<Parameters<typeof ApiOkResponse>[0]>, { schema?: unknown }>['schema']>;

const NUMBER_PARAM = { name: 'number', description: 'The bulletin number, URL-encoded (from POST /v1/bulletins, the list, or a bulletin.issued record).', schema: { type: 'string', example: '利信通〔2026〕11号' } } as const;
const SUMMARY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['id', 'number', 'period', 'issuedBy', 'issuedAt', 'links'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', example: '利信通〔2026〕11号' },
    period: { type: 'object', properties: { kind: { type: 'string', enum: ['month', 'quarter'] }, label: { type: 'string', example: '2026-11' }, from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
    issuedBy: { type: 'string', description: 'The credit office\'s code, or "schedule".' },
    issuedAt: { type: 'string', format: 'date-time' },
    links: { type: 'object', properties: { json: { type: 'string' }, html: { type: 'string' }, pdf: { type: 'string' }, csv: { type: 'string' } } },
  },
};
type Reply = Pick<FastifyReply, 'header'>;

/** Situation bulletins (情况通报): issued by the credit office for a month or quarter that has ended; read by every government department. */
@ApiTags('situation bulletins')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/bulletins')
@UseGuards(DepartmentAuthGuard, GovernmentDepartmentGuard)
export class BulletinsController {
  constructor(private readonly bulletins: BulletinService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Issue the situation bulletin of a month or quarter (credit office)',
    description:
      "The departments' publication on time and feedback on measures with their ranking, repairs, removals and objections with their outcomes, and the period's blacklistings; stored with its figures, numbered in the year's series (BULLETIN_NUMBER_PREFIX), " +
      "and told to every government department on its feed and topic as a bulletin.issued record carrying that department's own line. Once per period: a second issue is 409 BULLETIN.ALREADY_ISSUED naming the first.",
  })
  @ApiBody({ schema: { type: 'object', required: ['period'], additionalProperties: false, properties: { period: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$', example: '2026-11', description: 'A month (YYYY-MM) or a quarter (YYYY-Qn) that has ended.' } } } })
  @ApiCreatedResponse({ schema: SUMMARY_SCHEMA })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID', 'BULLETIN.INVALID_REQUEST', 'BULLETIN.CREDIT_OFFICE_ONLY', 'BULLETIN.PERIOD_NOT_OVER', 'BULLETIN.ALREADY_ISSUED')
  issue(@CurrentDepartment() department: Department, @Body() body: unknown): Promise<BulletinSummary> {
    return this.bulletins.issue(department, body);
  }

  @Get()
  @ApiOperation({ summary: 'The bulletins issued, latest period first' })
  @ApiOkResponse({ schema: { type: 'object', properties: { bulletins: { type: 'array', items: SUMMARY_SCHEMA } } } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY')
  async list(): Promise<{ bulletins: BulletinSummary[] }> {
    return { bulletins: await this.bulletins.list() };
  }

  @Get(':number.pdf')
  @ApiOperation({ summary: 'The bulletin as PDF (CJK font embedded)' })
  @ApiParam(NUMBER_PARAM)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'BULLETIN.NOT_FOUND')
  async pdf(@Param('number') number: string, @Res({ passthrough: true }) reply: Reply): Promise<StreamableFile> {
    return send(reply, await this.bulletins.document(number, 'pdf'), 'pdf');
  }

  @Get(':number.html')
  @ApiOperation({ summary: 'The bulletin as one self-contained HTML page' })
  @ApiParam(NUMBER_PARAM)
  @ApiProduces('text/html')
  @ApiOkResponse({ content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'BULLETIN.NOT_FOUND')
  async html(@Param('number') number: string, @Res({ passthrough: true }) reply: Reply): Promise<StreamableFile> {
    return send(reply, await this.bulletins.document(number, 'html'), 'html');
  }

  @Get(':number.csv')
  @ApiOperation({ summary: "The bulletin's tables as CSV (ranking, lifecycle, major listings; a `table` column tells them apart)" })
  @ApiParam(NUMBER_PARAM)
  @ApiProduces('text/csv')
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'BULLETIN.NOT_FOUND')
  async csv(@Param('number') number: string, @Res({ passthrough: true }) reply: Reply): Promise<StreamableFile> {
    return send(reply, await this.bulletins.document(number, 'csv'), 'csv');
  }

  @Get(':number')
  @ApiOperation({ summary: 'The bulletin with the figures it was built from' })
  @ApiParam(NUMBER_PARAM)
  @ApiOkResponse({ schema: { allOf: [SUMMARY_SCHEMA, { type: 'object', properties: { content: { type: 'object', description: 'period, asOf, lines (ranking), lifecycle, majorListings, totals.' } } }] } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'BULLETIN.NOT_FOUND')
  get(@Param('number') number: string): Promise<BulletinView> {
    return this.bulletins.get(number);
  }
}

function send(reply: Reply, document: BulletinDocument, format: BulletinFormat): StreamableFile {
  reply.header('Cache-Control', 'private, no-cache');
  if (format === 'html') reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  // An RFC 5987 filename: the number is Chinese.
  return new StreamableFile(document.body, { type: document.contentType, disposition: `inline; filename*=UTF-8''${encodeURIComponent(document.number)}.${format}`, length: document.body.length });
}
