export * from './data-source-options';
export * from './persistence.module';
export * from './entities/inbound-event.entity';
export * from './entities/dead-letter.entity';
export * from './entities/decision.entity';
export * from './entities/list-entry.entity';
export * from './entities/measure-task.entity';
export * from './entities/feed-record.entity';
export * from './entities/feedback.entity';
export * from './entities/query-audit.entity';
export * from './repositories/inbound-event.repository';
export * from './repositories/dead-letter.repository';
export * from './repositories/decision.repository';
export * from './repositories/feed.repository';

export * from './schema-migrator.service';
export * from './embedded-postgres.server';
