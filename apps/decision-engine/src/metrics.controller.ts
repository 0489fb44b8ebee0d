import { Controller, Get, Header } from '@nestjs/common';
import { MessagingMetrics } from '@app/messaging';

/** Prometheus scrape endpoint of the engine. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MessagingMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
