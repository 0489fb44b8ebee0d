import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ExchangeBridge } from '@app/exchange';
import { LivenessDto, ReadinessDto } from '@app/http';
import { KafkaHealthIndicator } from '@app/messaging';

/** The bridge's liveness, and readiness: this deployment's broker answers; the routes it carries are reported. */
@ApiTags('health')
@Controller('health')
export class BridgeHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly bridge: ExchangeBridge,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers', security: [] })
  @ApiOkResponse({ type: LivenessDto })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['', 'ready'])
  @ApiOperation({ security: [], summary: "Readiness: this deployment's broker answers; the routes carried (peer topic → local inbound topic) reported" })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: "Not ready: this deployment's broker does not answer" })
  @HealthCheck({ swaggerDocumentation: false })
  check() {
    return this.health.check([() => this.kafka.isHealthy('kafka'), async () => ({ exchange: { status: 'up' as const, routes: this.bridge.routes } })]);
  }
}
