import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { CalendarHealthIndicator, RulesReportIndicator, DepartmentsHealthIndicator, DepartmentsMetrics } from '@app/engine';
import { EventSchemasController, HealthController, HttpMetrics, MetricsController, metricsSources, RateLimitModule, readinessReports } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { ReleasesModule } from '@app/policy';
import { BulletinSchedule, CreditCheckMetrics, QueryModule } from '@app/query';
import { WhatIfModule } from '@app/policy';
import { AuditController } from './audit.controller';
import { CreditCheckController } from './credit-check.controller';
import { DeadLettersController } from './dead-letters.controller';
import { DepartmentsController } from './departments.controller';
import { EventStatusController } from './event-status.controller';
import { FeedController } from './feed.controller';
import { MeasureTermsController } from './measure-terms.controller';
import { PerformanceController } from './performance.controller';
import { PublicListsController } from './public-lists.controller';
import { TasksController } from './tasks.controller';
import { CommitmentsController } from './commitments.controller';
import { SupervisionController } from './supervision.controller';
import { ApplicantReviewController } from './applicant-review.controller';
import { BulletinsController } from './bulletins.controller';
import { CoordinationController } from './coordination.controller';
import { CreditReportsController, PublicReportsController } from './credit-reports.controller';

/** The release API (libs/policy) is hosted here until the console app hosts it. */
@Module({})
export class QueryApiModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    return {
      module: QueryApiModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), QueryModule, TerminusModule, RateLimitModule.forRoot(QueryModule), ReleasesModule, WhatIfModule],
      controllers: [FeedController, DepartmentsController, EventSchemasController, HealthController, MetricsController, TasksController, PerformanceController, CreditCheckController, AuditController, PublicListsController, EventStatusController, DeadLettersController, MeasureTermsController, CommitmentsController, SupervisionController, ApplicantReviewController, CreditReportsController, PublicReportsController, BulletinsController, CoordinationController],
      providers: [readinessReports(RulesReportIndicator, CalendarHealthIndicator, DepartmentsHealthIndicator), metricsSources(HttpMetrics, DepartmentsMetrics, CreditCheckMetrics), BulletinSchedule],
    };
  }
}
