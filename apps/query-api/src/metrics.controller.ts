import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { DepartmentsMetrics } from '@app/engine';
import { CreditCheckMetrics } from '@app/query';
import { HttpMetrics, Unlimited } from '@app/http';

/**
 * Prometheus scrape endpoint of the query API: the edge's limits, backoff and token use, the
 * departments registry, and the credit-check alerts (refused bursts). Behind the management
 * token, checked before routing.
 */
@Unlimited()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(http: HttpMetrics, departments: DepartmentsMetrics, checks: CreditCheckMetrics) {
    this.registry = Registry.merge([http.registry, departments.registry, checks.registry]);
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
