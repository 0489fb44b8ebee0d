import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { CalendarHealthIndicator, DepartmentsHealthIndicator, DepartmentsMetrics, RulesReportIndicator } from '@app/engine';
import { HealthController, MetricsController, metricsSources, readinessReports } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { ReleaseServiceModule, WhatIfServiceModule } from '@app/policy';
import { WorkbenchModule } from '@app/workbench';
import { DraftsController } from './drafts.controller';
import { MemorandaController } from './memoranda.controller';
import { OverviewController } from './overview.controller';
import { BulletinsController } from './bulletins.controller';
import { PagesController } from './pages.controller';
import { ReleasesController } from './releases.controller';
import { SessionController } from './session.controller';
import { WhatIfController } from './what-if.controller';

/** The policy console: its web pages and the /api/v1 routes they call, over libs/workbench and libs/policy's releases and what-if (siblings that never import each other: they meet here). */
@Module({})
export class ConsoleAppModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    return {
      module: ConsoleAppModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), WorkbenchModule, ReleaseServiceModule, WhatIfServiceModule, TerminusModule],
      controllers: [SessionController, MemorandaController, DraftsController, OverviewController, BulletinsController, ReleasesController, WhatIfController, PagesController, HealthController, MetricsController],
      providers: [readinessReports(RulesReportIndicator, CalendarHealthIndicator, DepartmentsHealthIndicator), metricsSources(DepartmentsMetrics)],
    };
  }
}
