import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, Kafka, Message, Producer, Partitioners, TopicPartitionOffset } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { describeFailure, isTransient } from '@app/domain';
import { DeadLetterInput, GroupCommit } from '@app/persistence';
import { cloudEventIdentity } from './cloud-event-kafka.codec';
import type { ConsumerErrorCode } from './consumer.errors';
import { chunkBySize, messageBytes } from './message-chunks';
import { BatchOutcome, InboundBatch, InboundMessage, PartitionSlice, Rejection } from './inbound-batch';
import { MessagingMetrics } from './messaging.metrics';
import { backoffDelay, hasReachedMaxAttempts } from './transient-errors';

/**
 * Refused messages are often refused for their size: several in one send can exceed the
 * broker's record-batch limit (1 MB by default) and would block the partition forever.
 */
const MAX_DEAD_LETTER_SEND_BYTES = 512 * 1024;

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  groupId: string;
  /** Topic → logical pattern of the @EventPattern handler that consumes it, and the department that publishes on it (metrics' label). */
  subscriptions: { topic: string; pattern: string; department?: string }[];
  deadLetterTopic: string;
  retryInitialMs: number;
  retryMaxMs: number;
  /** Non-transient failures of a whole batch before it is retried message by message. */
  maxBatchAttempts: number;
  /**
   * Partitions handled at once (kafkajs partitionsConsumedConcurrently); order within each is
   * kept. Their slices share transactions: see `transactionsInFlight`.
   */
  concurrentPartitions?: number;
  /** Messages decided and stored per database transaction (a slice of one partition, or slices of several together). */
  maxMessagesPerTransaction: number;
  /**
   * Transactions run at once (default 2). A slice arriving while that many run waits and joins
   * the next one with the other partitions' slices that arrived meanwhile (group commit), so a
   * quiet partition's few messages do not cost a transaction of their own each.
   */
  transactionsInFlight?: number;
  /** How long the broker waits for a silent (crashed) consumer before handing its partitions on. */
  sessionTimeoutMs: number;
  metrics?: MessagingMetrics;
  /** Keeps the dead letters of messages the engine failed to decide (the handler records its own refusals). */
  recordDeadLetters?: (letters: DeadLetterInput[]) => Promise<void>;
}

/** What a message that failed to be decided is dead-lettered with: no internal error text, which may quote the event. */
const PROCESSING_FAILED_CODE: ConsumerErrorCode = 'ENGINE.PROCESSING_FAILED';
const PROCESSING_FAILED = 'the engine failed to decide this event; operators find the cause in the engine log by topic, partition and offset';

/**
 * A NestJS microservice transport that hands @EventPattern(topic) handlers whole
 * partition batches. The handler commits its effects in its own database transaction;
 * only then are refused messages dead-lettered and offsets committed, so a crash at any
 * point means redelivery, never loss (the handler makes redelivery harmless).
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(KafkaBatchServer.name);
  private consumer?: Consumer;
  private producer?: Producer;
  /** Per handler pattern: the slices waiting to share a transaction. */
  private readonly groups = new Map<string, GroupCommit<PartitionSlice, BatchOutcome>>();
  /** Offsets of slices whose effects have committed, sent to the group coordinator together (one request for many partitions). */
  private readonly offsetCommits = new GroupCommit<TopicPartitionOffset, void>(
    async (offsets) => {
      await this.consumer!.commitOffsets([...offsets]);
      return offsets.map(() => undefined);
    },
    { maxInFlight: 1, maxGroupSize: 1024 },
  );

  /** Each subscribed topic's handler pattern and department, looked up per slice. */
  private readonly subscriptionOf: ReadonlyMap<string, KafkaBatchServerOptions['subscriptions'][number]>;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.subscriptionOf = new Map(options.subscriptions.map((s) => [s.topic, s]));
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const { kafka, groupId, subscriptions } = this.options;
      this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
      this.consumer = kafka.consumer({ groupId, readUncommitted: false, sessionTimeout: this.options.sessionTimeoutMs, heartbeatInterval: Math.max(1000, Math.floor(this.options.sessionTimeoutMs / 5)), maxBytesPerPartition: 1024 * 1024 });
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: subscriptions.map((s) => s.topic), fromBeginning: true });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.concurrentPartitions ?? 1,
        eachBatch: (payload) => this.consumeBatch(payload),
      });
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  on(): never {
    throw new Error('KafkaBatchServer does not emit events');
  }

  unwrap<T>(): T {
    return { consumer: this.consumer, producer: this.producer } as T;
  }

  private async consumeBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const all: InboundMessage[] = batch.messages.map((m) => ({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers, timestamp: m.timestamp }));
    // A fetch can hold thousands of messages; each transaction takes a bounded slice, so memory
    // and statement size stay flat and offsets advance as slices commit.
    for (let start = 0; start < all.length && isRunning() && !isStale(); start += this.options.maxMessagesPerTransaction) {
      const messages = all.slice(start, start + this.options.maxMessagesPerTransaction);
      if (!(await this.consumeSlice({ topic: batch.topic, partition: batch.partition, messages }, heartbeat, isRunning, isStale))) return;
      resolveOffset(messages[messages.length - 1].offset);
      await heartbeat();
    }
  }

  /** One slice: handle (its effects commit in the handler's transaction), dead-letter, commit offsets. */
  private async consumeSlice(slice: PartitionSlice, heartbeat: () => Promise<void>, isRunning: () => boolean, isStale: () => boolean): Promise<boolean> {
    const { topic, partition, messages } = slice;
    const last = messages[messages.length - 1].offset;
    for (let attempt = 1; isRunning() && !isStale(); attempt++) {
      try {
        const timer = this.options.metrics?.batchSeconds.startTimer();
        const outcome = hasReachedMaxAttempts(attempt - 1, this.options.maxBatchAttempts) ? await this.handleOneByOne(slice) : await this.handleTogether(slice);
        timer?.();
        await this.deadLetter(messages, outcome.rejected);
        await this.offsetCommits.submit({ topic, partition, offset: (BigInt(last) + 1n).toString() });
        this.options.metrics?.eventsConsumed.inc(messages.length - outcome.rejected.length);
        const department = this.subscriptionOf.get(topic)?.department ?? 'unknown';
        for (const rejection of outcome.rejected) this.options.metrics?.eventsDeadLettered.inc({ department, code: rejection.code });
        return true;
      } catch (error) {
        const delay = backoffDelay(attempt, this.options.retryInitialMs, this.options.retryMaxMs);
        const kind = isTransient(error) ? 'transient' : 'unexpected';
        this.log.warn(`${kind} failure on ${topic}[${partition}] at ${messages[0].offset} (attempt ${attempt}), retrying in ${delay} ms: ${describeFailure(error)}`);
        await this.pause(delay, heartbeat);
      }
    }
    // Rebalanced or stopping: the new owner of the partition redoes the slice (harmlessly).
    return false;
  }

  /** The slice joins the next transaction of its handler with the other partitions' waiting slices; its outcome is its own rejections. */
  private handleTogether(slice: PartitionSlice): Promise<BatchOutcome> {
    const pattern = this.patternOf(slice.topic);
    let group = this.groups.get(pattern);
    if (!group) {
      group = new GroupCommit<PartitionSlice, BatchOutcome>((slices) => this.handleSlices(pattern, slices), {
        maxInFlight: this.options.transactionsInFlight ?? 2,
        maxGroupSize: Number.MAX_SAFE_INTEGER,
        maxGroupWeight: this.options.maxMessagesPerTransaction,
        weigh: (waiting) => waiting.messages.length,
      });
      this.groups.set(pattern, group);
    }
    return group.submit(slice);
  }

  /** One handler call (one transaction) for the slices; a failure fails every slice of it, each retried by its own partition. */
  private async handleSlices(pattern: string, slices: readonly PartitionSlice[]): Promise<BatchOutcome[]> {
    const { rejected } = await this.handle(pattern, { messages: slices.length === 1 ? slices[0].messages : slices.flatMap((s) => s.messages) });
    return slices.map((slice) => ({ rejected: rejected.filter((r) => r.topic === slice.topic && r.partition === slice.partition) }));
  }

  private async handle(pattern: string, batch: InboundBatch): Promise<BatchOutcome> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for pattern ${pattern}`);
    return lastValueFrom(this.transformToObservable(await handler(batch))) as Promise<BatchOutcome>;
  }

  private patternOf(topic: string): string {
    return this.subscriptionOf.get(topic)?.pattern ?? topic;
  }

  /**
   * A batch that keeps failing for a reason that is not transient holds a poison message:
   * handle messages singly and dead-letter only the ones that fail, so the partition moves on.
   */
  private async handleOneByOne(slice: PartitionSlice): Promise<BatchOutcome> {
    const pattern = this.patternOf(slice.topic);
    const rejected: Rejection[] = [];
    const letters: DeadLetterInput[] = [];
    for (const message of slice.messages) {
      try {
        rejected.push(...(await this.handle(pattern, { messages: [message] })).rejected);
      } catch (error) {
        if (isTransient(error)) throw error;
        this.log.error(`could not decide ${message.topic}[${message.partition}] at ${message.offset}: ${describeFailure(error)}`);
        rejected.push({ topic: message.topic, partition: message.partition, offset: message.offset, code: PROCESSING_FAILED_CODE, message: PROCESSING_FAILED });
        letters.push({ errorCode: PROCESSING_FAILED_CODE, message: PROCESSING_FAILED, raw: message.value?.toString() ?? '', topic: message.topic, partition: message.partition, offset: message.offset, ...cloudEventIdentity(message) });
      }
    }
    if (letters.length > 0) await this.options.recordDeadLetters?.(letters);
    return { rejected };
  }

  private async deadLetter(messages: InboundMessage[], rejected: Rejection[]): Promise<void> {
    if (rejected.length === 0) return;
    const byOffset = new Map(messages.map((m) => [m.offset, m]));
    const letters: Message[] = rejected.map((r) => {
      const original = byOffset.get(r.offset)!;
      return {
        key: original.key,
        value: original.value,
        headers: {
          ...(original.headers ?? {}),
          dlq_error_code: r.code,
          dlq_error_message: r.message.slice(0, 4000),
          dlq_original_topic: original.topic,
          dlq_original_partition: String(original.partition),
          dlq_original_offset: original.offset,
        },
      };
    });
    for (const chunk of chunkBySize(letters, MAX_DEAD_LETTER_SEND_BYTES, messageBytes)) await this.producer!.send({ topic: this.options.deadLetterTopic, acks: -1, messages: chunk });
  }

  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(1000, deadline - Date.now())));
      await heartbeat().catch(() => undefined);
    }
  }
}
