import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { childSpanOf } from '@app/domain';
import { CLOUD_EVENT_TYPE, RECORD_EVENT_SOURCE } from '@app/decision-log';
import { ADVISORY_LOCKS, FeedRepository, OutboxRow, OutboxSignal } from '@app/persistence';
import { encodeBinaryCloudEventJson } from './cloud-event-kafka.codec';
import { kafkaDeployment } from './kafka-access';
import { RELAY_KAFKA, TOPIC_NAMES } from './kafka.token';
import { MessagingMetrics } from './messaging.metrics';
import { Outgoing, TransactionalRelay } from './transactional-relay';
import { TopicNames } from './topics';

const BATCH = 2000;

/**
 * Publishes feed records (the outbox) to the department topics exactly once, by the
 * transactional relay's checkpoints: a record is marked published once the Kafka transaction
 * that carried it has committed, and a restart marks what the last checkpoint names.
 */
@Injectable()
export class OutboxRelay extends TransactionalRelay<OutboxRow> implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly config: AppConfig,
    dataSource: DataSource,
    private readonly feed: FeedRepository,
    private readonly metrics: MessagingMetrics,
    private readonly signal: OutboxSignal,
    @Inject(RELAY_KAFKA) kafka: Kafka,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {
    const deployment = kafkaDeployment(config);
    super(
      {
        name: 'outbox relay',
        lockKey: ADVISORY_LOCKS.outboxRelay,
        transactionalId: deployment.relayTransactionalId,
        checkpointGroup: deployment.relayGroup,
        checkpointTopic: deployment.topics.relayCheckpoints,
        compression: config.KAFKA_COMPRESSION,
      },
      dataSource,
      kafka,
    );
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  protected unpublished(excluding: readonly string[]): Promise<OutboxRow[]> {
    return this.feed.unpublished(this.dataSource.manager, BATCH, excluding);
  }

  protected messagesOf(rows: readonly OutboxRow[]): Outgoing[] {
    return rows.map((row) => ({
      topic: this.topics.decisionsFor(row.department),
      message: encodeBinaryCloudEventJson(
        { id: row.recordId, source: RECORD_EVENT_SOURCE, type: CLOUD_EVENT_TYPE[row.kind], subject: row.subjectId, time: new Date(row.createdAt).toISOString() },
        row.payloadJson,
        row.subjectId,
        { feed_cursor: row.seq, ...tracingHeaders(row.traceparent) },
      ),
    }));
  }

  protected markPublished(seqs: readonly string[]): Promise<void> {
    return this.feed.markPublished(this.dataSource.manager, [...seqs]);
  }

  protected markPublishedRanges(ranges: { from: bigint; to: bigint }[]): Promise<number> {
    return this.feed.markPublishedRanges(this.dataSource.manager, ranges);
  }

  /** Woken by this process's next commit of feed records, else polled (other processes' commits). */
  protected idle(): Promise<void> {
    return this.signal.next(this.config.ENGINE_POLL_INTERVAL_MS);
  }

  protected override onBacklog(rows: number): void {
    this.metrics.outboxBacklog.set(rows);
  }

  protected override onPublished(rows: number): void {
    this.metrics.decisionsPublished.inc(rows);
  }
}

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
