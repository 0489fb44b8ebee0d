import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Department } from '@app/domain';
import { PerformanceReport, PerformanceService, renderPerformanceCsv } from '@app/query';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

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
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('department') department?: string,
  ): Promise<PerformanceReport | string> {
    const report = await this.performance.report(caller, { from, to, department });
    response.vary('Accept');
    return request.accepts(['application/json', 'text/csv']) === 'text/csv' ? csv(report, response) : report;
  }

  @Get('performance.csv')
  async readCsv(
    @CurrentDepartment() caller: Department,
    @Res({ passthrough: true }) response: Response,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('department') department?: string,
  ): Promise<string> {
    return csv(await this.performance.report(caller, { from, to, department }), response);
  }
}

function csv(report: PerformanceReport, response: Response): string {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="performance-${report.period.from}-${report.period.to}.csv"`);
  return renderPerformanceCsv(report);
}
