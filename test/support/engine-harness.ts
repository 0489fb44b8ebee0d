import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigModule, loadAppConfig } from '@app/config';
import { Clock } from '@app/domain';
import { CLOCK, EngineModule, KafkaEventBatchService, LifecycleScheduler } from '@app/engine';
import { DepartmentFeedService, QueryAuditService } from '@app/query';
import { PersistenceModule } from '@app/persistence';
import { testDatabaseUrl } from './test-database';

/** A clock the test moves; every service reads time from it. */
export class MovableClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface EngineHarness {
  db: DataSource;
  clock: MovableClock;
  /** The Kafka-mode batch path: decide and store events in one transaction, as the consumer does. */
  batches: KafkaEventBatchService;
  scheduler: LifecycleScheduler;
  feeds: DepartmentFeedService;
  /** Any other provider of the engine, by its class. */
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/**
 * The engine's own services on the test database, with a moved clock and neither scheduler timer
 * nor rule reloading: a test drives time and ticks itself.
 */
export async function startEngineHarness(startsAt: string, overrides: Partial<AppConfig> = {}): Promise<EngineHarness> {
  const clock = new MovableClock(new Date(startsAt));
  const config = { ...loadAppConfig({}), DATABASE_URL: testDatabaseUrl(), LIFECYCLE_INTERVAL_MS: 0, RULES_RELOAD_INTERVAL_MS: 0, ...overrides };
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), EngineModule], providers: [DepartmentFeedService, QueryAuditService] })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return {
    db: app.get(DataSource),
    clock,
    batches: app.get(KafkaEventBatchService),
    scheduler: app.get(LifecycleScheduler),
    feeds: app.get(DepartmentFeedService),
    get: (type) => app.get(type),
    close: () => app.close(),
  };
}
