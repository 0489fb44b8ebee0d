import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, Kafka, Message, Producer, Partitioners, TopicPartitionOffset } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { describeFailure, endedBySessionLimit } from '@app/domain';
import { DeadLetterInput, GroupCommit } from '@app/persistence';
import { cloudEventIdentity } from './cloud-event-kafka.codec';
import type { ConsumerErrorCode } from './consumer.errors';
import { chunkBySize, messageBytes } from './message-chunks';
import { BatchOutcome, InboundBatch, InboundMessage, PartitionSlice, Rejection } from './inbound-batch';
import { MessagingMetrics } from './messaging.metrics';
import { backoffDelay, countsAsAttempt, hasReachedMaxAttempts, meansRebalance, meansTooLarge } from './transient-errors';
import { bareDeadLetter, deadLetterMessage, isBareDeadLetter } from './dead-letter-message';
import { heartbeatWhileWaiting, WaitingHeartbeatLimits } from './waiting-heartbeat';

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
   * quiet partition's few messages do not cost a transaction of their own each. A slice whose
   * shared transaction failed retries alone, so one poison slice fails no other.
   */
  transactionsInFlight?: number;
  /** How long at most a slice waiting for a shared transaction or offset commit keeps heartbeating (default 5 minutes). */
  maxWaitingHeartbeatMs?: number;
  /** How long the broker waits for a silent (crashed) consumer before handing its partitions on. */
  sessionTimeoutMs: number;
  metrics?: MessagingMetrics;
  /** Dead letters larger than this are published truncated (default MAX_DEAD_LETTER_BYTES; the dead_letter table keeps them whole). */
  maxDeadLetterBytes?: number;
  /** Keeps the dead letters of messages the engine failed to decide (the handler records its own refusals). */
  recordDeadLetters?: (letters: DeadLetterInput[]) => Promise<void>;
}

/** What a message that failed to be decided is dead-lettered with: no internal error text, which may quote the event. */
const PROCESSING_FAILED_CODE: ConsumerErrorCode = 'ENGINE.PROCESSING_FAILED';
const PROCESSING_FAILED = 'the engine failed to decide this event; operators find the cause in the engine log by topic, partition and offset';

/** A slice's turn in its handler's transactions; `alone` after a failure, so that its next failure is its own. */
interface SliceAttempt {
  slice: PartitionSlice;
  alone: boolean;
}

/** A slice's offset to commit; `alone` after a failed commit, as for transactions. */
interface OffsetAttempt {
  offset: TopicPartitionOffset;
  alone: boolean;
}

/** A transaction several slices shared failed: not necessarily the fault of the slice that receives this. */
class SharedTransactionFailure extends Error {
  constructor(
    readonly slices: number,
    override readonly cause: unknown,
  ) {
    super(`a transaction of ${slices} slices failed: ${describeFailure(cause)}`);
    this.name = 'SharedTransactionFailure';
  }
}

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
  private readonly groups = new Map<string, GroupCommit<SliceAttempt, BatchOutcome>>();
  /** Offsets of slices whose effects have committed, sent to the group coordinator together (one request for many partitions). */
  private readonly offsetCommits = new GroupCommit<OffsetAttempt, void>(
    async (attempts) => {
      await this.consumer!.commitOffsets(attempts.map((a) => a.offset));
      return attempts.map(() => undefined);
    },
    { maxInFlight: 1, maxGroupSize: 1024, alone: (attempt) => attempt.alone },
  );
  private readonly waitingHeartbeat: WaitingHeartbeatLimits;

  /** Each subscribed topic's handler pattern and department, looked up per slice. */
  private readonly subscriptionOf: ReadonlyMap<string, KafkaBatchServerOptions['subscriptions'][number]>;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.subscriptionOf = new Map(options.subscriptions.map((s) => [s.topic, s]));
    this.waitingHeartbeat = { intervalMs: heartbeatIntervalOf(options.sessionTimeoutMs), maxMs: options.maxWaitingHeartbeatMs ?? 5 * 60_000 };
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const { kafka, groupId, subscriptions } = this.options;
      this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
      this.consumer = kafka.consumer({ groupId, readUncommitted: false, sessionTimeout: this.options.sessionTimeoutMs, heartbeatInterval: this.waitingHeartbeat.intervalMs, maxBytesPerPartition: 1024 * 1024 });
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
    const live = () => isRunning() && !isStale();
    // A fetch can hold thousands of messages; each transaction takes a bounded slice, so memory
    // and statement size stay flat and offsets advance as slices commit.
    for (let start = 0; start < all.length && live(); start += this.options.maxMessagesPerTransaction) {
      const messages = all.slice(start, start + this.options.maxMessagesPerTransaction);
      if (!(await this.consumeSlice({ topic: batch.topic, partition: batch.partition, messages }, heartbeat, live))) return;
      resolveOffset(messages[messages.length - 1].offset);
      await heartbeat();
    }
  }

  /**
   * One slice, in three steps each retried on its own: store its effects (the handler's
   * transaction), dead-letter its refusals, commit its offset. Once the effects are stored the
   * handler is never run again for the slice here, so its refusals are dead-lettered once.
   * False when the partition was given up (rebalanced or stopping): its new owner redoes the
   * slice, harmlessly, since the inbox knows the events already decided.
   */
  private async consumeSlice(slice: PartitionSlice, heartbeat: () => Promise<void>, live: () => boolean): Promise<boolean> {
    const { topic, partition, messages } = slice;
    const outcome = await this.storeEffects(slice, heartbeat, live);
    if (!outcome) return false;
    const letters = this.deadLetterChunks(messages, outcome.rejected);
    const sent = await this.retryStep('dead-letter send', slice, heartbeat, live, async () => {
      // Chunk by chunk, so a retry sends only what was not acknowledged.
      while (letters.length > 0) {
        try {
          await this.producer!.send({ topic: this.options.deadLetterTopic, acks: -1, messages: letters[0] });
          letters.shift();
        } catch (error) {
          // Refused for its size, a chunk is never accepted as it is: send it smaller instead of retrying it forever.
          if (!meansTooLarge(error)) throw error;
          letters.splice(0, 1, ...this.smallerDeadLetters(slice, letters[0]));
        }
      }
    });
    if (!sent) return false;
    // Counted once on the topic: a slice given up after this is redone by another consumer, which counts its own.
    const department = this.subscriptionOf.get(topic)?.department ?? 'unknown';
    for (const rejection of outcome.rejected) this.options.metrics?.eventsDeadLettered.inc({ department, code: rejection.code });
    const offset = { topic, partition, offset: (BigInt(messages[messages.length - 1].offset) + 1n).toString() };
    const committed = await this.retryStep('offset commit', slice, heartbeat, live, (failures) =>
      heartbeatWhileWaiting(this.offsetCommits.submit({ offset, alone: failures > 0 }), heartbeat, this.waitingHeartbeat),
    );
    if (!committed) return false;
    this.options.metrics?.eventsConsumed.inc(messages.length - outcome.rejected.length);
    return true;
  }

  /**
   * Runs the handler on the slice until its effects are stored. Only a failure of the slice on
   * its own counts against its attempts: when a transaction it shared with other partitions'
   * slices fails, each of them retries alone at once, so the guilty one spends its attempts
   * (and ends up handled message by message) while the others commit. A slice that failed
   * stays alone until it commits, so it cannot fail a group again; its partition's next slice
   * groups as usual. A transient failure (the database or broker away) is nobody's fault: it is
   * retried with backoff and spends no attempt, so an outage of any length neither breaks healthy
   * slices up nor brings their events nearer the dead letters. A statement timeout is retried so
   * too a few times in a row, then spends attempts: a slice that times out every time is poison.
   */
  private async storeEffects(slice: PartitionSlice, heartbeat: () => Promise<void>, live: () => boolean): Promise<BatchOutcome | undefined> {
    const { topic, partition, messages } = slice;
    let failures = 0;
    /** Transient failures in a row: they pace the backoff, not the attempts. */
    let outage = 0;
    /** Session limits (statement timeouts) in a row: past a few, they are the slice's own (countsAsAttempt). */
    let sessionLimits = 0;
    let alone = false;
    while (live()) {
      try {
        const timer = this.options.metrics?.batchSeconds.startTimer();
        const outcome = await heartbeatWhileWaiting(
          hasReachedMaxAttempts(failures, this.options.maxBatchAttempts) ? this.handleOneByOne(slice) : this.handleTogether({ slice, alone }),
          heartbeat,
          this.waitingHeartbeat,
        );
        timer?.();
        return outcome;
      } catch (error) {
        alone = true;
        if (error instanceof SharedTransactionFailure) continue;
        sessionLimits = endedBySessionLimit(error) ? sessionLimits + 1 : 0;
        if (countsAsAttempt(error, sessionLimits)) {
          failures++;
          outage = 0;
          const delay = backoffDelay(failures, this.options.retryInitialMs, this.options.retryMaxMs);
          this.log.warn(`unexpected failure on ${topic}[${partition}] at ${messages[0].offset} (attempt ${failures} of ${this.options.maxBatchAttempts}), retrying in ${delay} ms: ${describeFailure(error)}`);
          await this.pause(delay, heartbeat);
        } else {
          outage++;
          const delay = backoffDelay(outage, this.options.retryInitialMs, this.options.retryMaxMs);
          this.log.warn(`transient failure on ${topic}[${partition}] at ${messages[0].offset} (retry ${outage}, no attempt spent), retrying in ${delay} ms: ${describeFailure(error)}`);
          await this.pause(delay, heartbeat);
        }
      }
    }
    return undefined;
  }

  /**
   * Retries a step after the slice's effects are stored (they are never redone for it) with
   * backoff until it succeeds; false when the group rebalances, which no retry can mend, or the
   * partition is no longer live. `failures` is how many times the step failed so far.
   */
  private async retryStep(step: string, slice: PartitionSlice, heartbeat: () => Promise<void>, live: () => boolean, run: (failures: number) => Promise<void>): Promise<boolean> {
    const { topic, partition, messages } = slice;
    for (let failures = 0; live(); ) {
      try {
        await run(failures);
        return true;
      } catch (error) {
        if (meansRebalance(error)) {
          this.log.warn(`${step} of ${topic}[${partition}] at ${messages[0].offset} refused by a rebalance; the partition's next owner redoes the slice: ${describeFailure(error)}`);
          return false;
        }
        failures++;
        const delay = backoffDelay(failures, this.options.retryInitialMs, this.options.retryMaxMs);
        this.log.warn(`${step} of ${topic}[${partition}] at ${messages[0].offset} failed (attempt ${failures}), retrying only the ${step} in ${delay} ms: ${describeFailure(error)}`);
        await this.pause(delay, heartbeat);
      }
    }
    return false;
  }

  /** The slice joins the next transaction of its handler with the other partitions' waiting slices; its outcome is its own rejections. */
  private handleTogether(attempt: SliceAttempt): Promise<BatchOutcome> {
    const pattern = this.patternOf(attempt.slice.topic);
    let group = this.groups.get(pattern);
    if (!group) {
      group = new GroupCommit<SliceAttempt, BatchOutcome>((attempts) => this.handleSlices(pattern, attempts), {
        maxInFlight: this.options.transactionsInFlight ?? 2,
        maxGroupSize: Number.MAX_SAFE_INTEGER,
        maxGroupWeight: this.options.maxMessagesPerTransaction,
        weigh: (waiting) => waiting.slice.messages.length,
        alone: (waiting) => waiting.alone,
      });
      this.groups.set(pattern, group);
    }
    return group.submit(attempt);
  }

  /**
   * One handler call (one transaction) for the slices. A failure of several slices together is
   * a SharedTransactionFailure, after which each retries alone (see storeEffects).
   */
  private async handleSlices(pattern: string, attempts: readonly SliceAttempt[]): Promise<BatchOutcome[]> {
    const slices = attempts.map((a) => a.slice);
    let rejected: Rejection[];
    try {
      ({ rejected } = await this.handle(pattern, { messages: slices.length === 1 ? slices[0].messages : slices.flatMap((s) => s.messages) }));
    } catch (error) {
      if (slices.length === 1) throw error;
      this.log.warn(`a transaction of ${slices.length} slices (${slices.map((s) => `${s.topic}[${s.partition}] at ${s.messages[0].offset}`).join(', ')}) failed, each retries alone: ${describeFailure(error)}`);
      throw new SharedTransactionFailure(slices.length, error);
    }
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
        // An outage fails the slice (its messages decided so far are harmlessly redone). A session
        // limit counts at once here: the slice already failed so whole, attempts included, and
        // this message failed so alone, so it is the poison one.
        if (!countsAsAttempt(error, Number.POSITIVE_INFINITY)) throw error;
        this.log.error(`could not decide ${message.topic}[${message.partition}] at ${message.offset}: ${describeFailure(error)}`);
        rejected.push({ topic: message.topic, partition: message.partition, offset: message.offset, code: PROCESSING_FAILED_CODE, message: PROCESSING_FAILED });
        letters.push({ errorCode: PROCESSING_FAILED_CODE, message: PROCESSING_FAILED, raw: message.value?.toString() ?? '', topic: message.topic, partition: message.partition, offset: message.offset, ...cloudEventIdentity(message) });
      }
    }
    if (letters.length > 0) await this.options.recordDeadLetters?.(letters);
    return { rejected };
  }

  /** The slice's refused messages as dead letters (truncated above maxDeadLetterBytes), in sends the broker accepts. */
  private deadLetterChunks(messages: InboundMessage[], rejected: Rejection[]): Message[][] {
    if (rejected.length === 0) return [];
    const byOffset = new Map(messages.map((m) => [m.offset, m]));
    const letters: Message[] = rejected.map((r) => deadLetterMessage(byOffset.get(r.offset)!, r, this.options.maxDeadLetterBytes));
    return chunkBySize(letters, MAX_DEAD_LETTER_SEND_BYTES, messageBytes);
  }

  /**
   * What to send instead of a chunk the broker refused as too large (the dead-letter topic's
   * limit is lower than the engine assumed): its letters one by one, then a lone letter bare
   * (reason and origin only). A bare letter refused too is given up on the topic, with an error
   * in the log: it is in the dead_letter table, and the partition moves on.
   */
  private smallerDeadLetters(slice: PartitionSlice, chunk: Message[]): Message[][] {
    if (chunk.length > 1) return chunk.map((letter) => [letter]);
    const [letter] = chunk;
    const origin = `${slice.topic}[${String(letter.headers?.dlq_original_partition)}] at ${String(letter.headers?.dlq_original_offset)}`;
    if (!isBareDeadLetter(letter)) {
      this.log.warn(`the dead letter of ${origin} was refused by the broker as too large; publishing it without its content (kept in the dead_letter table)`);
      return [[bareDeadLetter(letter)]];
    }
    this.log.error(`the dead letter of ${origin} was refused by the broker as too large even without its content; it is kept in the dead_letter table only`);
    return [];
  }

  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(1000, deadline - Date.now())));
      await heartbeat().catch(() => undefined);
    }
  }
}

/** kafkajs' heartbeat interval for a session timeout: five heartbeats a session, at most one a second. */
function heartbeatIntervalOf(sessionTimeoutMs: number): number {
  return Math.max(1000, Math.floor(sessionTimeoutMs / 5));
}
