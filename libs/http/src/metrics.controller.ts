import { Controller, Get, Header, Inject, Optional, Provider, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { MANAGEMENT_SECURITY } from './openapi/security-schemes';
import { ApiProblems } from './openapi/problem-responses';
import { Registry } from 'prom-client';
import { HttpRequestMetrics } from './http-request.metrics';
import { Unlimited } from './rate-limit.guard';

/** Something that keeps a Prometheus registry of its own (the edge's limits, the messaging, the departments registry's loads…). */
export interface MetricsSource {
  readonly registry: Registry;
}

export const METRICS_SOURCES = Symbol('METRICS_SOURCES');

/** The app names what it scrapes: the edge does not know which library keeps which metrics. */
export function metricsSources(...sources: Type<MetricsSource>[]): Provider {
  return { provide: METRICS_SOURCES, inject: sources, useFactory: (...instances: MetricsSource[]) => instances };
}

/**
 * Prometheus scrape endpoint of an app: its sources' registries, merged once. Behind the
 * management token (checked before routing), so outside the department limits: its bearer
 * token is not a department's.
 */
@Unlimited()
@ApiTags('operations')
@ApiSecurity(MANAGEMENT_SECURITY)
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  /** Every app's HTTP request metrics come with its own sources (createHttpApp provides them; a bare test module may not). */
  constructor(@Inject(METRICS_SOURCES) sources: readonly MetricsSource[], @Optional() requests?: HttpRequestMetrics) {
    this.registry = Registry.merge([...sources, ...(requests ? [requests] : [])].map((source) => source.registry));
  }

  @Get()
  @ApiOperation({ summary: 'Prometheus scrape (text exposition format 0.0.4)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ content: { 'text/plain': { schema: { type: 'string' }, example: '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 0.42\n' } } })
  @ApiProblems('MANAGEMENT.NOT_AUTHENTICATED')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
