import { Injectable } from '@nestjs/common';
import { CreditEvent } from '@app/domain';
import { InboundEventRepository } from '@app/persistence';
import { InboundEventSink } from './inbound-event-sink';

/** Embedded transport: the event is committed to the inbox table before the caller is answered. */
@Injectable()
export class PostgresInboxSink implements InboundEventSink {
  constructor(private readonly inbox: InboundEventRepository) {}

  async accept(events: readonly CreditEvent[]): Promise<ReadonlySet<string>> {
    const duplicates = new Set<string>();
    for (const event of events) {
      const fresh = await this.inbox.enqueue({ source: event.source, id: event.id, type: event.type, subject: event.subject, envelope: event as unknown as Record<string, unknown> });
      if (!fresh) duplicates.add(event.id);
    }
    return duplicates;
  }
}
