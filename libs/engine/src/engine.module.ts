import { Module } from '@nestjs/common';
import { systemClock } from '@app/domain';
import { CatalogueService } from './catalogue.service';
import { CLOCK } from './clock.token';
import { CreditEventProcessor } from './credit-event-processor.service';
import { InboxPoller } from './inbox-poller.service';
import { KafkaEventBatchService } from './kafka-event-batch.service';

/** Deciding credit events: the catalogue (departments, rules), the processor and the embedded inbox loop. */
@Module({
  providers: [CatalogueService, CreditEventProcessor, InboxPoller, KafkaEventBatchService, { provide: CLOCK, useValue: systemClock }],
  exports: [CatalogueService, CreditEventProcessor, InboxPoller, KafkaEventBatchService, CLOCK],
})
export class EngineModule {}

/** The catalogue alone, for apps that authenticate departments but do not decide. */
@Module({
  providers: [CatalogueService, { provide: CLOCK, useValue: systemClock }],
  exports: [CatalogueService, CLOCK],
})
export class CatalogueModule {}
