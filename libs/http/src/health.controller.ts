import { Controller, Get, Inject, Provider, Type } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { LivenessDto, ReadinessDto } from './openapi/health.dto';
import { Unlimited } from './rate-limit.guard';

/** Something readiness reports on besides the database (the calendar's coverage, the departments registry's load). */
export interface ReadinessReport {
  check(): HealthIndicatorResult | Promise<HealthIndicatorResult>;
}

export const READINESS_REPORTS = Symbol('READINESS_REPORTS');

/** The app names its reports: the edge does not know which library keeps them. */
export function readinessReports(...reports: Type<ReadinessReport>[]): Provider {
  return { provide: READINESS_REPORTS, inject: reports, useFactory: (...instances: ReadinessReport[]) => instances };
}

/**
 * Liveness (`/health/live`: the process answers — restart it if not) and readiness (`/health/ready`,
 * also `/health`: its database answers, and with RULES_SOURCE=database no batch is held for the
 * release in force; the rule set, the working-day calendar's coverage and the departments
 * registry's load are reported, never failed on — send it traffic if so). Open and
 * outside the rate limits: they tell statuses and dates, nothing personal.
 */
@Unlimited()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    @Inject(READINESS_REPORTS) private readonly reports: readonly ReadinessReport[],
  ) {}

  /** No dependency is asked: a database outage must not get every replica restarted. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers', security: [] })
  @ApiOkResponse({ type: LivenessDto })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['', 'ready'])
  @ApiOperation({ security: [], summary: 'Readiness: the database answers and no batch is held for the rule release; rule set, calendar coverage and departments registry reported' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'Not ready: a required dependency does not answer, or batches are held (the rule release in force cannot be built here, or the releases were not read within RELEASE_MIN_LEAD_MS). Answered as Problem Details SERVICE.UNAVAILABLE whose context.readiness is this report.' })
  // Terminus' own Swagger schema is OpenAPI 2 style; the response is documented above.
  @HealthCheck({ swaggerDocumentation: false })
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), ...this.reports.map((report) => () => report.check())]);
  }
}
