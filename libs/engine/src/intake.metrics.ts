import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { departmentOf, IntakeEvent } from '@app/domain';

/** The ingest's view: events accepted over HTTP (new ones; a resubmitted duplicate is not counted again), by publishing department and type. */
@Injectable()
export class IntakeMetrics {
  readonly registry = new Registry();
  private readonly received = new Counter<'department' | 'type'>({
    name: 'credit_events_received_total',
    help: 'Credit events accepted over HTTP and made durable (inbox table or inbound topic), by publishing department and event type; duplicates not counted',
    labelNames: ['department', 'type'],
    registers: [this.registry],
  });

  accepted(events: readonly IntakeEvent[], duplicates: ReadonlySet<string>): void {
    for (const { event } of events) if (!duplicates.has(event.id)) this.received.inc({ department: departmentOf(event.source) ?? 'unknown', type: event.type });
  }
}
