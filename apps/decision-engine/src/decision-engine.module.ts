import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { CalendarHealthIndicator, RulesHealthIndicator, CalendarMetrics, DecisionMetrics, DepartmentsHealthIndicator, DepartmentsMetrics, EngineModule, InboxPoller } from '@app/engine';
import { ExchangeRelay } from '@app/exchange';
import { HealthController, MetricsController, metricsSources, readinessReports } from '@app/http';
import { MessagingMetrics, MessagingModule } from '@app/messaging';
import { PersistenceModule } from '@app/persistence';
import { CreditEventsConsumer } from './credit-events.consumer';
import { KafkaHealthController } from './kafka-health.controller';

/** The one place TRANSPORT picks the driver: the inbox poller embedded; the consumer, the outbox relay and the exchange relay with Kafka. */
@Module({})
export class DecisionEngineModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    const kafka = config.TRANSPORT === 'kafka';
    return {
      module: DecisionEngineModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), EngineModule, TerminusModule, ...(kafka ? [MessagingModule.forRoot('engine', 'engine', { relay: true })] : [])],
      controllers: kafka ? [CreditEventsConsumer, KafkaHealthController, MetricsController] : [HealthController, MetricsController],
      // Without Kafka the metrics registry still serves process metrics.
      providers: [metricsSources(MessagingMetrics, DecisionMetrics, CalendarMetrics, DepartmentsMetrics), ...(kafka ? [ExchangeRelay] : [InboxPoller, MessagingMetrics, readinessReports(RulesHealthIndicator, CalendarHealthIndicator, DepartmentsHealthIndicator)])],
    };
  }
}
