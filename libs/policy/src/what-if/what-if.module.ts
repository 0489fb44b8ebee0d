import { Module } from '@nestjs/common';
import { CatalogueModule } from '@app/engine';
import { HistoryReader } from './history.reader';
import { WhatIfService } from './what-if.service';

/** What-if on history: needs the rule set in force (CatalogueModule) and the app's DataSource (PersistenceModule.forRoot). */
@Module({
  imports: [CatalogueModule],
  providers: [HistoryReader, WhatIfService],
  exports: [WhatIfService],
})
export class WhatIfModule {}
