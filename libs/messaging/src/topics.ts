/**
 * Every Kafka topic of the product, declared once. Decisions go to one topic per
 * subscribing department rather than one shared topic keyed by department: a broker ACL
 * can then let each department read only what is addressed to it (DOMAIN §6: query only
 * within one's duties), and a slow department's consumer lag is its own.
 */
export const TOPICS = {
  /** Inbound credit events, CloudEvents, keyed by subject identifier (ordering per subject). */
  creditEvents: 'credit.events.v1',
  /** Messages the engine could not accept, with the reason in headers. */
  deadLetters: 'credit.events.dead-letter.v1',
  /** Never carries messages: its committed offsets record what the outbox relay has published. */
  relayCheckpoints: 'credit.outbox.checkpoints.v1',
} as const;

export const DECISION_TOPIC_PREFIX = 'credit.decisions.';

/** Decisions (issued, changed, revoked) addressed to one department. */
export function decisionTopicFor(department: string): string {
  return `${DECISION_TOPIC_PREFIX}${department}.v1`;
}

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

const RETAIN_30_DAYS = { name: 'retention.ms', value: String(30 * 86_400_000) };

export function topicLayout(options: TopicLayoutOptions): TopicSpec[] {
  return [
    { topic: TOPICS.creditEvents, numPartitions: options.inboundPartitions, configEntries: [RETAIN_30_DAYS] },
    { topic: TOPICS.deadLetters, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(90 * 86_400_000) }] },
    { topic: TOPICS.relayCheckpoints, numPartitions: 1, configEntries: [] },
    ...options.departments.map((department) => ({ topic: decisionTopicFor(department), numPartitions: options.decisionPartitions, configEntries: [RETAIN_30_DAYS] })),
  ];
}
