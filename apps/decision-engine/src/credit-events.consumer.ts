import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { assertConductEndNotInFuture, chinaDate, Clock, CreditEvent, departmentOf, DepartmentError, isDomainError, parseCreditEvent } from '@app/domain';
import { CatalogueService, CLOCK, KafkaEventBatchService, MessageOrigin } from '@app/engine';
import { BatchOutcome, cloudEventIdentity, decodeCloudEvent, InboundBatch, InboundMessage, PATTERNS, Rejection, TOPIC_NAMES, TopicNames } from '@app/messaging';
import type { DeadLetterInput } from '@app/persistence';

/** Thin Kafka consumer: decode and validate each message, then hand the batch to one service call. */
@Controller()
export class CreditEventsConsumer {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly batches: KafkaEventBatchService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {}

  @EventPattern(PATTERNS.creditEvents)
  async consume(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    const today = chinaDate(this.clock.now());
    const events: CreditEvent[] = [];
    const origins: MessageOrigin[] = [];
    const offsets: string[] = [];
    const rejected: Rejection[] = [];
    const letters: DeadLetterInput[] = [];
    for (const message of batch.messages) {
      const origin = { raw: message.value?.toString() ?? '', topic: message.topic, partition: message.partition, offset: message.offset };
      try {
        events.push(this.validate(message, today));
        origins.push(origin);
        offsets.push(message.offset);
      } catch (error) {
        // Whatever its kind (unprocessable, too large, an unknown department's not-found, a forbidden source), a domain error here is the message's own: dead-lettered, not retried.
        if (!isDomainError(error)) throw error;
        const violations = (error.context as { violations?: unknown[] }).violations;
        rejected.push({ offset: message.offset, code: error.code, message: error.message, violations });
        letters.push({ errorCode: error.code, message: error.message, violations, ...origin, ...cloudEventIdentity(message) });
      }
    }
    const outcome = await this.batches.processBatch(events, letters, origins);
    for (const r of outcome.refused) rejected.push({ offset: offsets[r.index], code: r.code, message: r.message, violations: r.violations });
    return { rejected };
  }

  /** The publisher is the department whose topic the event came on (only it may write there), not what `source` claims. */
  private validate(message: InboundMessage, today: string): CreditEvent {
    const event = parseCreditEvent(decodeCloudEvent(message.value, message.headers));
    const code = departmentOf(event.source);
    if (!code || !this.catalogue.departments.has(code)) {
      throw new DepartmentError('DEPARTMENT.UNKNOWN', `source "${event.source}" is not a registered department`, { source: event.source });
    }
    const publisher = this.topics.publisherOf(message.topic);
    if (!publisher || !this.catalogue.departments.has(publisher)) {
      throw new DepartmentError('DEPARTMENT.UNKNOWN', `topic "${message.topic}" is not a registered department's inbound topic`, { topic: message.topic });
    }
    // Throws DEPARTMENT.SOURCE_MISMATCH when the source names another department than the topic's.
    this.catalogue.departments.authorisePublication(this.catalogue.departments.get(publisher), event);
    assertConductEndNotInFuture(event, today);
    return event;
  }
}
