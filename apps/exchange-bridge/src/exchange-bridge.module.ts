import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@app/config';
import { CatalogueService, ExchangeLinks } from '@app/engine';
import { ExchangeBridge } from '@app/exchange';
import { MessagingModule } from '@app/messaging';
import { BridgeHealthController } from './bridge-health.controller';

/** The bridge needs no database: the links, the departments registry they are checked against, and Kafka. */
@Module({})
export class ExchangeBridgeModule {
  static forRoot(config: Readonly<AppConfig>): DynamicModule {
    return {
      module: ExchangeBridgeModule,
      imports: [ConfigModule.forRoot(config), TerminusModule, MessagingModule.forRoot('bridge', 'bridge')],
      controllers: [BridgeHealthController],
      providers: [CatalogueService, ExchangeLinks, ExchangeBridge],
    };
  }
}
