export * from './error-status';
export * from './domain-error.filter';
export * from './department-auth.guard';
export * from './health.controller';
export * from './http-app';
