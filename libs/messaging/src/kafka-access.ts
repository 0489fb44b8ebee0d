import { departmentPrincipal, SERVICE_PRINCIPALS } from '@app/config';
import { TopicNames } from './topics';

/** The names one deployment uses on a cluster: its topics, its consumer groups and the relay's transactional id. */
export interface KafkaDeployment {
  topics: TopicNames;
  consumerGroup: string;
  relayGroup: string;
  relayTransactionalId: string;
  /** The exchange relay's (issue 16): what this deployment sends its peers goes out in transactions of its own. */
  exchangeGroup: string;
  exchangeTransactionalId: string;
}

export function kafkaDeployment(settings: { KAFKA_TOPIC_PREFIX: string; KAFKA_CONSUMER_GROUP: string; KAFKA_CLIENT_ID: string }): KafkaDeployment {
  return {
    topics: new TopicNames(settings.KAFKA_TOPIC_PREFIX),
    consumerGroup: settings.KAFKA_CONSUMER_GROUP,
    relayGroup: `${settings.KAFKA_CONSUMER_GROUP}-outbox-relay`,
    relayTransactionalId: `${settings.KAFKA_CLIENT_ID}-outbox-relay`,
    exchangeGroup: `${settings.KAFKA_CONSUMER_GROUP}-exchange-relay`,
    exchangeTransactionalId: `${settings.KAFKA_CLIENT_ID}-exchange-relay`,
  };
}

/**
 * One permission on the broker (every rule allows; with allow.everyone.if.no.acl.found=false
 * whatever no rule allows is refused). READ and WRITE imply DESCRIBE, which clients need for
 * metadata and offsets.
 */
export interface AccessRule {
  principal: string;
  resource: 'topic' | 'group' | 'transactional-id';
  name: string;
  pattern: 'literal' | 'prefixed';
  operation: 'read' | 'write';
}

/**
 * Consumer groups a department may use: its own prefix. Department codes have no dots, so no
 * department's prefix is the start of another's.
 */
export function departmentGroupPrefix(deployment: KafkaDeployment, department: string): string {
  return `${deployment.topics.prefix}${department}.`;
}

/**
 * What concerns one department: it writes its inbound topic and reads its decision topic with
 * groups of its own prefix; the engine reads that inbound topic, the ingest writes it on the
 * department's behalf, and only the relay writes its decision topic.
 */
export function departmentAccess(deployment: KafkaDeployment, department: string): AccessRule[] {
  const { topics } = deployment;
  const principal = departmentPrincipal(department);
  const topic = (who: string, name: string, operation: AccessRule['operation']): AccessRule => ({ principal: who, resource: 'topic', name, pattern: 'literal', operation });
  return [
    topic(principal, topics.inboundFor(department), 'write'),
    topic(principal, topics.decisionsFor(department), 'read'),
    { principal, resource: 'group', name: departmentGroupPrefix(deployment, department), pattern: 'prefixed', operation: 'read' },
    topic(SERVICE_PRINCIPALS.engine, topics.inboundFor(department), 'read'),
    topic(SERVICE_PRINCIPALS.ingest, topics.inboundFor(department), 'write'),
    topic(SERVICE_PRINCIPALS.relay, topics.decisionsFor(department), 'write'),
  ];
}

/** What the services need whatever the departments: the engine's group and dead letters, the relay's transaction and checkpoints. */
export function serviceAccess(deployment: KafkaDeployment): AccessRule[] {
  const { engine, relay } = SERVICE_PRINCIPALS;
  return [
    { principal: engine, resource: 'group', name: deployment.consumerGroup, pattern: 'literal', operation: 'read' },
    { principal: engine, resource: 'topic', name: deployment.topics.deadLetters, pattern: 'literal', operation: 'write' },
    { principal: relay, resource: 'transactional-id', name: deployment.relayTransactionalId, pattern: 'literal', operation: 'write' },
    { principal: relay, resource: 'group', name: deployment.relayGroup, pattern: 'literal', operation: 'read' },
    { principal: relay, resource: 'topic', name: deployment.topics.relayCheckpoints, pattern: 'literal', operation: 'read' },
  ];
}

/** Every rule of a deployment with these departments. */
export function deploymentAccess(deployment: KafkaDeployment, departments: readonly string[]): AccessRule[] {
  return [...serviceAccess(deployment), ...departments.flatMap((d) => departmentAccess(deployment, d))];
}

/** The exchange links as provisioning needs them: who reads what this deployment sends, who writes what it receives. */
export interface ExchangeAccessLinks {
  deployment: string;
  links: readonly { peer: string; outbound?: { reader?: string }; inbound?: { publisher: string } }[];
}

/**
 * The exchange's rules on this cluster (市区失信信息互通): the relay writes one topic a peer in
 * transactions of its own; a peer's bridge user reads its topic here with its one group; this
 * deployment's bridge writes the inbound topic of the publisher that stands for each peer.
 */
export function exchangeAccess(deployment: KafkaDeployment, exchange: ExchangeAccessLinks): AccessRule[] {
  const { relay, bridge } = SERVICE_PRINCIPALS;
  const { topics } = deployment;
  const sending = exchange.links.filter((link) => link.outbound !== undefined);
  const rules: AccessRule[] =
    sending.length === 0
      ? []
      : [
          { principal: relay, resource: 'transactional-id', name: deployment.exchangeTransactionalId, pattern: 'literal', operation: 'write' },
          { principal: relay, resource: 'group', name: deployment.exchangeGroup, pattern: 'literal', operation: 'read' },
        ];
  for (const link of sending) {
    const topic = topics.exchangeBetween(exchange.deployment, link.peer);
    rules.push({ principal: relay, resource: 'topic', name: topic, pattern: 'literal', operation: 'write' });
    const reader = link.outbound?.reader;
    if (reader === undefined) continue;
    rules.push({ principal: reader, resource: 'topic', name: topic, pattern: 'literal', operation: 'read' });
    rules.push({ principal: reader, resource: 'group', name: topics.exchangeBridgeGroup(exchange.deployment, link.peer), pattern: 'literal', operation: 'read' });
  }
  for (const link of exchange.links) {
    if (link.inbound !== undefined) rules.push({ principal: bridge, resource: 'topic', name: topics.inboundFor(link.inbound.publisher), pattern: 'literal', operation: 'write' });
  }
  return rules;
}
