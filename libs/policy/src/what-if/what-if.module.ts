import { Module } from '@nestjs/common';
import { CatalogueModule } from '@app/engine';
import { ReleaseServiceModule } from '../releases/releases.module';
import { HistoryReader } from './history.reader';
import { WhatIfController } from './what-if.controller';
import { WHAT_IF_MAX_BODY_BYTES } from './what-if-request';
import { WhatIfService } from './what-if.service';

/** The what-if service alone, for a host with its own routes (the console): needs the rule set in force (CatalogueModule), the stored releases, AppConfig and the app's DataSource (PersistenceModule.forRoot). */
@Module({
  imports: [CatalogueModule, ReleaseServiceModule],
  providers: [HistoryReader, WhatIfService],
  exports: [WhatIfService],
})
export class WhatIfServiceModule {}

/** What-if on history on the management token (the query API) and its service. */
@Module({
  imports: [WhatIfServiceModule],
  controllers: [WhatIfController],
  exports: [WhatIfServiceModule],
})
export class WhatIfModule {}

/** A draft carries a whole rule set: its route reads bodies up to WHAT_IF_MAX_BODY_BYTES, the others keep the default. */
export const WHAT_IF_BODY_LIMIT = { path: '/v1/what-if', bytes: WHAT_IF_MAX_BODY_BYTES } as const;
