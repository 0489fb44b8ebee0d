import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { DataSource, QueryRunner } from 'typeorm';
import { AppConfig } from '@app/config';
import { childSpanOf, describeFailure } from '@app/domain';
import { CLOUD_EVENT_TYPE, RECORD_EVENT_SOURCE } from '@app/decision-log';
import { ADVISORY_LOCKS, FeedRepository, OutboxRow, OutboxSignal, returningRows } from '@app/persistence';
import { encodeBinaryCloudEventJson } from './cloud-event-kafka.codec';
import { kafkaDeployment, KafkaDeployment } from './kafka-access';
import { RELAY_KAFKA, TOPIC_NAMES } from './kafka.token';
import { chunkBySize, MAX_SEND_BYTES, messageBytes } from './message-chunks';
import { MessagingMetrics } from './messaging.metrics';
import { decodeSeqRanges, encodeSeqRanges, MAX_CHECKPOINT_LENGTH } from './outbox-checkpoint';
import { TopicNames } from './topics';
import { backoffDelay } from './transient-errors';

const BATCH = 2000;

/**
 * Publishes feed records (the outbox) to the department topics exactly once. One relay
 * runs at a time (PostgreSQL advisory lock). Each batch goes out in a Kafka transaction
 * together with a checkpoint naming the records it carried; the records are then marked
 * published. If the process dies between the two, the next relay finds the checkpoint and
 * marks those records instead of sending them twice; an unfinished transaction is aborted
 * by the broker when the next relay starts with the same transactional id.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private lockHolder?: QueryRunner;
  private producer?: Producer;
  private checkpoint = 0n;
  /** The next batch, read while the current one's Kafka transaction commits. */
  private readAhead?: Promise<OutboxRow[]>;

  private readonly deployment: KafkaDeployment;

  private get relayGroup(): string {
    return this.deployment.relayGroup;
  }

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly feed: FeedRepository,
    private readonly metrics: MessagingMetrics,
    private readonly signal: OutboxSignal,
    @Inject(RELAY_KAFKA) private readonly kafka: Kafka,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {
    this.deployment = kafkaDeployment(config);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.producer?.disconnect().catch(() => undefined);
    await this.releaseLock();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      try {
        if (!(await this.acquireLock())) {
          await sleep(2000);
          continue;
        }
        if (!this.producer) await this.startProducer();
        const sent = await this.publishOnce();
        attempt = 0;
        // Woken by this process's next commit of feed records, else polled (other processes' commits).
        if (sent === 0) await this.signal.next(this.config.ENGINE_POLL_INTERVAL_MS);
      } catch (error) {
        attempt++;
        const delay = backoffDelay(attempt, 200, 10_000);
        this.logger.warn(`outbox relay failed (attempt ${attempt}), restarting in ${delay} ms: ${describeFailure(error)}`);
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        this.readAhead = undefined;
        // The lock's connection may be what failed; take it again before publishing more.
        await this.releaseLock();
        await sleep(delay);
      }
    }
  }

  /** Publish one batch of unpublished records; returns how many went out. */
  async publishOnce(): Promise<number> {
    const ahead = this.readAhead;
    this.readAhead = undefined;
    const rows = await (ahead ?? this.read([]));
    this.metrics.outboxBacklog.set(rows.length);
    if (rows.length === 0) return 0;
    const messages = rows.map((row) => ({
      topic: this.topics.decisionsFor(row.department),
      message: encodeBinaryCloudEventJson(
        { id: row.recordId, source: RECORD_EVENT_SOURCE, type: CLOUD_EVENT_TYPE[row.kind], subject: row.subjectId, time: new Date(row.createdAt).toISOString() },
        row.payloadJson,
        row.subjectId,
        { feed_cursor: row.seq, ...tracingHeaders(row.traceparent) },
      ),
    }));
    const seqs = rows.map((r) => BigInt(r.seq));
    const checkpoint = this.checkpoint + 1n;
    const transaction = await this.producer!.transaction();
    try {
      // While the broker takes this batch, the next one is read and rendered (this one excluded).
      // Only the read runs ahead: this batch is marked published before the next transaction
      // commits, so the last checkpoint always names every record sent but not yet marked.
      const next = this.read(rows.map((r) => r.seq));
      next.catch(() => undefined); // awaited by the next publishOnce; a failure surfaces there
      this.readAhead = next;
      for (const chunk of chunkBySize(messages, MAX_SEND_BYTES, (item) => messageBytes(item.message))) {
        await transaction.sendBatch({ topicMessages: groupByTopic(chunk), acks: -1, compression: this.config.KAFKA_COMPRESSION === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.relayGroup,
        topics: [{ topic: this.topics.relayCheckpoints, partitions: [{ partition: 0, offset: checkpoint.toString(), metadata: encodeSeqRanges(seqs) } as never] }],
      });
      await transaction.commit();
    } catch (error) {
      this.readAhead = undefined;
      await transaction.abort().catch(() => undefined);
      throw error;
    }
    this.checkpoint = checkpoint;
    await this.feed.markPublished(this.dataSource.manager, rows.map((r) => r.seq));
    this.metrics.decisionsPublished.inc(rows.length);
    return rows.length;
  }

  private read(excluding: readonly string[]): Promise<OutboxRow[]> {
    return this.feed.unpublished(this.dataSource.manager, BATCH, excluding).then(fitCheckpoint);
  }

  private async startProducer(): Promise<void> {
    const producer = this.kafka.producer({ transactionalId: this.deployment.relayTransactionalId, idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    this.producer = producer;
    await this.recover();
  }

  /** Mark as published what the last committed Kafka transaction carried. */
  private async recover(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId: this.relayGroup, topics: [this.topics.relayCheckpoints] });
      const partition = topic?.partitions.find((p) => p.partition === 0) as { offset: string; metadata?: string | null } | undefined;
      if (!partition || Number(partition.offset) < 0) return;
      this.checkpoint = BigInt(partition.offset);
      const ranges = decodeSeqRanges(partition.metadata);
      if (ranges.length === 0) return;
      const recovered = await this.feed.markPublishedRanges(this.dataSource.manager, ranges);
      if (recovered > 0) this.logger.log(`recovered ${recovered} records published before a restart (checkpoint ${this.checkpoint})`);
    } finally {
      await admin.disconnect();
    }
  }

  private async acquireLock(): Promise<boolean> {
    if (this.lockHolder) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCKS.outboxRelay]);
    if (!locked) {
      await runner.release();
      return false;
    }
    this.lockHolder = runner;
    return true;
  }

  private async releaseLock(): Promise<void> {
    if (!this.lockHolder) return;
    await this.lockHolder.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.outboxRelay]).catch(() => undefined);
    await this.lockHolder.release().catch(() => undefined);
    this.lockHolder = undefined;
  }
}

type Outgoing = { topic: string; message: Message };

/**
 * A record continues the trace of the request behind its decision, in a span of the relay's own:
 * as the CloudEvents distributed-tracing extension (`ce_traceparent`, binary mode) and as the
 * plain `traceparent` header Kafka instrumentations read.
 */
function tracingHeaders(traceparent: string | null): Record<string, string> {
  if (!traceparent) return {};
  const span = childSpanOf(traceparent);
  return { ce_traceparent: span, traceparent: span };
}

function groupByTopic(chunk: readonly Outgoing[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of chunk) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Keep the batch's checkpoint within the broker's metadata limit (gaps make it longer). */
function fitCheckpoint(rows: OutboxRow[]): OutboxRow[] {
  let count = rows.length;
  while (count > 1 && encodeSeqRanges(rows.slice(0, count).map((r) => BigInt(r.seq))).length > MAX_CHECKPOINT_LENGTH) count = Math.floor(count / 2);
  return rows.slice(0, count);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
