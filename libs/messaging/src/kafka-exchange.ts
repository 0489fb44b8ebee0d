import { randomBytes } from 'node:crypto';
import { AppConfig, kafkaCredentials } from '@app/config';
import { ExchangeAccessLinks, kafkaDeployment } from './kafka-access';
import { provisionExchange, ProvisionReport } from './kafka-provisioner';
import { createKafka } from './messaging.module';
import { setScramCredential } from './scram-credential';

export interface ExchangeReaderOnboarding {
  reader: string;
  peer: string;
  /** Generated when none was given: shown once, for the peer's operator to put in its bridge's password variable. */
  password: string;
  generated: boolean;
  provisioned: ProvisionReport;
}

/**
 * Onboards the user a peer's exchange bridge reads with on this cluster (the `reader` of the
 * link's outbound side): its SCRAM credential (created, or its password overwritten), and the
 * exchange's topics and ACLs. A user no link names is refused: it would be granted nothing.
 */
export async function onboardExchangeReader(config: AppConfig, exchange: ExchangeAccessLinks, reader: string, password?: string): Promise<ExchangeReaderOnboarding> {
  const link = exchange.links.find((l) => l.outbound?.reader === reader);
  if (!link) throw new Error(`no outbound link of EXCHANGE_FILE names "${reader}" as its reader`);
  const admin = kafkaCredentials(config, 'admin');
  if (!admin) throw new Error('KAFKA_SASL_MECHANISM=none: a broker without authentication has no principals to provision');
  const secret = password ?? randomBytes(24).toString('base64url');
  await setScramCredential(
    { brokers: config.KAFKA_BROKERS, classpath: config.KAFKA_TOOLS_CLASSPATH, admin, tls: config.KAFKA_SSL ? { caFile: config.KAFKA_SSL_CA === 'system' ? undefined : config.KAFKA_SSL_CA } : undefined },
    reader,
    secret,
  );
  const provisioned = await provisionExchange(createKafka(config, 'provisioner', 'admin'), kafkaDeployment(config), exchange, {
    inboundPartitions: config.KAFKA_INBOUND_PARTITIONS,
    decisionPartitions: config.KAFKA_DECISION_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  return { reader, peer: link.peer, password: secret, generated: password === undefined, provisioned };
}
