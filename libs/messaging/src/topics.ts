/**
 * Every Kafka topic of the product, declared once. Inbound events and decisions each have one
 * topic per department rather than one shared topic keyed by department: a broker ACL can
 * then let a department write only its own events and read only what is addressed to it
 * (DOMAIN §6: query only within one's duties), the engine knows who published an event from
 * the topic it came on, and a slow department's consumer lag is its own.
 *
 * An optional prefix namespaces a whole deployment (a district on a shared cluster, or
 * one test run on the test broker).
 */
export class TopicNames {
  /** Messages the engine could not accept, with the reason in headers. */
  readonly deadLetters: string;
  /** Never carries messages: its committed offsets record what the outbox relay has published. */
  readonly relayCheckpoints: string;
  private readonly inbound: RegExp;

  constructor(readonly prefix = '') {
    this.deadLetters = `${prefix}credit.events.${DEAD_LETTER_NAME}.v1`;
    this.relayCheckpoints = `${prefix}credit.outbox.checkpoints.v1`;
    this.inbound = new RegExp(`^${escapeRegExp(prefix)}credit\\.events\\.([a-z0-9]+(?:-[a-z0-9]+)*)\\.v1$`);
  }

  /** Credit events one department publishes (CloudEvents, keyed by subject identifier: ordering per subject). */
  inboundFor(department: string): string {
    assertTopicDepartment(department);
    return `${this.prefix}credit.events.${department}.v1`;
  }

  /** The department whose inbound topic this is: the only one the broker lets write it. */
  publisherOf(topic: string): string | undefined {
    const code = this.inbound.exec(topic)?.[1];
    return code === undefined || code === DEAD_LETTER_NAME ? undefined : code;
  }

  /** Decisions (issued, changed, revoked) addressed to one department. */
  decisionsFor(department: string): string {
    assertTopicDepartment(department);
    return `${this.prefix}credit.decisions.${department}.v1`;
  }

  /**
   * What deployment `from` sends deployment `to` (市区失信信息互通): the exchange relay of `from`
   * writes it on `from`'s cluster, and the bridge of `to` reads it there with a user of its own.
   */
  exchangeBetween(from: string, to: string): string {
    assertTopicDepartment(from);
    assertTopicDepartment(to);
    return `${this.prefix}credit.exchange.${from}.${to}.v1`;
  }

  /** The one consumer group a peer's bridge reads `exchangeBetween(from, to)` with, on `from`'s cluster. */
  exchangeBridgeGroup(from: string, to: string): string {
    return `${this.exchangeBetween(from, to)}.bridge`;
  }

  /** The topics of a deployment, each with the role that relies on it existing. */
  layout(options: TopicLayoutOptions): TopicSpec[] {
    return [
      ...options.departments.map((department) => ({ kind: 'inbound' as const, department, topic: this.inboundFor(department), numPartitions: options.inboundPartitions, configEntries: [RETAIN_30_DAYS] })),
      { kind: 'dead-letters', topic: this.deadLetters, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(90 * DAY_MS) }] },
      { kind: 'relay-checkpoints', topic: this.relayCheckpoints, numPartitions: 1, configEntries: [] },
      ...options.departments.map((department) => ({ kind: 'decisions' as const, department, topic: this.decisionsFor(department), numPartitions: options.decisionPartitions, configEntries: [RETAIN_30_DAYS] })),
      ...(options.exchange?.peers ?? []).map((peer) => ({ kind: 'exchange' as const, peer, topic: this.exchangeBetween(options.exchange!.deployment, peer), numPartitions: options.decisionPartitions, configEntries: [RETAIN_30_DAYS] })),
    ];
  }
}

/** Handler patterns (@EventPattern) are logical names, so a topic prefix never reaches a decorator. */
export const PATTERNS = {
  creditEvents: 'credit-events',
} as const;

export type TopicKind = 'inbound' | 'dead-letters' | 'relay-checkpoints' | 'decisions' | 'exchange';

/** Which topics each app needs before it serves: the ones its principal may use. */
export const TOPICS_OF_ROLE = {
  ingest: ['inbound'],
  engine: ['inbound', 'dead-letters'],
  relay: ['relay-checkpoints', 'decisions', 'exchange'],
} as const satisfies Record<string, readonly TopicKind[]>;

export interface TopicSpec {
  kind: TopicKind;
  /** The department an inbound or decision topic belongs to. */
  department?: string;
  /** The peer deployment an exchange topic is for. */
  peer?: string;
  topic: string;
  numPartitions: number;
  configEntries: { name: string; value: string }[];
}

export interface TopicLayoutOptions {
  departments: readonly string[];
  inboundPartitions: number;
  decisionPartitions: number;
  /** This deployment's code and the peers it sends to (EXCHANGE_FILE's outbound links). */
  exchange?: { deployment: string; peers: readonly string[] };
}

/** The dead-letter topic sits among the inbound ones (credit.events.*): no department may take its name. */
const DEAD_LETTER_NAME = 'dead-letter';
const DEPARTMENT_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Stands for any department in documentation (AsyncAPI channel parameters). */
export const DEPARTMENT_PARAMETER = '{department}';
/** Stand for the sending and the receiving deployment of an exchange topic in documentation. */
export const EXCHANGE_PARAMETERS = { from: '{from}', to: '{to}' } as const;
const PARAMETERS: ReadonlySet<string> = new Set([DEPARTMENT_PARAMETER, EXCHANGE_PARAMETERS.from, EXCHANGE_PARAMETERS.to]);

function assertTopicDepartment(department: string): void {
  if (PARAMETERS.has(department)) return;
  if (!DEPARTMENT_CODE.test(department) || department === DEAD_LETTER_NAME) throw new Error(`"${department}" cannot name a department's topic`);
}

const DAY_MS = 86_400_000;
const RETAIN_30_DAYS = { name: 'retention.ms', value: String(30 * DAY_MS) };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
