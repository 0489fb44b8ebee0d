import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadAppConfig } from '@app/config';
import { CatalogueService, MAX_BATCH_BYTES } from '@app/engine';
import { CLOUDEVENTS_BATCH_JSON, createHttpApp, exitOnBootFailure, listen, managementOf, servingOf, serveOpenApi } from '@app/http';
import { ensureTopics, KAFKA, TOPIC_NAMES, TopicNames, TOPICS_OF_ROLE } from '@app/messaging';
import type { Kafka } from 'kafkajs';
import { IngestApiModule } from './ingest-api.module';
import { INGEST_API_OPENAPI } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const app = await createHttpApp(IngestApiModule.forRoot(config), config.LOG_LEVEL, { app: 'ingest-api', logFormat: config.LOG_FORMAT, platform: config.HTTP_PLATFORM, bodyLimits: [{ path: '/v1/events/batch', bytes: MAX_BATCH_BYTES }, { path: '/v1/events', mediaType: CLOUDEVENTS_BATCH_JSON, bytes: MAX_BATCH_BYTES }], serving: servingOf(config), management: managementOf(config) });
  serveOpenApi(app, INGEST_API_OPENAPI);
  if (config.TRANSPORT === 'kafka') {
    // The inbound topics must exist before the first 202: the broker does not auto-create topics.
    const departments = app.get(CatalogueService).departments.all().map((d) => d.code);
    const layout = app.get<TopicNames>(TOPIC_NAMES).layout({ departments, inboundPartitions: config.KAFKA_INBOUND_PARTITIONS, decisionPartitions: config.KAFKA_DECISION_PARTITIONS });
    const kinds: readonly string[] = TOPICS_OF_ROLE.ingest;
    await ensureTopics(app.get<Kafka>(KAFKA), layout.filter((s) => kinds.includes(s.kind)), config.KAFKA_REPLICATION_FACTOR);
  }
  const url = await listen(app, config.INGEST_PORT, config.HTTP_HOST);
  new Logger('IngestApi').log(`ingest-api ready on ${url} (POST /v1/events; HTTP on ${config.HTTP_PLATFORM})`);
}

bootstrap().catch(exitOnBootFailure('ingest-api'));
