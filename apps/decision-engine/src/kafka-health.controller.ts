import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CalendarHealthIndicator, DepartmentsHealthIndicator } from '@app/engine';
import { KafkaHealthIndicator } from '@app/messaging';

/** Kafka-mode readiness: both the database and the broker must answer; the calendar's coverage is reported, never failed on. */
@Controller('health')
export class KafkaHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly calendar: CalendarHealthIndicator,
    private readonly departments: DepartmentsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.kafka.isHealthy('kafka'), () => this.calendar.check(), () => this.departments.check()]);
  }
}
