import type { LoggerService } from '@nestjs/common';
import { TraceContext, traceIdOf } from '@app/domain';
import type { ProcessedEvent } from './credit-event-processor.service';

/**
 * One line per event decided and committed, carrying the request id and trace of the request
 * (or message) that brought it: how an operator follows a request from the ingest's log into the
 * engine's. It names the event by its identity and type only, never its subject or data.
 */
export function logDecidedEvents(logger: LoggerService, processed: readonly ProcessedEvent[], traces: readonly (Partial<TraceContext> | undefined)[]): void {
  processed.forEach(({ event, decisions, refusals }, i) => {
    const trace = traces[i];
    logger.log({
      message: 'event decided',
      source: event.source,
      eventId: event.id,
      type: event.type,
      decisions: decisions.map((d) => d.id),
      refusals: refusals.length,
      requestId: trace?.requestId ?? null,
      traceId: traceIdOf(trace?.traceparent) ?? null,
      traceparent: trace?.traceparent ?? null,
    });
  });
}
