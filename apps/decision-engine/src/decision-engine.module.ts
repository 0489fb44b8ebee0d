import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { EngineModule } from '@app/engine';
import { HealthController } from '@app/http';
import { PersistenceModule } from '@app/persistence';

@Module({})
export class DecisionEngineModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    return {
      module: DecisionEngineModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), EngineModule, TerminusModule],
      controllers: [HealthController],
    };
  }
}
