import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** Prometheus view of credit checks: refused bursts are an alert (a clerk or a script walking resident IDs). */
@Injectable()
export class CreditCheckMetrics {
  readonly registry = new Registry();
  private readonly burstsRefused = new Counter<'department'>({
    name: 'credit_check_bursts_refused_total',
    help: 'Credit checks refused because one user of the department checked more distinct natural persons in a minute than CHECK_DISTINCT_PERSONS_PER_MINUTE',
    labelNames: ['department'],
    registers: [this.registry],
  });

  burstRefused(department: string): void {
    this.burstsRefused.inc({ department });
  }
}
