export * from './app-config';
export * from './config.module';
export * from './dead-letter-keys';
export * from './kafka-credentials';
export * from './unknown-settings';
export * from './env-file';
