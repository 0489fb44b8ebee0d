/**
 * Every Kafka topic of the product, declared once. Decisions go to one topic per
 * subscribing department rather than one shared topic keyed by department: a broker ACL
 * can then let each department read only what is addressed to it (DOMAIN §6: query only
 * within one's duties), and a slow department's consumer lag is its own.
 *
 * An optional prefix namespaces a whole deployment (a district on a shared cluster, or
 * one test run on the test broker).
 */
export class TopicNames {
  /** Inbound credit events, CloudEvents, keyed by subject identifier (ordering per subject). */
  readonly creditEvents: string;
  /** Messages the engine could not accept, with the reason in headers. */
  readonly deadLetters: string;
  /** Never carries messages: its committed offsets record what the outbox relay has published. */
  readonly relayCheckpoints: string;

  constructor(readonly prefix = '') {
    this.creditEvents = `${prefix}credit.events.v1`;
    this.deadLetters = `${prefix}credit.events.dead-letter.v1`;
    this.relayCheckpoints = `${prefix}credit.outbox.checkpoints.v1`;
  }

  /** Decisions (issued, changed, revoked) addressed to one department. */
  decisionsFor(department: string): string {
    return `${this.prefix}credit.decisions.${department}.v1`;
  }

  layout(options: TopicLayoutOptions): TopicSpec[] {
    return [
      { topic: this.creditEvents, numPartitions: options.inboundPartitions, configEntries: [RETAIN_30_DAYS] },
      { topic: this.deadLetters, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(90 * DAY_MS) }] },
      { topic: this.relayCheckpoints, numPartitions: 1, configEntries: [] },
      ...options.departments.map((department) => ({ topic: this.decisionsFor(department), numPartitions: options.decisionPartitions, configEntries: [RETAIN_30_DAYS] })),
    ];
  }
}

/** Handler patterns (@EventPattern) are logical names, so a topic prefix never reaches a decorator. */
export const PATTERNS = {
  creditEvents: 'credit-events',
} as const;

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries: { name: string; value: string }[];
}

export interface TopicLayoutOptions {
  departments: readonly string[];
  inboundPartitions: number;
  decisionPartitions: number;
}

const DAY_MS = 86_400_000;
const RETAIN_30_DAYS = { name: 'retention.ms', value: String(30 * DAY_MS) };
