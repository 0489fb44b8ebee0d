import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { chinaDate, Clock, Department, EVENT_TYPES } from '@app/domain';
import { bulletinIssuedRecords, BulletinIssuedRecord } from '@app/decision-log';
import { CatalogueService, CLOCK } from '@app/engine';
import { BulletinRepository, BulletinRow, DecisionRepository, LifecycleOutcomeCount } from '@app/persistence';
import { PerformanceService } from '../performance/performance.service';
import { renderReportHtml } from '../reports/credit-report.html';
import { outlineText } from '../reports/credit-report.outline';
import { renderReportPdf } from '../reports/credit-report.pdf';
import { loadReportFont, ReportFont } from '../reports/report-font';
import { renderBulletinCsv } from './bulletin.csv';
import { BulletinError } from './bulletin.errors';
import { BulletinContent, buildBulletinContent, LifecycleTally, rankedCount } from './bulletin.model';
import { bulletinOutline } from './bulletin.outline';
import { assertPeriodOver, BulletinPeriod, parseBulletinPeriod } from './bulletin-period';
import { sampleBulletinContent } from './bulletin.sample';

/** What a bulletin is known by in lists and answers. */
export interface BulletinSummary {
  id: string;
  number: string;
  period: BulletinPeriod;
  issuedBy: string;
  issuedAt: string;
  links: BulletinIssuedRecord['links'];
}

export interface BulletinView extends BulletinSummary {
  content: BulletinContent;
}

export type BulletinFormat = 'html' | 'pdf' | 'csv';

export interface BulletinDocument {
  number: string;
  body: Buffer;
  contentType: string;
}

const LIFECYCLE_TYPES = [EVENT_TYPES.repairApproved, EVENT_TYPES.listEntryRemoved, EVENT_TYPES.objectionFiled, EVENT_TYPES.objectionResolved];
const CONTENT_TYPES: Record<BulletinFormat, string> = { html: 'text/html; charset=utf-8', pdf: 'application/pdf', csv: 'text/csv; charset=utf-8' };
const DAY_MS = 86_400_000;

/**
 * Situation bulletins (情况通报, 利州方案 五(三)): for a month or quarter that has ended, the
 * departments' publication and feedback with their ranking, repairs, removals and objections with
 * their outcomes, and the period's blacklistings; issued once per period by the credit office or
 * the schedule, stored with its figures, told to every government department on its feed
 * (bulletin.issued, with that department's own line), and read by any of them as JSON, HTML, PDF or CSV.
 */
@Injectable()
export class BulletinService {
  private readonly logger = new Logger(BulletinService.name);
  private readonly font: ReportFont;

  constructor(
    private readonly performance: PerformanceService,
    private readonly bulletins: BulletinRepository,
    private readonly decisions: DecisionRepository,
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // At start-up, like the credit report's: a font that cannot draw the bulletin's own wording stops the boot.
    const sample = sampleBulletinContent();
    this.font = loadReportFont(config.REPORT_FONT_FILE, config.REPORT_FONT_FACE, outlineText(bulletinOutline(sample, { number: `${config.BULLETIN_NUMBER_PREFIX}〔2026〕12号`, issuedAt: new Date(0), issuedBy: 'schedule' })) + '〔〕号第名');
  }

  /** The credit office issues the bulletin of a period that has ended (body: `{"period": "2026-11"}`). */
  async issue(caller: Department, body: unknown): Promise<BulletinSummary> {
    if (!caller.assessesDepartments) throw new BulletinError('BULLETIN.CREDIT_OFFICE_ONLY', `only the credit office issues situation bulletins; "${caller.code}" reads them`, { department: caller.code });
    const period = parseBulletinPeriod(typeof body === 'object' && body !== null ? (body as { period?: unknown }).period : undefined);
    assertPeriodOver(period, chinaDate(this.clock.now()));
    const issued = await this.issueFor(period, caller.code);
    if (!issued.created) {
      throw new BulletinError('BULLETIN.ALREADY_ISSUED', `${period.label} has its bulletin already: ${issued.bulletin.number}`, { number: issued.bulletin.number, links: issued.bulletin.links });
    }
    return issued.bulletin;
  }

  /** Builds, stores and tells the bulletin of `period`; the one stored already when the period has one. */
  async issueFor(period: BulletinPeriod, issuedBy: string): Promise<{ bulletin: BulletinSummary; created: boolean }> {
    const existing = await this.bulletins.byPeriod(period.kind, period.from);
    if (existing) return { bulletin: summaryOf(existing), created: false };
    const content = await this.contentFor(period);
    const now = this.clock.now();
    const id = randomUUID();
    const stored = await this.bulletins.transaction(async (manager) => {
      const number = await this.bulletins.nextNumber(manager, this.config.BULLETIN_NUMBER_PREFIX, Number(chinaDate(now).slice(0, 4)));
      const row: BulletinRow = { id, number, periodKind: period.kind, periodFrom: period.from, periodTo: period.to, issuedBy, issuedAt: now, content };
      if (!(await this.bulletins.insert(manager, row))) return undefined;
      const lines = new Map(content.lines.map((l) => [l.department.code, { rank: l.rank, score: l.score, events: l.events, onTimeRate: l.onTimeRate, tasks: l.tasks, feedbackRate: l.feedbackRate, overdue: l.overdue }]));
      await this.decisions.saveFeedRecords(manager, bulletinIssuedRecords({ id, number, period, issuedAt: now, lines, ranked: rankedCount(content) }, this.governmentDepartments().map((d) => d.code)));
      return row;
    });
    if (stored === undefined) {
      // Another process issued this period's bulletin between our look and our insert: its one stands.
      const winner = await this.bulletins.byPeriod(period.kind, period.from);
      return { bulletin: summaryOf(winner!), created: false };
    }
    this.logger.log(`situation bulletin ${stored.number} issued for ${period.label} by ${issuedBy}`);
    return { bulletin: summaryOf(stored), created: true };
  }

  async list(limit = 100): Promise<BulletinSummary[]> {
    return (await this.bulletins.list(limit)).map(summaryOf);
  }

  async get(number: string): Promise<BulletinView> {
    const row = await this.found(number);
    return { ...summaryOf(row), content: row.content as BulletinContent };
  }

  async document(number: string, format: BulletinFormat): Promise<BulletinDocument> {
    const row = await this.found(number);
    const content = row.content as BulletinContent;
    const outline = () => bulletinOutline(content, { number: row.number, issuedAt: new Date(row.issuedAt), issuedBy: row.issuedBy });
    const body =
      format === 'csv'
        ? Buffer.from(renderBulletinCsv(content, row.number), 'utf8')
        : format === 'html'
          ? Buffer.from(renderReportHtml(outline(), row.number), 'utf8')
          : await renderReportPdf(outline(), { number: row.number, issuedAt: new Date(row.issuedAt) }, this.font);
    return { number: row.number, body, contentType: CONTENT_TYPES[format] };
  }

  private async found(number: string): Promise<BulletinRow> {
    const row = await this.bulletins.byNumber(number);
    if (!row) throw new BulletinError('BULLETIN.NOT_FOUND', `no situation bulletin ${number}`, { number });
    return row;
  }

  /** Government departments: they are assessed and told; associations and peer deployments are neither. */
  private governmentDepartments(): Department[] {
    return this.catalogue.departments.all().filter((d) => (d.kind ?? 'department') === 'department');
  }

  private async contentFor(period: BulletinPeriod): Promise<BulletinContent> {
    const office = this.catalogue.departments.all().find((d) => d.assessesDepartments);
    if (!office) throw new Error('the departments registry names no credit office (assessesDepartments): nobody assesses the departments');
    const government = new Set(this.governmentDepartments().map((d) => d.code));
    const report = await this.performance.report(office, { from: period.from, to: period.to });
    const filter = { from: new Date(`${period.from}T00:00:00+08:00`), until: new Date(Date.parse(`${period.to}T00:00:00+08:00`) + DAY_MS) };
    const [outcomes, majorListings] = await Promise.all([this.bulletins.lifecycleOutcomes(filter, LIFECYCLE_TYPES), this.bulletins.blacklistAdditions(filter)]);
    return buildBulletinContent({
      period,
      performance: { ...report, departments: report.departments.filter((d) => government.has(d.department.code)) },
      lifecycle: tallies(outcomes),
      majorListings,
    });
  }
}

/** The stored outcomes of lifecycle events, per department. */
export function tallies(rows: readonly LifecycleOutcomeCount[]): LifecycleTally[] {
  const byDepartment = new Map<string, LifecycleTally>();
  for (const row of rows) {
    const tally = byDepartment.get(row.department) ?? { department: row.department, repairs: { applied: 0, refused: 0, noEffect: 0 }, removals: { applied: 0, refused: 0, noEffect: 0 }, objections: { filed: 0, confirmed: 0, revoked: 0 } };
    byDepartment.set(row.department, tally);
    const outcome = row.status === 'applied' ? 'applied' : row.status === 'refused' ? 'refused' : row.status === 'no-effect' ? 'noEffect' : undefined;
    if (row.type === EVENT_TYPES.repairApproved && outcome) tally.repairs[outcome] += row.events;
    else if (row.type === EVENT_TYPES.listEntryRemoved && outcome) tally.removals[outcome] += row.events;
    else if (row.type === EVENT_TYPES.objectionFiled) tally.objections.filed += row.events;
    else if (row.type === EVENT_TYPES.objectionResolved && (row.resolution === 'confirmed' || row.resolution === 'revoked')) tally.objections[row.resolution] += row.events;
  }
  return [...byDepartment.values()];
}

function summaryOf(row: Omit<BulletinRow, 'content'>): BulletinSummary {
  const base = `/v1/bulletins/${encodeURIComponent(row.number)}`;
  return {
    id: row.id,
    number: row.number,
    period: parseBulletinPeriod(labelOf(row.periodKind, row.periodFrom)),
    issuedBy: row.issuedBy,
    issuedAt: new Date(row.issuedAt).toISOString(),
    links: { json: base, html: `${base}.html`, pdf: `${base}.pdf`, csv: `${base}.csv` },
  };
}

function labelOf(kind: 'month' | 'quarter', from: string): string {
  const [year, month] = from.split('-');
  return kind === 'month' ? `${year}-${month}` : `${year}-Q${Math.ceil(Number(month) / 3)}`;
}
