import { DynamicModule, Logger, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Kafka, logCreator, logLevel } from 'kafkajs';
import { AppConfig } from '@app/config';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { KafkaInboundSink } from './kafka-inbound.sink';
import { KAFKA, TOPIC_NAMES } from './kafka.token';
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

export function createKafka(config: AppConfig, clientSuffix: string): Kafka {
  return new Kafka({
    clientId: `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
    brokers: config.KAFKA_BROKERS.split(','),
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/**
 * The shared Kafka client and what is built on it: health and metrics always, the ingest
 * sink for the ingest API, the outbox relay only in the engine (one relay publishes).
 */
@Module({})
export class MessagingModule {
  static forRoot(clientSuffix: string, parts: { relay?: boolean; inboundSink?: boolean } = {}): DynamicModule {
    const optional: Provider[] = [...(parts.relay ? [OutboxRelay] : []), ...(parts.inboundSink ? [KafkaInboundSink] : [])];
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        { provide: KAFKA, inject: [AppConfig], useFactory: (config: AppConfig) => createKafka(config, clientSuffix) },
        { provide: TOPIC_NAMES, inject: [AppConfig], useFactory: (config: AppConfig) => new TopicNames(config.KAFKA_TOPIC_PREFIX) },
        MessagingMetrics, KafkaHealthIndicator, ...optional],
      exports: [KAFKA, TOPIC_NAMES, MessagingMetrics, KafkaHealthIndicator, ...optional],
    };
  }
}
