import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { setFlagsFromString } from 'node:v8';
import { AppConfig, loadAppConfig } from '@app/config';
import { CatalogueService, ExchangeLinks } from '@app/engine';
import { createHttpApp, exitOnBootFailure, listen, managementOf, servingOf, serveOpenApi } from '@app/http';
import { consumerLag, ensureTopics, KAFKA, KafkaBatchServer, MessagingMetrics, PATTERNS, RELAY_KAFKA, TOPIC_NAMES, TopicNames, TOPICS_OF_ROLE, TopicSpec } from '@app/messaging';
import type { Kafka } from 'kafkajs';
import { DeadLetterRepository } from '@app/persistence';
import { DecisionEngineModule } from './decision-engine.module';
import { DECISION_ENGINE_OPENAPI } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  // Read by V8 at every full collection, so setting it at start-up takes effect (see AppConfig).
  if (config.ENGINE_HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.ENGINE_HEAP_GROWING_PERCENT}`);
  const app = await createHttpApp(DecisionEngineModule.forRoot(config), config.LOG_LEVEL, { app: 'decision-engine', logFormat: config.LOG_FORMAT, platform: config.HTTP_PLATFORM, serving: servingOf(config), management: managementOf(config) });
  serveOpenApi(app, DECISION_ENGINE_OPENAPI);
  const catalogue = app.get(CatalogueService);
  catalogue.watch();
  if (config.TRANSPORT === 'kafka') await connectKafka(app.get(KAFKA), app.get(TOPIC_NAMES), app.get(MessagingMetrics), catalogue, config, app);
  const url = await listen(app, config.ENGINE_PORT, config.HTTP_HOST);
  new Logger('DecisionEngine').log(`decision-engine ready on ${url} (transport: ${config.TRANSPORT}; HTTP on ${config.HTTP_PLATFORM}; GET /health, GET /metrics)`);
}

async function connectKafka(kafka: Kafka, topics: TopicNames, metrics: MessagingMetrics, catalogue: CatalogueService, config: AppConfig, app: Awaited<ReturnType<typeof createHttpApp>>): Promise<void> {
  const departments = catalogue.departments.all().map((d) => d.code);
  const exchange = app.get(ExchangeLinks).config;
  const peers = exchange?.links.filter((link) => link.outbound !== undefined).map((link) => link.peer) ?? [];
  const layout = topics.layout({ departments, inboundPartitions: config.KAFKA_INBOUND_PARTITIONS, decisionPartitions: config.KAFKA_DECISION_PARTITIONS, exchange: exchange && { deployment: exchange.deployment, peers } });
  const ofRole = (kinds: readonly TopicSpec['kind'][]) => layout.filter((s) => kinds.includes(s.kind));
  // Each principal sees (and, on a broker that lets it, creates) only the topics it uses.
  await ensureTopics(kafka, ofRole(TOPICS_OF_ROLE.engine), config.KAFKA_REPLICATION_FACTOR);
  await ensureTopics(app.get<Kafka>(RELAY_KAFKA), ofRole(TOPICS_OF_ROLE.relay), config.KAFKA_REPLICATION_FACTOR);
  // One inbound topic per department, so the topic names the publisher (departments registered at start-up).
  const inbound = departments.map((d) => topics.inboundFor(d));
  metrics.lagSource = () => consumerLag(kafka, config.KAFKA_CONSUMER_GROUP, inbound);
  app.connectMicroservice(
    {
      strategy: new KafkaBatchServer({
        kafka,
        groupId: config.KAFKA_CONSUMER_GROUP,
        subscriptions: departments.map((department) => ({ topic: topics.inboundFor(department), pattern: PATTERNS.creditEvents, department })),
        deadLetterTopic: topics.deadLetters,
        retryInitialMs: 200,
        retryMaxMs: 30_000,
        maxBatchAttempts: 3,
        maxMessagesPerTransaction: config.ENGINE_BATCH_SIZE,
        concurrentPartitions: config.ENGINE_CONCURRENT_PARTITIONS,
        transactionsInFlight: config.ENGINE_TRANSACTIONS_IN_FLIGHT,
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
