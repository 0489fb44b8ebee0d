import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CreditEvent } from '@app/domain';
import { DeadLetterInput, DeadLetterRepository, eventKey, InboundEventRepository } from '@app/persistence';
import { CLOCK } from './clock.token';
import { CreditEventProcessor } from './credit-event-processor.service';

/**
 * Kafka-mode processing of one partition batch: decide the valid events, then in one
 * PostgreSQL transaction record which events are new (the processed-event marker), store
 * decisions and outbox records for the new ones only, and record the refused messages.
 * Offsets are committed after this returns, so redelivery finds every effect already there.
 */
@Injectable()
export class KafkaEventBatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: InboundEventRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly processor: CreditEventProcessor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async processBatch(events: readonly CreditEvent[], refused: readonly DeadLetterInput[]): Promise<{ fresh: number; decisions: number }> {
    const unique = [...new Map(events.map((e) => [eventKey(e.source, e.id), e])).values()];
    const processed = await this.processor.decide(unique);
    return this.dataSource.transaction(async (manager) => {
      const fresh = await this.inbox.markFirstSeen(
        manager,
        processed.map(({ event, decisions }) => ({
          source: event.source,
          id: event.id,
          type: event.type,
          subject: event.subject,
          envelope: event as unknown as Record<string, unknown>,
          decisionCount: decisions.length,
        })),
      );
      const firstSeen = processed.filter(({ event }) => fresh.has(eventKey(event.source, event.id)));
      await this.processor.store(manager, firstSeen, this.clock.now());
      await this.deadLetters.record([...refused], manager);
      return { fresh: firstSeen.length, decisions: firstSeen.reduce((n, p) => n + p.decisions.length, 0) };
    });
  }
}
