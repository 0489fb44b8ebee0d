import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { CalendarMetrics, DepartmentsMetrics } from '@app/engine';
import { MessagingMetrics } from '@app/messaging';

/** Prometheus scrape endpoint of the engine: messaging, working-day calendar and departments registry metrics. */
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(messaging: MessagingMetrics, calendar: CalendarMetrics, departments: DepartmentsMetrics) {
    this.registry = Registry.merge([messaging.registry, calendar.registry, departments.registry]);
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
