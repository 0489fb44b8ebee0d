import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadAppConfig } from './app-config';

/** Provides the one frozen AppConfig; nothing else in an app reads process.env. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Readonly<AppConfig> = loadAppConfig()): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}
