import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InboundEventSink, IntakeEvent } from '@app/domain';
import { inboxInput, InboundEventRepository, knownBefore } from '@app/persistence';

/**
 * Embedded transport: the events are committed to the inbox table before the caller is
 * answered, a batch in one statement inside one transaction: all of it or none of it.
 */
@Injectable()
export class PostgresInboxSink implements InboundEventSink {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: InboundEventRepository,
  ) {}

  accept(events: readonly IntakeEvent[]): Promise<ReadonlySet<string>> {
    // A reused id throws inside the transaction, so the rest of the batch is rolled back with it.
    return this.dataSource.transaction(async (manager) => knownBefore(events, await this.inbox.receive(manager, events.map(inboxInput), 'pending', 'http')));
  }
}
