import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { INBOUND_EVENT_SINK } from '@app/domain';
import { CalendarHealthIndicator, RulesReportIndicator, CatalogueModule, DepartmentsHealthIndicator, DepartmentsMetrics, EventAdmission, EventIntakeService, IntakeMetrics, PostgresInboxSink } from '@app/engine';
import { EventSchemasController, HealthController, HttpMetrics, MetricsController, metricsSources, RateLimitModule, readinessReports } from '@app/http';
import { KafkaInboundSink, MessagingModule } from '@app/messaging';
import { PersistenceModule } from '@app/persistence';
import { EventsController } from './events.controller';

/** Events become durable in the inbox table (embedded) or on the inbound topic (Kafka) before the 202. */
@Module({})
export class IngestApiModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    const kafka = config.TRANSPORT === 'kafka';
    return {
      module: IngestApiModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), CatalogueModule, TerminusModule, RateLimitModule.forRoot(CatalogueModule), ...(kafka ? [MessagingModule.forRoot('ingest', 'ingest', { inboundSink: true })] : [])],
      controllers: [EventsController, EventSchemasController, HealthController, MetricsController],
      providers: [readinessReports(RulesReportIndicator, CalendarHealthIndicator, DepartmentsHealthIndicator), metricsSources(HttpMetrics, DepartmentsMetrics, IntakeMetrics), IntakeMetrics, EventAdmission, EventIntakeService, kafka ? { provide: INBOUND_EVENT_SINK, useExisting: KafkaInboundSink } : { provide: INBOUND_EVENT_SINK, useClass: PostgresInboxSink }],
    };
  }
}
