import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CreditEvent, departmentOf, DepartmentError, isDomainError, parseCreditEvent } from '@app/domain';
import { CatalogueService, KafkaEventBatchService } from '@app/engine';
import { BatchOutcome, decodeCloudEvent, InboundBatch, InboundMessage, PATTERNS, Rejection } from '@app/messaging';
import type { DeadLetterInput } from '@app/persistence';

/** Thin Kafka consumer: decode and validate each message, then hand the batch to one service call. */
@Controller()
export class CreditEventsConsumer {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly batches: KafkaEventBatchService,
  ) {}

  @EventPattern(PATTERNS.creditEvents)
  async consume(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    const events: CreditEvent[] = [];
    const rejected: Rejection[] = [];
    const letters: DeadLetterInput[] = [];
    for (const message of batch.messages) {
      try {
        events.push(this.validate(message));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        const violations = (error.context as { violations?: unknown[] }).violations;
        rejected.push({ offset: message.offset, code: error.code, message: error.message, violations });
        letters.push({ errorCode: error.code, message: error.message, violations, raw: message.value?.toString() ?? '', topic: message.topic, partition: message.partition, offset: message.offset });
      }
    }
    await this.batches.processBatch(events, letters);
    return { rejected };
  }

  private validate(message: InboundMessage): CreditEvent {
    const event = parseCreditEvent(decodeCloudEvent(message.value, message.headers));
    const code = departmentOf(event.source);
    if (!code || !this.catalogue.departments.has(code)) {
      throw new DepartmentError('DEPARTMENT.UNKNOWN', `source "${event.source}" is not a registered department`, { source: event.source });
    }
    this.catalogue.departments.authorisePublication(this.catalogue.departments.get(code), event);
    return event;
  }
}
