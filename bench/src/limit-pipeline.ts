import { Pool } from 'pg';
import { CompressionTypes, Consumer, EachBatchPayload, Kafka, logLevel, Message, Partitioners, Producer } from 'kafkajs';
import { chunkBySize, MAX_SEND_BYTES, messageBytes, TopicNames } from '@app/messaging';
import { CAPTURED_TABLES, CapturedEvent, readCapture } from './support/pipeline-capture';
import { benchKafkaSecurity } from './support/kafka-broker';
import { ChildPipelineMessage, runChildPipeline } from './support/pipeline-child';

/**
 * The pipeline's limit probe: what this machine can move when the work is only moving the
 * bytes ours moves. Before it joins its group it loads what ours wrote and sent for every
 * event (./support/pipeline-capture.ts); then, per fetched partition batch, it
 *  - finds each message's event by its CloudEvents id (a substring scan, no parsing),
 *  - inserts the rows ours stored for those events set-wise, one statement per table, in one
 *    PostgreSQL transaction (the server's default synchronous_commit, as ours),
 *  - then sends the records ours sent for them (same keys, headers and value bytes, same
 *    partitioner, acks -1, the same 768 KiB chunks) and the dead-lettered messages in a Kafka
 *    transaction that also carries the batches' consumer offsets (sendOffsets) — the outbox
 *    relay's transactional producer, with the inbound offsets where ours commits its relay
 *    checkpoint. Like ours's relay, a transaction carries what is ready when the previous one
 *    commits (up to the relay's 2,000 records): a transaction per partition batch would cost
 *    the probe more round trips per event than ours pays.
 *
 * It skips everything that is ours's own work rather than the machine's: decoding and
 * validating events, evaluating rules, planning and rendering, the known-identity read, the
 * outbox's read back of unpublished rows and its published_at update (the rows go in as ours
 * left them, published), the lifecycle reads and updates (rows go in in their final state),
 * and the second producer ours uses for dead letters. Each skip only removes work, and the
 * rows, records and durability are the same, so its throughput bounds ours from above.
 *
 * Run as a child process by the pipeline benchmark (settings in BENCH_LIMIT_OPTIONS); it
 * reports progress over IPC like the naive pipeline.
 */
export interface LimitPipelineOptions {
  brokers: string;
  topicPrefix: string;
  groupId: string;
  clientId: string;
  databaseUrl: string;
  /** Department codes: the inbound topics consumed. */
  departments: string[];
  /** The capture of ours's run (NDJSON, see writeCapture). */
  captureFile: string;
  /** Partition batches in flight: one's rows are written while another's transaction goes to the broker. */
  concurrentPartitions: number;
}

export interface LimitProgress {
  processed: number;
  rejected: number;
  published: number;
  /** Records whose rows are committed and that are not yet in a committed Kafka transaction. */
  backlog: number;
  errors: number;
}

export type LimitMessage = ChildPipelineMessage<LimitProgress, { events: number }>;

const ID_MARKER = Buffer.from('"id":"');
const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((c) => Buffer.from(c));

/** The first `"id":"…"` of a structured CloudEvent: the envelope's, which JSON.stringify of the corpus event writes before its data. */
export function cloudEventId(value: Buffer | null): string | undefined {
  if (!value) return undefined;
  const at = value.indexOf(ID_MARKER);
  if (at < 0) return undefined;
  const start = at + ID_MARKER.length;
  const end = value.indexOf(0x22, start);
  return end > start ? value.toString('utf8', start, end) : undefined;
}

export class LimitPipeline {
  readonly progress: LimitProgress = { processed: 0, rejected: 0, published: 0, backlog: 0, errors: 0 };
  private readonly kafka: Kafka;
  private readonly topics: TopicNames;
  private readonly pool: Pool;
  private capture = new Map<string, CapturedEvent>();
  private consumer?: Consumer;
  private producer?: Producer;
  /** Batches whose rows are committed, waiting for the next Kafka transaction. */
  private pending: Outgoing[] = [];
  private pendingRecords = 0;
  /** The Kafka transaction under way (one transactional producer: one at a time). */
  private flushing?: Promise<void>;
  private failure?: Error;

  constructor(
    private readonly options: LimitPipelineOptions,
    private readonly onFatal: (error: Error) => void,
  ) {
    this.kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers.split(','), logLevel: logLevel.ERROR, retry: { initialRetryTime: 200, retries: 8 }, ...benchKafkaSecurity() });
    this.topics = new TopicNames(options.topicPrefix);
    this.pool = new Pool({ connectionString: options.databaseUrl, max: options.concurrentPartitions });
  }

  /** Loads the capture, connects and starts consuming; resolves with the events captured once the consumer has joined. */
  async start(): Promise<number> {
    this.capture = await readCapture(this.options.captureFile);
    this.producer = this.kafka.producer({ transactionalId: `${this.options.clientId}-tx`, idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.options.groupId, readUncommitted: false, maxBytesPerPartition: 1024 * 1024, allowAutoTopicCreation: false });
    await this.consumer.connect();
    const joined = new Promise<void>((resolve) => this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()));
    const inbound = this.options.departments.map((d) => this.topics.inboundFor(d));
    await this.consumer.subscribe({ topics: inbound, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.concurrentPartitions,
      eachBatch: async (payload) => {
        try {
          await this.handle(payload);
        } catch (error) {
          this.progress.errors++;
          console.error(`limit probe: ${payload.batch.topic}[${payload.batch.partition}]: ${(error as Error).stack ?? String(error)}`);
          // Redelivery would write and send twice: no figure of this run would mean anything.
          this.onFatal(error as Error);
          throw error;
        }
      },
    });
    await joined;
    return this.capture.size;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private async handle({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const rows = new Map<string, Buffer[]>();
    const outgoing: { topic: string; message: Message }[] = [];
    let processed = 0;
    let rejected = 0;
    const seen = new Set<string>();
    for (const message of batch.messages) {
      const id = cloudEventId(message.value);
      const event = id === undefined || seen.has(id) ? undefined : this.capture.get(id);
      if (id !== undefined) seen.add(id);
      if (!event) {
        // A redelivered id, or an event ours stored nothing for: handled, nothing to write.
        processed++;
        continue;
      }
      for (const [table, json] of event.rows) {
        const list = rows.get(table);
        if (list) list.push(...json);
        else rows.set(table, [...json]);
      }
      for (const r of event.records) outgoing.push({ topic: this.topics.decisionsFor(r.department), message: { key: r.key, value: r.value, headers: r.headers } });
      if (event.deadLetter) {
        rejected++;
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]));
        outgoing.push({
          topic: this.topics.deadLetters,
          message: {
            key: message.key,
            value: message.value,
            headers: { ...headers, dlq_error_code: event.deadLetter.code, dlq_error_message: event.deadLetter.message.slice(0, 4000), dlq_original_topic: batch.topic, dlq_original_partition: String(batch.partition), dlq_original_offset: message.offset },
          },
        });
      } else processed++;
    }

    await this.insert(rows);
    const last = batch.messages[batch.messages.length - 1].offset;
    this.progress.processed += processed;
    this.progress.rejected += rejected;
    this.pending.push({ messages: outgoing, topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() });
    this.pendingRecords += outgoing.length;
    this.progress.backlog += outgoing.length;
    this.flushing ??= this.flush();
    // Back-pressure, as ours's outbox backlog would build: no more than two transactions' worth waits.
    while (this.pendingRecords > 2 * RELAY_BATCH && this.flushing) await this.flushing;
    if (this.failure) throw this.failure;
    resolveOffset(last);
    await heartbeat();
  }

  /** Kafka transactions until nothing is pending, each with what was ready when it began. */
  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        let take = 0;
        let records = 0;
        while (take < this.pending.length && (take === 0 || records + this.pending[take].messages.length <= RELAY_BATCH)) records += this.pending[take++].messages.length;
        const group = this.pending.splice(0, take);
        this.pendingRecords -= records;
        await this.transact(group);
        this.progress.published += group.reduce((n, g) => n + g.messages.filter((m) => m.topic !== this.topics.deadLetters).length, 0);
        this.progress.backlog -= records;
      }
    } catch (error) {
      // A failed transaction would mean redelivery and records sent twice: the probe's figures would be void.
      this.failure = error as Error;
      this.progress.errors++;
      console.error(`limit probe: Kafka transaction failed: ${(error as Error).stack ?? String(error)}`);
      this.onFatal(this.failure);
    } finally {
      this.flushing = undefined;
    }
  }

  /** The batch's rows, one set-wise INSERT per table, in one transaction. */
  private async insert(rows: ReadonlyMap<string, Buffer[]>): Promise<void> {
    if (rows.size === 0) return;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const table of CAPTURED_TABLES) {
        const json = rows.get(table);
        if (!json?.length) continue;
        const array = Buffer.concat([OPEN, ...json.flatMap((row, i) => (i === 0 ? [row] : [COMMA, row])), CLOSE]).toString('utf8');
        await client.query(`INSERT INTO "${table}" SELECT * FROM jsonb_populate_recordset(NULL::"${table}", $1::jsonb) ON CONFLICT DO NOTHING`, [array]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async transact(group: readonly Outgoing[]): Promise<void> {
    const offsets = new Map<string, { topic: string; partition: number; offset: string }>();
    for (const g of group) offsets.set(`${g.topic}\u0000${g.partition}`, { topic: g.topic, partition: g.partition, offset: g.offset });
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets.values()) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: o.offset }]);
    const transaction = await this.producer!.transaction();
    try {
      for (const chunk of chunkBySize(group.flatMap((g) => g.messages), MAX_SEND_BYTES, (item) => messageBytes(item.message))) {
        const messages = new Map<string, Message[]>();
        for (const { topic, message } of chunk) {
          const list = messages.get(topic);
          if (list) list.push(message);
          else messages.set(topic, [message]);
        }
        await transaction.sendBatch({ topicMessages: [...messages].map(([topic, list]) => ({ topic, messages: list })), acks: -1, compression: CompressionTypes.None });
      }
      const offsetTopics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
      // The coordinator may still be writing the previous transaction's markers: retry, as the Java client does (kafkajs retries it only at init).
      for (let attempt = 1; ; attempt++) {
        try {
          await transaction.sendOffsets({ consumerGroupId: this.options.groupId, topics: offsetTopics });
          break;
        } catch (error) {
          if ((error as { type?: string }).type !== 'CONCURRENT_TRANSACTIONS' || attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}

/** The relay's records per transaction (OutboxRelay's BATCH). */
const RELAY_BATCH = 2000;

/** A partition batch whose rows are committed: its records, and the offset to commit with them. */
interface Outgoing {
  messages: { topic: string; message: Message }[];
  topic: string;
  partition: number;
  offset: string;
}

/** Settings passed to the child process. */
export function limitEnvironment(options: LimitPipelineOptions): Record<string, string> {
  return { BENCH_LIMIT_OPTIONS: JSON.stringify(options) };
}

// Started as a process by the pipeline benchmark.
if (process.argv[1] === __filename && process.env.BENCH_LIMIT_OPTIONS) {
  const options = JSON.parse(process.env.BENCH_LIMIT_OPTIONS) as LimitPipelineOptions;
  runChildPipeline((fail) => new LimitPipeline(options, fail), (events) => ({ events }));
}
