import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import accepts from 'accepts';
import type { IncomingMessage } from 'node:http';
import { Department } from '@app/domain';
import { PerformanceReport, PerformanceService, renderPerformanceCsv } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard, EdgeRequest } from '@app/http';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { PerformanceReportDto } from './openapi/reports.dto';

const PERIOD_QUERIES = [
  ApiQuery({ name: 'from', required: false, description: 'First day of the period (China date); default: the first day of the month.', schema: { type: 'string', format: 'date', example: '2026-11-01' } }),
  ApiQuery({ name: 'to', required: false, description: 'Last day of the period, inclusive; default: today.', schema: { type: 'string', format: 'date', example: '2026-11-30' } }),
  ApiQuery({ name: 'department', required: false, description: "One department's figures (its own, unless the caller is the credit office).", schema: { type: 'string', example: 'finance' } }),
];
const PERFORMANCE_PROBLEMS = ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'REQUEST.BAD_PERIOD', 'PERFORMANCE.OTHER_DEPARTMENT', 'DEPARTMENT.UNKNOWN');
const CSV = { schema: { type: 'string' }, example: 'department,name,events,onTime\nfinance,财政局,12,11\n' } as const;

/** The response's one method used here: Express's `res.header` and Fastify's `reply.header` both set a header. */
interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** Department performance (the credit office's assessment): JSON, or CSV for a spreadsheet; a department reads its own. */
@ApiTags('department performance')
@ApiSecurity(DEPARTMENT_SECURITY)
@ApiExtraModels(PerformanceReportDto)
@Controller('v1')
@UseGuards(DepartmentAuthGuard)
export class PerformanceController {
  constructor(private readonly performance: PerformanceService) {}

  @Get('performance')
  @ApiOperation({ summary: 'Department performance: publication on time and feedback on measures', description: 'JSON, or CSV with `Accept: text/csv`.' })
  @(PERIOD_QUERIES[0])
  @(PERIOD_QUERIES[1])
  @(PERIOD_QUERIES[2])
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ content: { 'application/json': { schema: { $ref: getSchemaPath(PerformanceReportDto) } }, 'text/csv': CSV } })
  @PERFORMANCE_PROBLEMS
  async read(
    @CurrentDepartment() caller: Department,
    @Req() request: EdgeRequest,
    @Res({ passthrough: true }) response: HeaderSink,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('department') department?: string,
  ): Promise<PerformanceReport | string> {
    const report = await this.performance.report(caller, { from, to, department });
    response.header('Vary', 'Accept');
    // The negotiation Express's req.accepts does (the accepts package reads only the headers).
    return accepts(request as IncomingMessage).type(['application/json', 'text/csv']) === 'text/csv' ? csv(report, response) : report;
  }

  @Get('performance.csv')
  @ApiOperation({ summary: 'Department performance as CSV, for a spreadsheet' })
  @(PERIOD_QUERIES[0])
  @(PERIOD_QUERIES[1])
  @(PERIOD_QUERIES[2])
  @ApiOkResponse({ content: { 'text/csv': CSV } })
  @PERFORMANCE_PROBLEMS
  async readCsv(
    @CurrentDepartment() caller: Department,
    @Res({ passthrough: true }) response: HeaderSink,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('department') department?: string,
  ): Promise<string> {
    return csv(await this.performance.report(caller, { from, to, department }), response);
  }
}

function csv(report: PerformanceReport, response: HeaderSink): string {
  response.header('Content-Type', 'text/csv; charset=utf-8');
  response.header('Content-Disposition', `attachment; filename="performance-${report.period.from}-${report.period.to}.csv"`);
  return renderPerformanceCsv(report);
}
