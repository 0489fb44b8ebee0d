import { Inject, Injectable } from '@nestjs/common';
import { CreditEvent, Department, eventContentHash, EventValidationError, idReusedError, INBOUND_EVENT_SINK, InboundEventSink, IntakeEvent, TraceContext } from '@app/domain';
import { EventAdmission } from './event-admission.service';
import { IntakeMetrics } from './intake.metrics';

export interface IntakeReceipt {
  accepted: { id: string; type: string; subject: string; duplicate: boolean }[];
}

export const MAX_BATCH = 1000;
/** Body limit of POST /v1/events/batch: 1,000 events of ≈ 1–5 KB (one event alone is limited to 64 KiB). */
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;

/**
 * The HTTP edge every event passes: admit it (EventAdmission, shared with the Kafka consumer),
 * and only then make it durable. Nothing invalid or unauthorised reaches the engine.
 */
@Injectable()
export class EventIntakeService {
  constructor(
    private readonly admission: EventAdmission,
    @Inject(INBOUND_EVENT_SINK) private readonly sink: InboundEventSink,
    private readonly metrics: IntakeMetrics,
  ) {}

  /** `trace`: the request's ids, kept with each event into its decisions. */
  async acceptOne(department: Department, body: unknown, trace?: TraceContext): Promise<IntakeReceipt> {
    return this.accept([await this.validate(department, body)], trace);
  }

  /**
   * A batch is all-or-nothing: one bad event refuses the batch, naming its index, and a batch
   * that fails while being stored leaves none of its events behind.
   */
  async acceptBatch(department: Department, body: unknown, trace?: TraceContext): Promise<IntakeReceipt> {
    if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
      throw new EventValidationError('EVENT.NOT_CLOUDEVENT', `a batch must be a JSON array of 1 to ${MAX_BATCH} CloudEvents`);
    }
    const events: CreditEvent[] = [];
    for (const [index, item] of body.entries()) events.push(await indexedAsync(index, () => this.validate(department, item)));
    return this.accept(events, trace);
  }

  private validate(department: Department, body: unknown): Promise<CreditEvent> {
    return this.admission.admit(body, { via: 'http', department });
  }

  /** Every event here has the department's source, so the id alone is its identity. */
  private async accept(events: CreditEvent[], trace: TraceContext | undefined): Promise<IntakeReceipt> {
    const first = new Map<string, IntakeEvent>();
    const repeated = new Set<number>();
    events.forEach((event, index) => {
      const contentHash = eventContentHash(event);
      const earlier = first.get(event.id);
      if (!earlier) first.set(event.id, { event, contentHash, trace });
      else if (earlier.contentHash === contentHash) repeated.add(index);
      else indexed(index, () => { throw idReusedError(event.source, event.id); });
    });
    const known = await this.sink.accept([...first.values()]).catch((error: unknown) => {
      // The sink finds a reused id by the database; name its place in the batch, as for any refusal.
      const at = events.findIndex((e) => e.id === (error as { context?: { id?: string } }).context?.id);
      if (events.length > 1 && at >= 0) indexed(at, () => { throw error; });
      throw error;
    });
    this.metrics.accepted([...first.values()], known);
    return { accepted: events.map((e, i) => ({ id: e.id, type: e.type, subject: e.subject, duplicate: repeated.has(i) || known.has(e.id) })) };
  }
}

/** Run `step` for the batch element at `index`, naming the index in any error it throws. */
function indexed<T>(index: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof Error) error.message = `event [${index}]: ${error.message}`;
    throw error;
  }
}

async function indexedAsync<T>(index: number, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof Error) error.message = `event [${index}]: ${error.message}`;
    throw error;
  }
}
