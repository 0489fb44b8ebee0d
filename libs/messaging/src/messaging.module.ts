import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Kafka, logLevel } from 'kafkajs';
import { AppConfig } from '@app/config';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { KafkaInboundSink } from './kafka-inbound.sink';
import { KAFKA } from './kafka.token';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxRelay } from './outbox-relay.service';

export function createKafka(config: AppConfig, clientSuffix: string): Kafka {
  return new Kafka({
    clientId: `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
    brokers: config.KAFKA_BROKERS.split(','),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/** The shared Kafka client and what is built on it: ingest sink, outbox relay, health, metrics. */
@Module({})
export class MessagingModule {
  static forRoot(clientSuffix: string): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        { provide: KAFKA, inject: [AppConfig], useFactory: (config: AppConfig) => createKafka(config, clientSuffix) },
        MessagingMetrics,
        KafkaInboundSink,
        KafkaHealthIndicator,
        OutboxRelay,
      ],
      exports: [KAFKA, MessagingMetrics, KafkaInboundSink, KafkaHealthIndicator, OutboxRelay],
    };
  }
}
