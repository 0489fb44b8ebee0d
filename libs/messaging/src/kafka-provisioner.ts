import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, Kafka, ResourcePatternTypes } from 'kafkajs';
import { AccessRule, departmentAccess, deploymentAccess, exchangeAccess, ExchangeAccessLinks, KafkaDeployment } from './kafka-access';
import { createMissingTopics } from './topic-provisioner';
import { TopicLayoutOptions, TopicSpec } from './topics';

export interface ProvisionReport {
  createdTopics: string[];
  existingTopics: string[];
  granted: AccessRule[];
}

export interface ProvisionOptions extends Omit<TopicLayoutOptions, 'departments'> {
  replicationFactor: number;
}

const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, 'transactional-id': AclResourceTypes.TRANSACTIONAL_ID } as const satisfies Record<AccessRule['resource'], AclResourceTypes>;
const PATTERN = { literal: ResourcePatternTypes.LITERAL, prefixed: ResourcePatternTypes.PREFIXED } as const satisfies Record<AccessRule['pattern'], ResourcePatternTypes>;
const OPERATION = { read: AclOperationTypes.READ, write: AclOperationTypes.WRITE } as const satisfies Record<AccessRule['operation'], AclOperationTypes>;

/**
 * Topics and ACLs of a whole deployment (every department given), as the admin principal.
 * Idempotent: existing topics are kept as operators configured them, and granting an ACL that
 * exists changes nothing.
 */
export async function provisionDeployment(admin: Kafka, deployment: KafkaDeployment, departments: readonly string[], options: ProvisionOptions): Promise<ProvisionReport> {
  const specs = deployment.topics.layout({ ...options, departments });
  return provision(admin, specs, deploymentAccess(deployment, departments), options.replicationFactor);
}

/** One department's topics and the ACLs that concern it (its own, and the services' on its topics). */
export async function provisionDepartment(admin: Kafka, deployment: KafkaDeployment, department: string, options: ProvisionOptions): Promise<ProvisionReport> {
  const specs = deployment.topics.layout({ ...options, departments: [department] }).filter((s) => s.department === department);
  return provision(admin, specs, departmentAccess(deployment, department), options.replicationFactor);
}

/**
 * The exchange's topics (one a peer this deployment sends to) and ACLs on this cluster: the
 * relay's transaction and topics, each peer bridge user's topic and group, the local bridge's
 * inbound topics. The peer bridge users' SCRAM credentials are created as any user's are.
 */
export async function provisionExchange(admin: Kafka, deployment: KafkaDeployment, exchange: ExchangeAccessLinks, options: ProvisionOptions): Promise<ProvisionReport> {
  const peers = exchange.links.filter((link) => link.outbound !== undefined).map((link) => link.peer);
  const specs = deployment.topics.layout({ ...options, departments: [], exchange: { deployment: exchange.deployment, peers } }).filter((s) => s.kind === 'exchange');
  return provision(admin, specs, exchangeAccess(deployment, exchange), options.replicationFactor);
}

async function provision(kafka: Kafka, specs: readonly TopicSpec[], rules: readonly AccessRule[], replicationFactor: number): Promise<ProvisionReport> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { created, existing } = await createMissingTopics(admin, specs, replicationFactor);
    if (rules.length > 0) {
      await admin.createAcls({ acl: rules.map(toAcl) });
      await untilEnforced(admin, rules);
    }
    return { createdTopics: created, existingTopics: existing, granted: [...rules] };
  } finally {
    await admin.disconnect();
  }
}

/**
 * CreateAcls returns once the controller has committed the rules; the broker's authorizer applies
 * them a moment later. Wait until it describes them all, so whoever provisioned is not refused.
 */
async function untilEnforced(admin: Admin, rules: readonly AccessRule[], timeoutMs = 15_000): Promise<void> {
  const wanted = new Set(rules.map((r) => aclKey(toAcl(r))));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const present = new Set(resources.flatMap((r) => r.acls.map((a) => aclKey({ ...a, resourceType: r.resourceType, resourceName: r.resourceName, resourcePatternType: r.resourcePatternType }))));
    if ([...wanted].every((key) => present.has(key))) return;
    if (Date.now() > deadline) throw new Error(`the broker did not apply ${[...wanted].filter((k) => !present.has(k)).length} new ACLs within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function aclKey(acl: { resourceType: number; resourceName: string; resourcePatternType: number; principal: string; operation: number; permissionType: number }): string {
  return [acl.resourceType, acl.resourceName, acl.resourcePatternType, acl.principal, acl.operation, acl.permissionType].join('|');
}

function toAcl(rule: AccessRule) {
  return {
    resourceType: RESOURCE[rule.resource],
    resourceName: rule.name,
    resourcePatternType: PATTERN[rule.pattern],
    principal: `User:${rule.principal}`,
    host: '*',
    operation: OPERATION[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** One line per rule, as the provisioning command prints them. */
export function describeRule(rule: AccessRule): string {
  return `User:${rule.principal} ${rule.operation.toUpperCase()} ${rule.resource} ${rule.pattern === 'prefixed' ? `${rule.name}*` : rule.name}`;
}
