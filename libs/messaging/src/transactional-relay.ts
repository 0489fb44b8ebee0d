import { Logger } from '@nestjs/common';
import { CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { DataSource, QueryRunner } from 'typeorm';
import { describeFailure } from '@app/domain';
import { chunkBySize, MAX_SEND_BYTES, messageBytes } from './message-chunks';
import { decodeSeqRanges, encodeSeqRanges, MAX_CHECKPOINT_LENGTH } from './outbox-checkpoint';
import { backoffDelay } from './transient-errors';

/** A row of a database outbox: its place in the table. */
export interface RelayRow {
  seq: string;
}

export type Outgoing = { topic: string; message: Message };

/** Where a relay keeps its place, and who it is on the broker and in the database. */
export interface RelayIdentity {
  /** For logs. */
  name: string;
  /** The session advisory lock that lets one relay of its kind publish at a time. */
  lockKey: number;
  transactionalId: string;
  /** The group whose committed offset on `checkpointTopic` carries the last transaction's rows. */
  checkpointGroup: string;
  checkpointTopic: string;
  compression: 'gzip' | 'none';
}

/**
 * Publishes the rows of a database outbox to Kafka exactly once. One relay of a kind runs at a
 * time (PostgreSQL advisory lock). Each batch goes out in a Kafka transaction together with a
 * checkpoint naming the rows it carried; the rows are then marked published. If the process dies
 * between the two, the next relay finds the checkpoint and marks those rows instead of sending
 * them twice; an unfinished transaction is aborted by the broker when the next relay starts with
 * the same transactional id. A subclass says what its outbox is and how a row becomes a message.
 */
export abstract class TransactionalRelay<Row extends RelayRow> {
  protected readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;
  private lockHolder?: QueryRunner;
  private producer?: Producer;
  private checkpoint = 0n;
  /** The next batch, read while the current one's Kafka transaction commits. */
  private readAhead?: Promise<Row[]>;

  protected constructor(
    protected readonly identity: RelayIdentity,
    protected readonly dataSource: DataSource,
    private readonly kafka: Kafka,
  ) {
    this.logger = new Logger(identity.name);
  }

  /** Up to a batch of unpublished rows, oldest first, leaving out those of the batch in flight. */
  protected abstract unpublished(excluding: readonly string[]): Promise<Row[]>;
  protected abstract messagesOf(rows: readonly Row[]): Outgoing[];
  protected abstract markPublished(seqs: readonly string[]): Promise<void>;
  /** Marks what a checkpoint names; returns how many rows were still unmarked. */
  protected abstract markPublishedRanges(ranges: { from: bigint; to: bigint }[]): Promise<number>;
  /** Resolves when there may be more to publish. */
  protected abstract idle(): Promise<void>;
  protected onBacklog(_rows: number): void {}
  protected onPublished(_rows: number): void {}

  protected start(): void {
    this.running = true;
    this.loop = this.run();
  }

  protected async stop(): Promise<void> {
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
        if (sent === 0) await this.idle();
      } catch (error) {
        attempt++;
        const delay = backoffDelay(attempt, 200, 10_000);
        this.logger.warn(`${this.identity.name} failed (attempt ${attempt}), restarting in ${delay} ms: ${describeFailure(error)}`);
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        this.readAhead = undefined;
        // The lock's connection may be what failed; take it again before publishing more.
        await this.releaseLock();
        await sleep(delay);
      }
    }
  }

  /** Publish one batch of unpublished rows; returns how many went out. */
  async publishOnce(): Promise<number> {
    const ahead = this.readAhead;
    this.readAhead = undefined;
    const rows = await (ahead ?? this.read([]));
    this.onBacklog(rows.length);
    if (rows.length === 0) return 0;
    const messages = this.messagesOf(rows);
    const checkpoint = this.checkpoint + 1n;
    const transaction = await this.producer!.transaction();
    try {
      // While the broker takes this batch, the next one is read and rendered (this one excluded).
      // Only the read runs ahead: this batch is marked published before the next transaction
      // commits, so the last checkpoint always names every row sent but not yet marked.
      const next = this.read(rows.map((r) => r.seq));
      next.catch(() => undefined); // awaited by the next publishOnce; a failure surfaces there
      this.readAhead = next;
      const compression = this.identity.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
      for (const chunk of chunkBySize(messages, MAX_SEND_BYTES, (item) => messageBytes(item.message))) {
        await transaction.sendBatch({ topicMessages: groupByTopic(chunk), acks: -1, compression });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.identity.checkpointGroup,
        topics: [{ topic: this.identity.checkpointTopic, partitions: [{ partition: 0, offset: checkpoint.toString(), metadata: encodeSeqRanges(rows.map((r) => BigInt(r.seq))) } as never] }],
      });
      await transaction.commit();
    } catch (error) {
      this.readAhead = undefined;
      await transaction.abort().catch(() => undefined);
      throw error;
    }
    this.checkpoint = checkpoint;
    await this.markPublished(rows.map((r) => r.seq));
    this.onPublished(rows.length);
    return rows.length;
  }

  private read(excluding: readonly string[]): Promise<Row[]> {
    return this.unpublished(excluding).then(fitCheckpoint);
  }

  private async startProducer(): Promise<void> {
    const producer = this.kafka.producer({ transactionalId: this.identity.transactionalId, idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    this.producer = producer;
    await this.recover();
  }

  /** Mark as published what the last committed Kafka transaction carried. */
  private async recover(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId: this.identity.checkpointGroup, topics: [this.identity.checkpointTopic] });
      const partition = topic?.partitions.find((p) => p.partition === 0) as { offset: string; metadata?: string | null } | undefined;
      if (!partition || Number(partition.offset) < 0) return;
      this.checkpoint = BigInt(partition.offset);
      const ranges = decodeSeqRanges(partition.metadata);
      if (ranges.length === 0) return;
      const recovered = await this.markPublishedRanges(ranges);
      if (recovered > 0) this.logger.log(`recovered ${recovered} rows published before a restart (checkpoint ${this.checkpoint})`);
    } finally {
      await admin.disconnect();
    }
  }

  private async acquireLock(): Promise<boolean> {
    if (this.lockHolder) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [this.identity.lockKey]);
    if (!locked) {
      await runner.release();
      return false;
    }
    this.lockHolder = runner;
    return true;
  }

  private async releaseLock(): Promise<void> {
    if (!this.lockHolder) return;
    await this.lockHolder.query('SELECT pg_advisory_unlock($1)', [this.identity.lockKey]).catch(() => undefined);
    await this.lockHolder.release().catch(() => undefined);
    this.lockHolder = undefined;
  }
}

function groupByTopic(chunk: readonly Outgoing[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of chunk) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Keep the batch's checkpoint within the broker's metadata limit (gaps make it longer). */
function fitCheckpoint<Row extends RelayRow>(rows: Row[]): Row[] {
  let count = rows.length;
  while (count > 1 && encodeSeqRanges(rows.slice(0, count).map((r) => BigInt(r.seq))).length > MAX_CHECKPOINT_LENGTH) count = Math.floor(count / 2);
  return rows.slice(0, count);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
