import { DynamicModule, Logger, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Kafka, KafkaConfig, logCreator, logLevel, SASLOptions } from 'kafkajs';
import { AppConfig, KafkaClientSecurity, kafkaClientSecurity, KafkaRole } from '@app/config';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { KafkaInboundSink } from './kafka-inbound.sink';
import { KAFKA, RELAY_KAFKA, TOPIC_NAMES } from './kafka.token';
import { TopicNames } from './topics';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxRelay } from './outbox-relay.service';

// Exactly-once here comes from transactions, checkpoints and processed-event markers, not
// from unbounded producer retries, so kafkajs' warning about bounded retries is noise.
const SUPPRESSED = /Limiting retries for the idempotent producer/;

/** kafkajs logs through Nest's logger, so one log stream (and level) covers both. */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, ...extra } = log;
    if (SUPPRESSED.test(message)) return;
    const line = `${message} ${JSON.stringify(extra)}`;
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else logger.debug(line);
  };
};

/** A kafkajs client authenticated as the principal of `role`. */
export function createKafka(config: AppConfig, clientSuffix: string, role: KafkaRole): Kafka {
  return new Kafka({
    clientId: `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
    brokers: config.KAFKA_BROKERS.split(','),
    ...kafkaJsSecurity(kafkaClientSecurity(config, role)),
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

export function kafkaJsSecurity({ sasl, tls }: KafkaClientSecurity): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  return {
    ssl: tls ? { ca: tls.ca === undefined ? undefined : [tls.ca], cert: tls.cert, key: tls.key } : false,
    sasl: sasl ? ({ mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions) : undefined,
  };
}

/**
 * The app's Kafka client (authenticated as the principal of its role) and what is built on it:
 * health and metrics always, the ingest sink for the ingest API, the outbox relay only in the
 * engine (one relay publishes), on a client of its own authenticated as the relay.
 */
@Module({})
export class MessagingModule {
  static forRoot(clientSuffix: string, role: Exclude<KafkaRole, 'relay' | 'admin'>, parts: { relay?: boolean; inboundSink?: boolean } = {}): DynamicModule {
    const relayClient: Provider = { provide: RELAY_KAFKA, inject: [AppConfig], useFactory: (config: AppConfig) => createKafka(config, 'relay', 'relay') };
    const optional: Provider[] = [...(parts.relay ? [relayClient, OutboxRelay] : []), ...(parts.inboundSink ? [KafkaInboundSink] : [])];
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        { provide: KAFKA, inject: [AppConfig], useFactory: (config: AppConfig) => createKafka(config, clientSuffix, role) },
        { provide: TOPIC_NAMES, inject: [AppConfig], useFactory: (config: AppConfig) => new TopicNames(config.KAFKA_TOPIC_PREFIX) },
        MessagingMetrics, KafkaHealthIndicator, ...optional],
      exports: [KAFKA, TOPIC_NAMES, MessagingMetrics, KafkaHealthIndicator, ...(parts.relay ? [RELAY_KAFKA, OutboxRelay] : []), ...(parts.inboundSink ? [KafkaInboundSink] : [])],
    };
  }
}
