import { Module } from '@nestjs/common';
import { CatalogueModule } from '@app/engine';
import { HistoryReader } from './history.reader';
import { WhatIfController } from './what-if.controller';
import { WHAT_IF_MAX_BODY_BYTES } from './what-if-request';
import { WhatIfService } from './what-if.service';

/** What-if on history, its API and service: needs the rule set in force (CatalogueModule), AppConfig and the app's DataSource (PersistenceModule.forRoot). */
@Module({
  imports: [CatalogueModule],
  controllers: [WhatIfController],
  providers: [HistoryReader, WhatIfService],
  exports: [WhatIfService],
})
export class WhatIfModule {}

/** A draft carries a whole rule set: its route reads bodies up to WHAT_IF_MAX_BODY_BYTES, the others keep the default. */
export const WHAT_IF_BODY_LIMIT = { path: '/v1/what-if', bytes: WHAT_IF_MAX_BODY_BYTES } as const;
