import { Inject, Injectable } from '@nestjs/common';
import { BilingualText, chinaDate, Clock } from '@app/domain';
import { CatalogueService, CLOCK } from '@app/engine';
import { DecisionsOnDay, DistrictActivityRepository, ListSize } from '@app/persistence';
import { PerformanceQuery, PerformanceReport, PerformanceService } from '@app/query';

/** The credit office's first view of the district: department performance, decisions a day, list sizes. */
export interface DistrictOverview {
  performance: PerformanceReport;
  decisionsPerDay: DecisionsOnDay[];
  lists: Array<ListSize & { name: BilingualText }>;
}

@Injectable()
export class DistrictOverviewService {
  constructor(
    private readonly performance: PerformanceService,
    private readonly activity: DistrictActivityRepository,
    private readonly catalogue: CatalogueService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** As the credit office sees it: the query API's own report, read with the credit office's department. */
  async overview(query: Pick<PerformanceQuery, 'from' | 'to'>): Promise<DistrictOverview> {
    const office = this.catalogue.departments.all().find((d) => d.assessesDepartments);
    if (!office) throw new Error('the departments registry names no credit office (assessesDepartments)');
    const performance = await this.performance.report(office, query);
    const { from, to } = performance.period;
    const until = new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000);
    const [decisionsPerDay, sizes] = await Promise.all([this.activity.decisionsPerDay(new Date(`${from}T00:00:00+08:00`), until), this.activity.listSizes(chinaDate(this.clock.now()))]);
    const { ruleSet } = this.catalogue.rules;
    return { performance, decisionsPerDay, lists: sizes.map((s) => ({ ...s, name: ruleSet.list(s.listCode)?.name ?? { zh: s.listCode, en: s.listCode } })) };
  }
}
