import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { DepartmentsMetrics } from '@app/engine';
import { HttpMetrics, Unlimited } from '@app/http';

/**
 * Prometheus scrape endpoint of the ingest API: limits, backoff, token use and the
 * departments registry. Behind the management token (checked before routing), so outside the
 * department limits: its bearer token is not a department's.
 */
@Unlimited()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(http: HttpMetrics, departments: DepartmentsMetrics) {
    this.registry = Registry.merge([http.registry, departments.registry]);
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
