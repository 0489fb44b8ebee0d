import { Inject, Injectable } from '@nestjs/common';
import { BilingualText, chinaDate, Clock } from '@app/domain';
import { CatalogueService, CLOCK } from '@app/engine';
import { DecisionsOnDay, DistrictActivityRepository, ListSize } from '@app/persistence';
import { PerformanceQuery, PerformanceReport, PerformanceService, WeeklyPerformance } from '@app/query';

/** A rule-set release as the timeline shows it: the fields of libs/policy's ReleaseSummary it needs. */
export interface TimelineRelease {
  version: number;
  /** draft: awaiting approval; scheduled: approved, effective later; in-force: deciding now; superseded: a later one took effect. */
  status: 'draft' | 'scheduled' | 'in-force' | 'superseded';
  author: string;
  approver: string | null;
  createdAt: string;
  effectiveAt: string | null;
  rolledBackFrom: number | null;
}

/**
 * Where the releases come from. libs/policy's ReleaseService is one (the console app passes it):
 * the workbench and the policy library are siblings that never import each other.
 */
export interface ReleaseHistory {
  list(): Promise<readonly TimelineRelease[]>;
}

export interface DeadLetterReason {
  /** null: the credit office's (no department could be told, or one the registry does not know). */
  department: { code: string; name: BilingualText } | null;
  errorCode: string;
  deadLetters: number;
}

/** The credit office's first view of the district. */
export interface DistrictOverview {
  /** Department performance over the period. */
  performance: PerformanceReport;
  /** The same measures week by week (ISO weeks, China time). */
  weekly: WeeklyPerformance;
  decisionsPerDay: DecisionsOnDay[];
  /** Dead letters received in the period, by department and error code. */
  deadLetters: DeadLetterReason[];
  /** Releases on the period's timeline: at their effective time, or (drafts) when they were made; oldest first. */
  releases: Array<TimelineRelease & { at: string }>;
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
   * department. Without a period, the last 30 China days up to today; at most MAX_WEEKLY_DAYS.
   */
  async overview(query: Pick<PerformanceQuery, 'from' | 'to'>, releaseHistory: ReleaseHistory): Promise<DistrictOverview> {
    const office = this.catalogue.departments.all().find((d) => d.assessesDepartments);
    if (!office) throw new Error('the departments registry names no credit office (assessesDepartments)');
    const now = this.clock.now();
    const period = { from: query.from ?? chinaDate(new Date(now.getTime() - (DEFAULT_DAYS - 1) * DAY_MS)), to: query.to ?? chinaDate(now) };
    // The weekly read checks the period first (the report's checks, and its length): a refused one reads nothing else.
    const weekly = await this.performance.weekly(office, period);
    const { from, to } = weekly.period;
    const since = new Date(`${from}T00:00:00+08:00`);
    const until = new Date(Date.parse(`${to}T00:00:00+08:00`) + DAY_MS);
    const departments = this.catalogue.departments.all();
    const [performance, decisionsPerDay, deadLetters, releases, sizes] = await Promise.all([
      this.performance.report(office, period),
      this.activity.decisionsPerDay(since, until),
      this.activity.deadLettersByReason(since, until, departments.map((d) => d.code)),
      releaseHistory.list(),
      this.activity.listSizes(chinaDate(now)),
    ]);
    const names = new Map(departments.map((d) => [d.code, d.name]));
    const { ruleSet } = this.catalogue.rules;
    return {
      performance,
      weekly,
      decisionsPerDay,
      deadLetters: deadLetters.map((d) => ({ department: d.department === null ? null : { code: d.department, name: names.get(d.department)! }, errorCode: d.errorCode, deadLetters: d.deadLetters })),
      releases: onTimeline(releases, since, until),
      lists: sizes.map((s) => ({ ...s, name: ruleSet.list(s.listCode)?.name ?? { zh: s.listCode, en: s.listCode } })),
    };
  }
}

/** The releases whose instant on the timeline (effective time; a draft's creation) falls in [since, until), oldest first. */
function onTimeline(releases: readonly TimelineRelease[], since: Date, until: Date): Array<TimelineRelease & { at: string }> {
  return releases
    .map((r) => ({ version: r.version, status: r.status, author: r.author, approver: r.approver, createdAt: r.createdAt, effectiveAt: r.effectiveAt, rolledBackFrom: r.rolledBackFrom, at: r.effectiveAt ?? r.createdAt }))
    .filter((r) => Date.parse(r.at) >= since.getTime() && Date.parse(r.at) < until.getTime())
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.version - b.version);
}
