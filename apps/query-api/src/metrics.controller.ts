import { Controller, Get, Header } from '@nestjs/common';
import { CreditCheckMetrics } from '@app/engine';

/** Prometheus scrape endpoint of the query API: credit-check alerts (refused bursts). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly checks: CreditCheckMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.checks.registry.metrics();
  }
}
