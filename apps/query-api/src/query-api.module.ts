import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { CatalogueModule, CreditCheckMetrics, CreditCheckService, DeadLetterService, DepartmentFeedService, EventStatusService, PublicDisclosureService, QueryAuditService, FeedbackService, PerformanceService } from '@app/engine';
import { HealthController, RateLimitModule } from '@app/http';
import { EventStatusRepository, FeedbackRepository, PerformanceRepository, PersistenceModule, QueryAuditRepository, SubjectRecordRepository } from '@app/persistence';
import { AuditController } from './audit.controller';
import { CreditCheckController } from './credit-check.controller';
import { DeadLettersController } from './dead-letters.controller';
import { DepartmentsController } from './departments.controller';
import { EventStatusController } from './event-status.controller';
import { FeedController } from './feed.controller';
import { MetricsController } from './metrics.controller';
import { PerformanceController } from './performance.controller';
import { PublicListsController } from './public-lists.controller';
import { TasksController } from './tasks.controller';

@Module({})
export class QueryApiModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    return {
      module: QueryApiModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), CatalogueModule, TerminusModule, RateLimitModule],
      controllers: [FeedController, DepartmentsController, HealthController, MetricsController, TasksController, PerformanceController, CreditCheckController, AuditController, PublicListsController, EventStatusController, DeadLettersController],
      providers: [DepartmentFeedService, FeedbackRepository, FeedbackService, PerformanceRepository, PerformanceService, QueryAuditRepository, SubjectRecordRepository, QueryAuditService, CreditCheckMetrics, CreditCheckService, PublicDisclosureService, EventStatusRepository, EventStatusService, DeadLetterService],
    };
  }
}
