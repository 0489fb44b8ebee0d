import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer, Partitioners } from 'kafkajs';
import { CreditEvent } from '@app/domain';
import type { InboundEventSink } from '@app/engine';
import { KAFKA, TOPIC_NAMES } from './kafka.token';
import { TopicNames } from './topics';

/**
 * Kafka-mode ingest: the event is on the inbound topic, acknowledged by all in-sync
 * replicas, before the department gets its 202. Duplicates are recognised later, by the
 * engine's processed-event marker, so none are reported here.
 */
@Injectable()
export class KafkaInboundSink implements InboundEventSink, OnApplicationShutdown {
  private producer?: Promise<Producer>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {}

  async accept(events: readonly CreditEvent[]): Promise<ReadonlySet<string>> {
    const producer = await this.connected();
    await producer.send({
      topic: this.topics.creditEvents,
      acks: -1,
      messages: events.map((event) => ({
        key: event.subject,
        value: JSON.stringify(event),
        headers: { 'content-type': 'application/cloudevents+json' },
      })),
    });
    return new Set();
  }

  async onApplicationShutdown(): Promise<void> {
    await (await this.producer)?.disconnect();
  }

  private connected(): Promise<Producer> {
    if (!this.producer) {
      // Not idempotent: a retried send may duplicate, and the engine's marker drops the copy.
      const producer = this.kafka.producer({ idempotent: false, createPartitioner: Partitioners.DefaultPartitioner });
      this.producer = producer.connect().then(() => producer);
      this.producer.catch(() => (this.producer = undefined));
    }
    return this.producer;
  }
}
