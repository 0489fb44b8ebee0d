import { IHeaders, Kafka, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { RawCloudEvent } from './credit-events';
import { sleep } from './kafka-test-env';

/** CloudEvents Kafka binding, structured mode: the whole event is the value. */
export function structuredMessage(event: RawCloudEvent): Message {
  return { key: event.subject, value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json' } };
}

/** CloudEvents Kafka binding, binary mode: attributes in ce_* headers, the data is the value. */
export function binaryMessage(event: RawCloudEvent): Message {
  const headers: IHeaders = {
    ce_specversion: event.specversion,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_subject: event.subject,
    ce_time: event.time,
    'content-type': 'application/json',
  };
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

/** Where a produced message landed. */
export interface Placement {
  partition: number;
  offset: string;
}

/**
 * A department's producer: plain kafkajs, acks from all in-sync replicas, and a retry
 * loop of its own around kafkajs' retries, so a broker that is away for a while (a
 * restart) delays sending instead of losing messages. A retried send may duplicate a
 * message on the topic; the engine recognises the copy by the event's (source, id).
 */
export class DepartmentProducer {
  private producer?: Producer;
  retries = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async send(messages: Message[], giveUpAfterMs = 120_000): Promise<Placement[]> {
    const deadline = Date.now() + giveUpAfterMs;
    for (;;) {
      try {
        const producer = await this.connected();
        const metadata = await producer.send({ topic: this.topic, acks: -1, messages });
        return placements(messages.length, metadata);
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`could not produce to ${this.topic} within ${giveUpAfterMs} ms: ${(error as Error).message}`);
        this.retries++;
        // A producer that saw the broker go away is rebuilt rather than trusted again.
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await sleep(500);
      }
    }
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }
}

/** One message per send gives its exact offset; for a batch only the base offset per partition is known. */
function placements(count: number, metadata: RecordMetadata[]): Placement[] {
  if (count !== 1) return metadata.map((m) => ({ partition: m.partition, offset: m.baseOffset ?? m.offset ?? '' }));
  const [first] = metadata;
  return [{ partition: first.partition, offset: first.baseOffset ?? first.offset ?? '' }];
}
