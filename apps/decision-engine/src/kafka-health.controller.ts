import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CalendarHealthIndicator, DepartmentsHealthIndicator, RulesHealthIndicator } from '@app/engine';
import { LivenessDto, ReadinessDto } from '@app/http';
import { KafkaHealthIndicator } from '@app/messaging';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';

/** Kafka-mode liveness and readiness: for readiness both the database and the broker must answer and no batch be held for the rule release in force (RulesHealthIndicator); the rule set, the calendar's coverage and the departments registry are reported, never failed on. */
@ApiTags('health')
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
  @ApiOperation({ summary: 'Liveness: the process answers', security: [] })
  @ApiOkResponse({ type: LivenessDto })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['', 'ready'])
  @ApiOperation({ security: [], summary: 'Readiness: the database and the broker answer and no batch is held for the rule release; rule set, calendar coverage and departments registry reported' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'Not ready: the database or the broker does not answer, or batches are held (the rule release in force cannot be built here, or the releases were not read within RELEASE_MIN_LEAD_MS). Answered as Problem Details SERVICE.UNAVAILABLE whose context.readiness is this report.' })
  // Terminus' own Swagger schema is OpenAPI 2 style; the response is documented above.
  @HealthCheck({ swaggerDocumentation: false })
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.kafka.isHealthy('kafka'), () => this.rules.check(), () => this.calendar.check(), () => this.departments.check()]);
  }
}
