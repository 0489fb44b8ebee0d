import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import accepts from 'accepts';
import type { IncomingMessage } from 'node:http';
import { Department } from '@app/domain';
import { PerformanceReport, PerformanceService, renderPerformanceCsv } from '@app/query';
import { CurrentDepartment, DepartmentAuthGuard, EdgeRequest } from '@app/http';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** The response's one method used here: Express's `res.header` and Fastify's `reply.header` both set a header. */
interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** Department performance (the credit office's assessment): JSON, or CSV for a spreadsheet; a department reads its own. */
@ApiTags('department performance')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(DepartmentAuthGuard)
export class PerformanceController {
  constructor(private readonly performance: PerformanceService) {}

  @Get('performance')
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
