import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the Kafka path, on one registry the engine serves at /metrics. */
export class MessagingMetrics {
  readonly registry = new Registry();
  readonly eventsConsumed = new Counter({ name: 'credit_events_processed_total', help: 'Credit events consumed and decided', registers: [this.registry] });
  /** By the publishing department (its inbound topic) and the refusal's stable code: what the dashboard's "dead letters by reason" draws. */
  readonly eventsDeadLettered = new Counter({ name: 'credit_events_dead_lettered_total', help: 'Messages sent to the dead-letter topic, by publishing department and refusal code', labelNames: ['department', 'code'] as const, registers: [this.registry] });
  readonly decisionsPublished = new Counter({ name: 'credit_decision_records_published_total', help: 'Decision records published to department topics', registers: [this.registry] });
  /** Set by the engine in Kafka mode: reads committed offsets and log ends when Prometheus scrapes. */
  lagSource?: () => Promise<{ topic: string; partition: number; lag: number }[]>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly outboxBacklog = new Gauge({ name: 'credit_outbox_backlog', help: 'Decision records stored but not yet published', registers: [this.registry] });
  readonly batchSeconds = new Histogram({ name: 'credit_batch_duration_seconds', help: 'Time to decide and store one batch', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const metrics = this;
    this.consumerLag = new Gauge({
      name: 'credit_events_consumer_lag',
      help: 'Messages on the inbound topic not yet consumed by the engine, per partition',
      labelNames: ['topic', 'partition'],
      registers: [this.registry],
      async collect() {
        if (!metrics.lagSource) return;
        this.reset();
        for (const { topic, partition, lag } of await metrics.lagSource().catch(() => [])) this.set({ topic, partition: String(partition) }, lag);
      },
    });
  }
}
