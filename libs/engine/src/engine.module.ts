import { Module } from '@nestjs/common';
import { systemClock, WorkingDayCalendar } from '@app/domain';
import { workingDayCalendarProvider } from './calendar.provider';
import { QueryAuditService } from './audit/query-audit.service';
import { CatalogueService } from './catalogue.service';
import { CLOCK } from './clock.token';
import { CreditEventProcessor } from './credit-event-processor.service';
import { InboxPoller } from './inbox-poller.service';
import { KafkaEventBatchService } from './kafka-event-batch.service';
import { LifecycleScheduler } from './lifecycle/lifecycle-scheduler.service';
import { LifecycleService } from './lifecycle/lifecycle.service';

/** Deciding credit events: the catalogue (departments, rules), the processor and the embedded inbox loop. */
@Module({
  providers: [CatalogueService, CreditEventProcessor, LifecycleService, LifecycleScheduler, QueryAuditService, InboxPoller, KafkaEventBatchService, { provide: CLOCK, useValue: systemClock }, workingDayCalendarProvider],
  exports: [CatalogueService, CreditEventProcessor, LifecycleService, LifecycleScheduler, InboxPoller, KafkaEventBatchService, CLOCK, WorkingDayCalendar],
})
export class EngineModule {}

/** The catalogue alone, for apps that authenticate departments but do not decide. */
@Module({
  providers: [CatalogueService, { provide: CLOCK, useValue: systemClock }, workingDayCalendarProvider],
  exports: [CatalogueService, CLOCK, WorkingDayCalendar],
})
export class CatalogueModule {}
