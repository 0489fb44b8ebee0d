import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer, Partitioners } from 'kafkajs';
import { departmentOf, InboundEventSink, IntakeEvent } from '@app/domain';
import { DataSource } from 'typeorm';
import { inboxInput, InboundEventRepository, knownBefore, ReceiptOutcome } from '@app/persistence';
import { KAFKA, TOPIC_NAMES } from './kafka.token';
import { traceHeaders } from './cloud-event-kafka.codec';
import { chunkBySize, MAX_SEND_BYTES, messageBytes } from './message-chunks';
import { TopicNames } from './topics';

/**
 * Kafka-mode ingest. The ingest remembers what it accepted: a `received` receipt per event
 * (with its content hash) is committed first, so a resubmission is told `duplicate` and a
 * reused id is refused (EVENT.ID_REUSED) exactly as in embedded mode. Then the events go to
 * the authenticated department's inbound topic, acknowledged by all in-sync replicas, before the department gets its
 * 202. If producing fails, the new receipts are removed and the caller gets the error (503);
 * a receipt left behind by a crash is still `received`, so a retry produces the event again
 * rather than trusting it reached the topic. The engine's marker drops any copy.
 */
@Injectable()
export class KafkaInboundSink implements InboundEventSink, OnApplicationShutdown {
  private producer?: Promise<Producer>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
    private readonly dataSource: DataSource,
    private readonly receipts: InboundEventRepository,
  ) {}

  async accept(events: readonly IntakeEvent[]): Promise<ReadonlySet<string>> {
    const { outcomes, known } = await this.dataSource.transaction(async (manager) => {
      const written = await this.receipts.receive(manager, events.map(inboxInput), 'received', 'kafka');
      // Throws EVENT.ID_REUSED inside the transaction: no receipt of the batch stays.
      return { outcomes: written, known: knownBefore(events, written) };
    });
    const unprocessed = events.filter((_, i) => !isProcessed(outcomes[i]));
    if (unprocessed.length === 0) return known;
    try {
      const producer = await this.connected();
      for (const [department, batch] of byPublisher(unprocessed)) {
        const messages = batch.map(({ event, trace }) => ({ key: event.subject, value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json', ...(trace ? traceHeaders(trace) : {}) } }));
        // A batch may hold 5 MiB; the broker takes a record batch of about 1 MB.
        for (const chunk of chunkBySize(messages, MAX_SEND_BYTES, messageBytes)) await producer.send({ topic: this.topics.inboundFor(department), acks: -1, messages: chunk });
      }
    } catch (error) {
      const seqs = outcomes.flatMap((o) => (o.written ? [o.seq] : []));
      await this.receipts.forgetReceived(seqs).catch(() => undefined);
      throw error;
    }
    return known;
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

/**
 * The intake has authorised each event's source as the authenticated department, so the
 * source names the department's own inbound topic (the engine checks the pair again).
 */
function byPublisher(events: readonly IntakeEvent[]): Map<string, IntakeEvent[]> {
  const groups = new Map<string, IntakeEvent[]>();
  for (const item of events) {
    const department = departmentOf(item.event.source);
    if (department === undefined) throw new Error('an accepted event has no department source');
    groups.set(department, [...(groups.get(department) ?? []), item]);
  }
  return groups;
}

function isProcessed(outcome: ReceiptOutcome): boolean {
  return !outcome.written && outcome.status === 'processed';
}
