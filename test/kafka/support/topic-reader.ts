import { randomBytes } from 'node:crypto';
import { Consumer, IHeaders, Kafka } from 'kafkajs';
import { waitFor } from './kafka-test-env';

const CLASS_CHANGED_TYPE = 'credit.credit-class.changed.v1';
/** Opened from the subject's record of the year and the criteria file: not predicted by the reference decider either. */
const COORDINATION_OPENED_TYPE = 'credit.coordination.opened.v1';

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** Present when the reader keeps values. */
  value?: string;
}

/**
 * A plain kafkajs consumer reading topics from the beginning with its own consumer group,
 * as a subscribing department would: read_committed (kafkajs' default), so only records of
 * committed relay transactions are seen. Messages are kept in arrival order and indexed by
 * the CloudEvents id header.
 */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private readonly byCeId = new Map<string, ReadMessage[]>();
  private consumer?: Consumer;
  private lastArrival = Date.now();

  private constructor(
    private readonly keepValues: boolean,
    private readonly derivedRecords: boolean,
  ) {}

  /**
   * `derivedRecords`: keep credit-class.changed and coordination.opened records too. Left out by
   * default: they follow from the stored standing (and the criteria file), not from one event, so the
   * reference decider the pipeline tests compare with does not predict them (credit-classes.e2e-spec.ts
   * and coordination.e2e-spec.ts check them); a reader compared with a department's whole feed keeps them.
   */
  static async start(kafka: Kafka, topics: (string | RegExp)[], options: { keepValues?: boolean; groupId?: string; derivedRecords?: boolean } = {}): Promise<TopicReader> {
    const reader = new TopicReader(options.keepValues ?? true, options.derivedRecords ?? false);
    const consumer = kafka.consumer({
      groupId: options.groupId ?? `test-reader-${randomBytes(4).toString('hex')}`,
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const type = message.headers?.ce_type?.toString();
          if (!reader.derivedRecords && (type === CLASS_CHANGED_TYPE || type === COORDINATION_OPENED_TYPE)) continue;
          reader.add({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            headers: headerStrings(message.headers),
            value: reader.keepValues ? message.value?.toString() : undefined,
          });
        }
      },
    });
    reader.consumer = consumer;
    return reader;
  }

  /** Messages carrying this CloudEvents id (more than one means a duplicate). */
  withCeId(id: string): ReadMessage[] {
    return this.byCeId.get(id) ?? [];
  }

  /** ce_id → number of messages carrying it. */
  ceIdCounts(): Map<string, number> {
    return new Map([...this.byCeId.entries()].map(([id, list]) => [id, list.length]));
  }

  /** Wait until every id has arrived at least once. */
  async waitForCeIds(ids: Iterable<string>, timeoutMs: number): Promise<void> {
    const wanted = [...ids];
    await waitFor(
      `${wanted.length} records on the topics`,
      () => {
        const missing = wanted.filter((id) => !this.byCeId.has(id));
        if (missing.length === 0) return true;
        throw new Error(`${missing.length} of ${wanted.length} still missing (e.g. ${missing.slice(0, 3).join(', ')})`);
      },
      timeoutMs,
    );
  }

  /** Wait until nothing new has arrived for `quietMs`: whatever was still in flight (a duplicate, say) is in. */
  async settle(quietMs: number, timeoutMs: number): Promise<void> {
    await waitFor(`the topics to stay quiet for ${quietMs} ms`, () => Date.now() - this.lastArrival >= quietMs, timeoutMs, 100);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private add(message: ReadMessage): void {
    this.lastArrival = Date.now();
    this.messages.push(message);
    const id = message.headers.ce_id;
    if (id === undefined) return;
    const list = this.byCeId.get(id) ?? [];
    list.push(message);
    this.byCeId.set(id, list);
  }
}

export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = first?.toString() ?? '';
  }
  return out;
}

