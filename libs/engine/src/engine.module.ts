import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DEPARTMENTS_IN_FORCE, systemClock } from '@app/domain';
import { CalendarHealthIndicator } from './calendar/calendar-health.indicator';
import { CalendarMetrics } from './calendar/calendar.metrics';
import { CalendarService } from './calendar/calendar.service';
import { CatalogueService } from './catalogue.service';
import { EventAdmission } from './event-admission.service';
import { CLOCK } from './clock.token';
import { DepartmentDirectory } from './departments/department-directory';
import { DepartmentsHealthIndicator } from './departments/departments-health.indicator';
import { RulesHealthIndicator, RulesReportIndicator } from './rules-health.indicator';
import { RuleReleaseSchedule } from './releases/rule-release-schedule.service';
import { RulesInForceService } from './releases/rules-in-force.service';
import { DecisionMetrics } from './decision.metrics';
import { DepartmentsMetrics } from './departments/departments.metrics';
import { CreditEventProcessor } from './credit-event-processor.service';
import { KafkaEventBatchService } from './drivers/kafka-event-batch.service';
import { LifecycleScheduler } from './drivers/lifecycle-scheduler.service';
import { AuditRetention } from './lifecycle/audit-retention.service';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { CreditClassCatalogue } from './classes/credit-class-catalogue';
import { CreditClassService } from './classes/credit-class.service';
import { COMMITMENT_STANDING, recordedCommitments } from './classes/commitment-standing';
import { CommitmentRepository } from '@app/persistence';
import { ExchangeLinks } from './exchange/exchange-links';
import { CoordinationService } from './coordination/coordination.service';
import { ExchangeOutboxWriter } from './exchange/exchange-outbox.writer';

/** Until credit commitments are recorded, class facts count none (the commitments part binds its own COMMITMENT_STANDING). */
const COMMITMENT_STANDING_PROVIDER = { provide: COMMITMENT_STANDING, inject: [CommitmentRepository], useFactory: recordedCommitments };

/** The HTTP edge reads the registry in force through the catalogue, which swaps it on reload. */
const DEPARTMENTS_REGISTRY_PROVIDER = { provide: DEPARTMENTS_IN_FORCE, useExisting: CatalogueService };
/** The catalogue's directory, for its health and metrics: they read the directory, not the catalogue that owns it. */
const DEPARTMENT_DIRECTORY_PROVIDER = { provide: DepartmentDirectory, inject: [CatalogueService], useFactory: (catalogue: CatalogueService) => catalogue.directory };

/** Deciding credit events: the catalogue (departments, rules), the processor, the lifecycle and the Kafka batch path; the engine app adds the inbox loop in embedded mode. */
@Module({
  imports: [TerminusModule],
  providers: [
    CatalogueService, RuleReleaseSchedule, RulesInForceService, DEPARTMENTS_REGISTRY_PROVIDER, DEPARTMENT_DIRECTORY_PROVIDER, EventAdmission, CreditEventProcessor, LifecycleService, LifecycleScheduler, AuditRetention, KafkaEventBatchService, { provide: CLOCK, useValue: systemClock },
    CalendarService, CalendarHealthIndicator, CalendarMetrics, DepartmentsHealthIndicator, DepartmentsMetrics, RulesHealthIndicator, DecisionMetrics,
    CreditClassCatalogue, CreditClassService, COMMITMENT_STANDING_PROVIDER, ExchangeLinks, ExchangeOutboxWriter, CoordinationService,
  ],
  exports: [
    CreditClassCatalogue, CreditClassService, COMMITMENT_STANDING, ExchangeLinks,
    CatalogueService, RuleReleaseSchedule, RulesInForceService, DEPARTMENTS_IN_FORCE, EventAdmission, AuditRetention, CreditEventProcessor, LifecycleService, LifecycleScheduler, KafkaEventBatchService, CLOCK, CalendarService, CalendarHealthIndicator, CalendarMetrics,
    DepartmentsHealthIndicator, DepartmentsMetrics, RulesHealthIndicator, DecisionMetrics,
  ],
})
export class EngineModule {}

/** The catalogue alone (with the exchange links an admission checks loops against), for apps that authenticate departments but do not decide. */
@Module({
  imports: [TerminusModule],
  providers: [CatalogueService, RuleReleaseSchedule, RulesInForceService, DEPARTMENTS_REGISTRY_PROVIDER, DEPARTMENT_DIRECTORY_PROVIDER, { provide: CLOCK, useValue: systemClock }, CalendarService, CalendarHealthIndicator, DepartmentsHealthIndicator, DepartmentsMetrics, RulesHealthIndicator, RulesReportIndicator, CreditClassCatalogue, ExchangeLinks],
  exports: [CreditClassCatalogue, ExchangeLinks, CatalogueService, RuleReleaseSchedule, RulesInForceService, DEPARTMENTS_IN_FORCE, CLOCK, CalendarService, CalendarHealthIndicator, DepartmentsHealthIndicator, DepartmentsMetrics, RulesHealthIndicator, RulesReportIndicator],
})
export class CatalogueModule {}
