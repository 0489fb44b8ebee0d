import 'reflect-metadata';
import { AppConfig, loadAppConfig } from '@app/config';
import { CatalogueService } from '@app/engine';
import { createHttpApp, exitOnBootFailure, listen, managementOf, servingOf } from '@app/http';
import { consumerLag, ensureTopics, KAFKA, KafkaBatchServer, MessagingMetrics, PATTERNS, TOPIC_NAMES, TopicNames } from '@app/messaging';
import type { Kafka } from 'kafkajs';
import { DeadLetterRepository } from '@app/persistence';
import { DecisionEngineModule } from './decision-engine.module';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const app = await createHttpApp(DecisionEngineModule.forRoot(config), config.LOG_LEVEL, { serving: servingOf(config), management: managementOf(config) });
  const catalogue = app.get(CatalogueService);
  catalogue.watch();
  if (config.TRANSPORT === 'kafka') await connectKafka(app.get(KAFKA), app.get(TOPIC_NAMES), app.get(MessagingMetrics), catalogue, config, app);
  const url = await listen(app, config.ENGINE_PORT, config.HTTP_HOST);
  console.log(`decision-engine ready on ${url} (transport: ${config.TRANSPORT}; GET /health, GET /metrics)`);
}

async function connectKafka(kafka: Kafka, topics: TopicNames, metrics: MessagingMetrics, catalogue: CatalogueService, config: AppConfig, app: Awaited<ReturnType<typeof createHttpApp>>): Promise<void> {
  const departments = catalogue.departments.all().map((d) => d.code);
  await ensureTopics(kafka, topics.layout({ departments, inboundPartitions: config.KAFKA_INBOUND_PARTITIONS, decisionPartitions: config.KAFKA_DECISION_PARTITIONS }), config.KAFKA_REPLICATION_FACTOR);
  metrics.lagSource = () => consumerLag(kafka, config.KAFKA_CONSUMER_GROUP, topics.creditEvents);
  app.connectMicroservice(
    {
      strategy: new KafkaBatchServer({
        kafka,
        groupId: config.KAFKA_CONSUMER_GROUP,
        subscriptions: [{ topic: topics.creditEvents, pattern: PATTERNS.creditEvents }],
        deadLetterTopic: topics.deadLetters,
        retryInitialMs: 200,
        retryMaxMs: 30_000,
        maxBatchAttempts: 3,
        maxMessagesPerTransaction: config.ENGINE_BATCH_SIZE,
        concurrentPartitions: config.ENGINE_CONCURRENT_PARTITIONS,
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        metrics,
        recordDeadLetters: (letters) => app.get(DeadLetterRepository).record(letters),
      }),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
}

bootstrap().catch(exitOnBootFailure('decision-engine'));
