import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Clock, CreditEvent, isDomainError, TraceContext } from '@app/domain';
import { CLOCK, EventAdmission, KafkaEventBatchService, MessageOrigin } from '@app/engine';
import { BatchOutcome, cloudEventIdentity, decodeCloudEvent, InboundBatch, InboundMessage, PATTERNS, Rejection, TOPIC_NAMES, TopicNames, traceOfMessage } from '@app/messaging';
import type { DeadLetterInput } from '@app/persistence';

/** Thin Kafka consumer: decode and validate each message, then hand the batch to one service call. */
@Controller()
export class CreditEventsConsumer {
  constructor(
    private readonly admission: EventAdmission,
    private readonly batches: KafkaEventBatchService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {}

  @EventPattern(PATTERNS.creditEvents)
  async consume(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    // One instant for the batch, as the batch path decides it.
    const now = this.clock.now();
    const events: CreditEvent[] = [];
    const origins: MessageOrigin[] = [];
    const arrivals: (Date | undefined)[] = [];
    const sources: InboundMessage[] = [];
    const traces: TraceContext[] = [];
    const rejected: Rejection[] = [];
    const letters: DeadLetterInput[] = [];
    for (const message of batch.messages) {
      const origin = { raw: message.value?.toString() ?? '', topic: message.topic, partition: message.partition, offset: message.offset };
      try {
        events.push(await this.validate(message, now));
        origins.push(origin);
        arrivals.push(message.timestamp === undefined ? undefined : new Date(Number(message.timestamp)));
        sources.push(message);
        traces.push(traceOfMessage(message.headers));
      } catch (error) {
        // Whatever its kind (unprocessable, too large, an unknown department's not-found, a forbidden source), a domain error here is the message's own: dead-lettered, not retried.
        if (!isDomainError(error)) throw error;
        const violations = (error.context as { violations?: unknown[] }).violations;
        rejected.push({ topic: message.topic, partition: message.partition, offset: message.offset, code: error.code, message: error.message, violations });
        letters.push({ errorCode: error.code, message: error.message, violations, ...origin, ...cloudEventIdentity(message) });
      }
    }
    const outcome = await this.batches.processBatch(events, letters, origins, arrivals, traces);
    for (const r of outcome.refused) rejected.push({ topic: sources[r.index].topic, partition: sources[r.index].partition, offset: sources[r.index].offset, code: r.code, message: r.message, violations: r.violations });
    return { rejected };
  }

  /** The publisher is the department whose topic the event came on (only it may write there), not what `source` claims. */
  private validate(message: InboundMessage, now: Date): Promise<CreditEvent> {
    return this.admission.admit(decodeCloudEvent(message.value, message.headers), { via: 'kafka', topic: message.topic, department: this.topics.publisherOf(message.topic) }, now);
  }
}
