import { Inject, Injectable } from '@nestjs/common';
import { Clock, CreditEvent, Department, EventValidationError, parseCreditEvent } from '@app/domain';
import { CatalogueService } from './catalogue.service';
import { CLOCK } from './clock.token';
import { assertConductUsable } from './conduct-limitation';
import { INBOUND_EVENT_SINK, InboundEventSink } from './inbound-event-sink';

export interface IntakeReceipt {
  accepted: { id: string; type: string; subject: string; duplicate: boolean }[];
}

export const MAX_BATCH = 1000;

/**
 * The edge every event passes: validate it fully, check the department may publish it,
 * and only then make it durable. Nothing invalid or unauthorised reaches the engine.
 */
@Injectable()
export class EventIntakeService {
  constructor(
    private readonly catalogue: CatalogueService,
    @Inject(INBOUND_EVENT_SINK) private readonly sink: InboundEventSink,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async acceptOne(department: Department, body: unknown): Promise<IntakeReceipt> {
    return this.accept(department, [await this.validate(department, body)]);
  }

  /** A batch is all-or-nothing: one bad event refuses the batch, naming its index. */
  async acceptBatch(department: Department, body: unknown): Promise<IntakeReceipt> {
    if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
      throw new EventValidationError('EVENT.NOT_CLOUDEVENT', `a batch must be a JSON array of 1 to ${MAX_BATCH} CloudEvents`);
    }
    const events: CreditEvent[] = [];
    for (const [index, item] of body.entries()) {
      try {
        events.push(await this.validate(department, item));
      } catch (error) {
        if (error instanceof Error) error.message = `event [${index}]: ${error.message}`;
        throw error;
      }
    }
    return this.accept(department, events);
  }

  private async validate(department: Department, body: unknown): Promise<CreditEvent> {
    const event = parseCreditEvent(body);
    this.catalogue.departments.authorisePublication(department, event);
    await assertConductUsable(event, this.catalogue.rules, this.clock.now());
    return event;
  }

  private async accept(_department: Department, events: CreditEvent[]): Promise<IntakeReceipt> {
    const duplicates = await this.sink.accept(events);
    return { accepted: events.map((e) => ({ id: e.id, type: e.type, subject: e.subject, duplicate: duplicates.has(e.id) })) };
  }
}
