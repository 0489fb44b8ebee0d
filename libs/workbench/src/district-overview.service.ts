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

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

@Injectable()
export class DistrictOverviewService {
  constructor(
    private readonly performance: PerformanceService,
    private readonly activity: DistrictActivityRepository,
    private readonly catalogue: CatalogueService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * As the credit office sees it: the query API's own report, read with the credit office's
   * department. Without a period, the last 30 China days up to today.
   */
  async overview(query: Pick<PerformanceQuery, 'from' | 'to'>): Promise<DistrictOverview> {
    const office = this.catalogue.departments.all().find((d) => d.assessesDepartments);
    if (!office) throw new Error('the departments registry names no credit office (assessesDepartments)');
    const now = this.clock.now();
    const period = { from: query.from ?? chinaDate(new Date(now.getTime() - (DEFAULT_DAYS - 1) * DAY_MS)), to: query.to ?? chinaDate(now) };
    const performance = await this.performance.report(office, period);
    const { from, to } = performance.period;
    const until = new Date(Date.parse(`${to}T00:00:00+08:00`) + DAY_MS);
    const [decisionsPerDay, sizes] = await Promise.all([this.activity.decisionsPerDay(new Date(`${from}T00:00:00+08:00`), until), this.activity.listSizes(chinaDate(now))]);
    const { ruleSet } = this.catalogue.rules;
    return { performance, decisionsPerDay, lists: sizes.map((s) => ({ ...s, name: ruleSet.list(s.listCode)?.name ?? { zh: s.listCode, en: s.listCode } })) };
  }
}
