import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CalendarHealthIndicator, DepartmentsHealthIndicator } from '@app/engine';
import { Unlimited } from './rate-limit.guard';

/**
 * Readiness: the app answers and its database does; the working-day calendar's coverage and the
 * departments registry's load are reported, never failed on. Open and outside the rate limits: it
 * tells statuses and dates, nothing personal.
 */
@Unlimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly calendar: CalendarHealthIndicator,
    private readonly departments: DepartmentsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.calendar.check(), () => this.departments.check()]);
  }
}
