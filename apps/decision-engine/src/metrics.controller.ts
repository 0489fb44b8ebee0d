import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { CalendarMetrics } from '@app/engine';
import { MessagingMetrics } from '@app/messaging';

/** Prometheus scrape endpoint of the engine: messaging and working-day calendar metrics. */
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(messaging: MessagingMetrics, calendar: CalendarMetrics) {
    this.registry = Registry.merge([messaging.registry, calendar.registry]);
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
