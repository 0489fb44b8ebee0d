import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { DepartmentsMetrics } from '@app/engine';
import { HttpMetrics } from './http.metrics';
import { Unlimited } from './rate-limit.guard';

/**
 * Prometheus scrape endpoint of the ingest API (the query API adds its own metrics to these): limits, backoff, token use and the
 * departments registry. Behind the management token (checked before routing), so outside the
 * department limits: its bearer token is not a department's.
 */
@Unlimited()
@ApiExcludeController()
@Controller('metrics')
export class HttpMetricsController {
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
