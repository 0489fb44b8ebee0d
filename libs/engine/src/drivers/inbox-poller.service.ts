import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Clock, CreditEvent, describeFailure, parseCreditEventFast } from '@app/domain';
import { InboundEventRepository } from '@app/persistence';
import { CreditEventProcessor } from '../credit-event-processor.service';
import { logDecidedEvents } from '../decided-events.log';
import { CLOCK } from '../clock.token';
import { DecisionMetrics } from '../decision.metrics';
import { ReleaseHoldError } from '../release-hold';
import { Inject } from '@nestjs/common';

/**
 * A held batch (ReleaseHoldError) is retried at this pace, not backed off like a database
 * failure: the hold ends with a poll of the releases (every RULES_RELOAD_INTERVAL_MS, or a
 * second), and the events should be decided then, not up to 30 s later.
 */
const HOLD_RETRY_MS = 1_000;

/**
 * The embedded transport: events accepted over HTTP wait in the inbox table; this loop
 * claims a batch, decides it and marks it processed in one transaction. A crash rolls the
 * batch back and it is claimed again after restart: nothing lost, nothing doubled. Registered
 * by the engine app in embedded mode only.
 */
@Injectable()
export class InboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboxPoller.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly inbox: InboundEventRepository,
    private readonly processor: CreditEventProcessor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: DecisionMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One claim–decide–commit cycle; returns how many events it processed. */
  async drainOnce(): Promise<number> {
    const done = await this.dataSource.transaction(async (manager) => {
      const rows = await this.inbox.claimPending(manager, this.config.ENGINE_BATCH_SIZE);
      if (rows.length === 0) return undefined;
      // Events were validated before they entered the inbox; parsing again restores their types.
      const events: CreditEvent[] = rows.map((row) => parseCreditEventFast(row.envelope));
      const now = this.clock.now();
      const processed = await this.processor.decide(events, now);
      // Marked before they are stored, in the same transaction: what the store reads from the decided
      // events themselves (an association's sanctions and their withdrawals, for the classes it
      // recomputes) then counts this batch's too, as the Kafka path's markFirstSeen does.
      await this.inbox.markProcessed(
        manager,
        rows.map((row, i) => ({ seq: row.seq, decisionCount: processed[i].decisions.length })),
      );
      await this.processor.store(manager, processed, now);
      return { processed, arrivedAt: rows.map((row) => new Date(row.receivedAt)), traces: rows.map((row) => ({ requestId: row.requestId ?? undefined, traceparent: row.traceparent ?? undefined })) };
    });
    if (!done) return 0;
    // Counted once committed: a batch rolled back is claimed and counted again, once.
    this.metrics.decided(done.processed, 'postgres', done.arrivedAt, this.clock.now());
    logDecidedEvents(this.logger, done.processed, done.traces);
    return done.processed.length;
  }

  private async run(): Promise<void> {
    let backoffMs = this.config.ENGINE_POLL_INTERVAL_MS;
    while (this.running) {
      try {
        const count = await this.drainOnce();
        backoffMs = this.config.ENGINE_POLL_INTERVAL_MS;
        if (count > 0) continue;
      } catch (error) {
        if (error instanceof ReleaseHoldError) {
          // Logged by the schedule when the hold begins and ends, not once a retry.
          backoffMs = Math.max(this.config.ENGINE_POLL_INTERVAL_MS, HOLD_RETRY_MS);
        } else {
          // Transient (database restarting): keep the batch in the inbox and retry with backoff.
          this.logger.error(`inbox batch failed, will retry in ${backoffMs} ms: ${describeFailure(error)}`);
          backoffMs = Math.min(backoffMs * 2, 30_000);
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
