import { IHeaders, Kafka, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { departmentOf } from '@app/domain';
import { RawCloudEvent } from './credit-events';
import { departmentKafka, KafkaRun, registeredDepartments, sleep, topicsOf } from './kafka-test-env';

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
  topic: string;
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
        return placements(this.topic, messages, metadata);
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

/**
 * The departments of the registry publishing on their own inbound topics, each as its own
 * principal: a message goes to the topic of the department its `source` names (structured
 * value or ce_source header). A message without a readable registered source (garbage, a
 * tombstone, an unregistered department) goes on `fallback`'s topic, as that department's
 * system would have sent it.
 */
export class PublishingDepartments {
  private readonly producers = new Map<string, DepartmentProducer>();
  private readonly registered = new Set(registeredDepartments());

  constructor(
    private readonly run: KafkaRun,
    private readonly fallback = 'court',
  ) {}

  get retries(): number {
    return [...this.producers.values()].reduce((n, p) => n + p.retries, 0);
  }

  /** The department whose topic a message goes to. */
  publisherOf(message: Message): string {
    const department = departmentOf(sourceOf(message) ?? '');
    return department !== undefined && this.registered.has(department) ? department : this.fallback;
  }

  topicOf(message: Message): string {
    return topicsOf(this.run).inboundFor(this.publisherOf(message));
  }

  /** Placements in the order of `messages`; each department sends its share on its own connection, all at once. */
  async send(messages: Message[], giveUpAfterMs = 120_000): Promise<Placement[]> {
    const byDepartment = new Map<string, number[]>();
    messages.forEach((m, i) => {
      const department = this.publisherOf(m);
      byDepartment.set(department, [...(byDepartment.get(department) ?? []), i]);
    });
    const out: Placement[] = new Array(messages.length);
    await Promise.all(
      [...byDepartment].map(async ([department, indexes]) => {
        const placed = await this.producer(department).send(indexes.map((i) => messages[i]), giveUpAfterMs);
        indexes.forEach((index, j) => (out[index] = placed[j]));
      }),
    );
    return out;
  }

  async disconnect(): Promise<void> {
    await Promise.all([...this.producers.values()].map((p) => p.disconnect()));
  }

  private producer(department: string): DepartmentProducer {
    let producer = this.producers.get(department);
    if (!producer) {
      producer = new DepartmentProducer(departmentKafka(this.run, department), topicsOf(this.run).inboundFor(department));
      this.producers.set(department, producer);
    }
    return producer;
  }
}

function sourceOf(message: Message): string | undefined {
  const header = message.headers?.ce_source;
  if (header !== undefined) return String(Array.isArray(header) ? header[0] : header);
  try {
    const value = JSON.parse(String(message.value)) as { source?: unknown } | null;
    return typeof value?.source === 'string' ? value.source : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where each message landed: exact for a single message, or for messages all sent to one
 * named partition (consecutive offsets); otherwise the base offset of its partition's batch.
 */
function placements(topic: string, messages: Message[], metadata: RecordMetadata[]): Placement[] {
  const base = (m: RecordMetadata) => BigInt(m.baseOffset ?? m.offset ?? '0');
  const partition = messages[0]?.partition;
  if (messages.length > 1 && partition !== undefined && messages.every((m) => m.partition === partition)) {
    const meta = metadata.find((m) => m.partition === partition)!;
    return messages.map((_, i) => ({ topic, partition, offset: (base(meta) + BigInt(i)).toString() }));
  }
  return messages.map((m) => {
    const meta = metadata.find((x) => x.partition === m.partition) ?? metadata[0];
    return { topic, partition: meta.partition, offset: base(meta).toString() };
  });
}
