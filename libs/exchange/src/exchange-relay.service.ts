import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { ExchangeLinks } from '@app/engine';
import { encodeBinaryCloudEvent, kafkaDeployment, Outgoing, RELAY_KAFKA, TOPIC_NAMES, TopicNames, TransactionalRelay } from '@app/messaging';
import { ADVISORY_LOCKS, ExchangeOutboxRepository, ExchangeOutboxRow } from '@app/persistence';

const BATCH = 500;

/** The copy as the outbox holds it: what the peer's bridge turns into an event of its publisher. */
interface StoredCopy {
  type: string;
  subject: string;
  time: string;
  data: Record<string, unknown>;
}

/**
 * Publishes what this deployment sends its peers (the exchange outbox) to one topic a peer on
 * this cluster, exactly once, in Kafka transactions of its own (checkpointed like the feed's
 * relay). A copy goes out with its relayed id, so whatever the peer's bridge does twice is one
 * event there. Runs only when EXCHANGE_FILE sends something.
 */
@Injectable()
export class ExchangeRelay extends TransactionalRelay<ExchangeOutboxRow> implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly config: AppConfig,
    dataSource: DataSource,
    private readonly outbox: ExchangeOutboxRepository,
    private readonly links: ExchangeLinks,
    @Inject(RELAY_KAFKA) kafka: Kafka,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {
    const deployment = kafkaDeployment(config);
    super(
      {
        name: 'exchange relay',
        lockKey: ADVISORY_LOCKS.exchangeRelay,
        transactionalId: deployment.exchangeTransactionalId,
        checkpointGroup: deployment.exchangeGroup,
        checkpointTopic: deployment.topics.relayCheckpoints,
        compression: config.KAFKA_COMPRESSION,
      },
      dataSource,
      kafka,
    );
  }

  /** Whether this deployment sends anything: without an outbound link the relay never starts. */
  get sends(): boolean {
    return this.links.config?.links.some((link) => link.outbound !== undefined) ?? false;
  }

  onApplicationBootstrap(): void {
    if (this.sends) this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  protected unpublished(excluding: readonly string[]): Promise<ExchangeOutboxRow[]> {
    return this.outbox.unpublished(this.dataSource.manager, BATCH, excluding);
  }

  protected messagesOf(rows: readonly ExchangeOutboxRow[]): Outgoing[] {
    const here = this.links.config!.deployment;
    return rows.map((row) => {
      const copy = row.event as unknown as StoredCopy;
      return {
        topic: this.topics.exchangeBetween(here, row.peer),
        // The source names this deployment; the bridge at the peer gives the copy its publisher's.
        message: encodeBinaryCloudEvent({ id: row.relayedEventId, source: `/deployments/${here}`, type: copy.type, subject: copy.subject, time: copy.time, data: copy.data }, copy.subject, { exchange_seq: row.seq }),
      };
    });
  }

  protected markPublished(seqs: readonly string[]): Promise<void> {
    return this.outbox.markPublished(this.dataSource.manager, seqs);
  }

  protected markPublishedRanges(ranges: { from: bigint; to: bigint }[]): Promise<number> {
    return this.outbox.markPublishedRanges(this.dataSource.manager, ranges);
  }

  /** Polled: copies are rare next to feed records, and the feed relay's wake-up is its own. */
  protected idle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.config.ENGINE_POLL_INTERVAL_MS));
  }
}
