import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CalendarHealthIndicator, DepartmentsHealthIndicator, RulesHealthIndicator } from '@app/engine';
import { KafkaHealthIndicator } from '@app/messaging';

/** Kafka-mode liveness and readiness: for readiness both the database and the broker must answer; the rule set, the calendar's coverage and the departments registry are reported, never failed on. */
@Controller('health')
export class KafkaHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly calendar: CalendarHealthIndicator,
    private readonly departments: DepartmentsHealthIndicator,
    private readonly rules: RulesHealthIndicator,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['', 'ready'])
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.kafka.isHealthy('kafka'), () => this.rules.check(), () => this.calendar.check(), () => this.departments.check()]);
  }
}
