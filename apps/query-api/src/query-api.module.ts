import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { CatalogueModule, DepartmentFeedService } from '@app/engine';
import { HealthController } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { DepartmentsController } from './departments.controller';
import { FeedController } from './feed.controller';

@Module({})
export class QueryApiModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    return {
      module: QueryApiModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), CatalogueModule, TerminusModule],
      controllers: [FeedController, DepartmentsController, HealthController],
      providers: [DepartmentFeedService],
    };
  }
}
