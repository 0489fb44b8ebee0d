import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { CatalogueModule, EventIntakeService, INBOUND_EVENT_SINK, PostgresInboxSink } from '@app/engine';
import { HealthController } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { EventsController } from './events.controller';

@Module({})
export class IngestApiModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    return {
      module: IngestApiModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), CatalogueModule, TerminusModule],
      controllers: [EventsController, HealthController],
      providers: [EventIntakeService, { provide: INBOUND_EVENT_SINK, useClass: PostgresInboxSink }],
    };
  }
}
