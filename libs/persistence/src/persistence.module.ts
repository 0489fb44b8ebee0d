import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, ConfigError, readDeadLetterKeyring } from '@app/config';
import { DeadLetterCipher } from './dead-letter-cipher';
import { appDataSourceOptions } from './data-source-options';
import { DeadLetterRepository } from './repositories/dead-letter.repository';
import { CreditClassRepository } from './repositories/credit-class.repository';
import { DecidedConductRepository } from './repositories/decided-conduct.repository';
import { BulletinRepository } from './repositories/bulletin.repository';
import { CoordinationRepository } from './repositories/coordination.repository';
import { ExchangeOutboxRepository } from './repositories/exchange-outbox.repository';
import { DecisionRepository } from './repositories/decision.repository';
import { EngineStateRepository } from './repositories/engine-state.repository';
import { FeedRepository } from './repositories/feed.repository';
import { InboundEventRepository } from './repositories/inbound-event.repository';
import { LifecycleRepository } from './repositories/lifecycle.repository';
import { QueryAuditRepository } from './repositories/query-audit.repository';
import { RuleReleaseRepository } from './repositories/rule-release.repository';
import { CommitmentRepository } from './repositories/commitment.repository';
import { OutboxSignal } from './outbox-signal';
import { SchemaMigrator } from './schema-migrator.service';

const REPOSITORIES = [InboundEventRepository, DeadLetterRepository, DecisionRepository, DecidedConductRepository, ExchangeOutboxRepository, BulletinRepository, CoordinationRepository, FeedRepository, LifecycleRepository, QueryAuditRepository, EngineStateRepository, RuleReleaseRepository, CommitmentRepository, CreditClassRepository];

/** PostgreSQL through TypeORM; migrations run at start-up (under a lock) so a fresh database just works. */
@Module({})
export class PersistenceModule {
  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => appDataSourceOptions(config.DATABASE_URL, config),
        }),
      ],
      providers: [SchemaMigrator, OutboxSignal, { provide: DeadLetterCipher, inject: [AppConfig], useFactory: deadLetterCipher }, ...REPOSITORIES],
      exports: [...REPOSITORIES, OutboxSignal],
    };
  }
}

/** The configuration was checked at start-up; this reads the key file (if any) again for the keys themselves. */
function deadLetterCipher(config: AppConfig): DeadLetterCipher {
  const { keyring, problems } = readDeadLetterKeyring(config);
  if (!keyring) throw new ConfigError(problems);
  return new DeadLetterCipher(keyring);
}
