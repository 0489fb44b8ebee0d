import { randomBytes } from 'node:crypto';
import { AppConfig, departmentPrincipal, kafkaCredentials } from '@app/config';
import { kafkaDeployment } from './kafka-access';
import { describeRule, provisionDepartment, ProvisionReport } from './kafka-provisioner';
import { createKafka } from './messaging.module';
import { setScramCredential } from './scram-credential';

export interface DepartmentOnboarding {
  department: string;
  principal: string;
  /** Generated when none was given: shown once, stored nowhere but the broker (as a SCRAM hash). */
  password: string;
  generated: boolean;
  provisioned: ProvisionReport;
}

/**
 * Provisions a department on the cluster as the admin principal: its SCRAM credential (created,
 * or its password overwritten), its inbound and decision topics, and the ACLs that concern it.
 * Run again, it rotates the password and changes nothing else.
 */
export async function onboardKafkaDepartment(config: AppConfig, department: string, password?: string): Promise<DepartmentOnboarding> {
  const admin = kafkaCredentials(config, 'admin');
  if (!admin) throw new Error('KAFKA_SASL_MECHANISM=none: a broker without authentication has no principals to provision');
  const deployment = kafkaDeployment(config);
  // Fails on a code that cannot name a topic before anything is created.
  deployment.topics.inboundFor(department);
  const principal = departmentPrincipal(department);
  const secret = password ?? randomBytes(24).toString('base64url');
  await setScramCredential(
    { brokers: config.KAFKA_BROKERS, classpath: config.KAFKA_TOOLS_CLASSPATH, admin, tls: config.KAFKA_SSL ? { caFile: config.KAFKA_SSL_CA === 'system' ? undefined : config.KAFKA_SSL_CA } : undefined },
    principal,
    secret,
  );
  const provisioned = await provisionDepartment(createKafka(config, 'provisioner', 'admin'), deployment, department, {
    inboundPartitions: config.KAFKA_INBOUND_PARTITIONS,
    decisionPartitions: config.KAFKA_DECISION_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  return { department, principal, password: secret, generated: password === undefined, provisioned };
}

/** What the command prints: every step, one line each. */
export function describeOnboarding(result: DepartmentOnboarding): string[] {
  const { provisioned } = result;
  return [
    `SCRAM-SHA-512 credential set for User:${result.principal}${result.generated ? ` — password (shown once, keep it in the department's secret store): ${result.password}` : ' (password from the file given)'}`,
    ...provisioned.createdTopics.map((t) => `topic created: ${t}`),
    ...provisioned.existingTopics.map((t) => `topic kept (exists): ${t}`),
    ...provisioned.granted.map((r) => `ACL: ALLOW ${describeRule(r)}`),
  ];
}
