import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { chinaDate, Clock, DueDate, ProvisionalReason, WorkingDayCalendar } from '@app/domain';
import { loadWorkingDayCalendar } from '../calendar.provider';
import { CLOCK } from '../clock.token';
import { FilePoller } from '../file-poller';

/** How far the calendar reaches from today, as readiness and /metrics report it. */
export interface CalendarCoverage {
  coveredThrough: string;
  /** Days from today (China) to the last covered day; negative once it has passed. */
  daysCovered: number;
  horizonDays: number;
  /** The first day from today whose status may still change, and why. */
  nextUncertainDay: string;
  nextUncertainReason: ProvisionalReason;
  /** Set when today + horizon reaches past coverage: due dates will soon count weekends only. */
  warning?: string;
}

const DAY_MS = 86_400_000;

/**
 * The working-day calendar in force. Validated at start-up (a broken file stops the boot
 * naming CALENDAR_FILE); afterwards re-read when the file changes, a broken edit refused and
 * logged while the last good calendar keeps counting. Callers take `current` once per
 * computation, so one batch never counts on two calendars.
 */
@Injectable()
export class CalendarService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WorkingDayCalendar');
  private active: WorkingDayCalendar;
  private readonly file: FilePoller;
  private readonly provisional: Record<ProvisionalReason, number> = { 'outside-coverage': 0, 'provisional-day': 0 };
  /** Reasons already logged for the calendar in force: one line each, not one per task. */
  private readonly logged = new Set<ProvisionalReason>();
  lastRefusal?: { at: Date; problems: string[] };

  constructor(
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.active = loadWorkingDayCalendar(config.CALENDAR_FILE);
    this.file = new FilePoller(() => [config.CALENDAR_FILE]);
    this.logger.log(`${config.CALENDAR_FILE} ${this.active.describe()}`);
  }

  get current(): WorkingDayCalendar {
    return this.active;
  }

  onModuleInit(): void {
    this.watch();
  }

  watch(intervalMs = this.config.CALENDAR_RELOAD_INTERVAL_MS): void {
    this.file.start(intervalMs, () => this.reloadIfChanged());
  }

  reloadIfChanged(): boolean {
    if (!this.file.changed()) return false;
    try {
      const next = loadWorkingDayCalendar(this.config.CALENDAR_FILE);
      this.logger.log(`working-day calendar reloaded: ${next.describe()}`);
      this.active = next;
      this.lastRefusal = undefined;
      this.logged.clear();
      return true;
    } catch (error) {
      const message = (error as Error).message;
      this.lastRefusal = { at: this.clock.now(), problems: [message] };
      this.logger.error(`working-day calendar refused, still counting on the one that ${this.active.describe()}: ${message}`);
      return false;
    }
  }

  /** Count tasks stored with a provisional due date (for /metrics); log the first of each reason. */
  recordProvisional(from: string, due: DueDate, tasks: number): void {
    if (!due.provisional || tasks === 0) return;
    this.provisional[due.provisional] += tasks;
    if (this.logged.has(due.provisional)) return;
    this.logged.add(due.provisional);
    const why =
      due.provisional === 'outside-coverage'
        ? `counts past the calendar's last covered day ${this.active.coveredThrough} on weekends only`
        : `counts over days still awaiting the State Council notice (${this.active.provisionalYears.join(', ')})`;
    this.logger.warn(`feedback due dates are provisional (feedback_due_provisional): from ${from} the due date ${due.date} ${why}; add the notice's days to ${this.config.CALENDAR_FILE}. Logged once; see credit_calendar_provisional_due_dates_total`);
  }

  get provisionalDueDates(): Readonly<Record<ProvisionalReason, number>> {
    return this.provisional;
  }

  coverage(now: Date = this.clock.now()): CalendarCoverage {
    const today = chinaDate(now);
    const calendar = this.active;
    const horizonDays = this.config.CALENDAR_HORIZON_DAYS;
    const daysCovered = Math.round((Date.parse(`${calendar.coveredThrough}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    const next = calendar.nextUncertainDay(today);
    const coverage: CalendarCoverage = { coveredThrough: calendar.coveredThrough, daysCovered, horizonDays, nextUncertainDay: next.date, nextUncertainReason: next.reason };
    if (daysCovered < horizonDays) {
      coverage.warning =
        daysCovered < 0
          ? `the working-day calendar ended on ${calendar.coveredThrough}: due dates count weekends only and are provisional`
          : `the working-day calendar ends on ${calendar.coveredThrough}, within ${horizonDays} days: add the next year to ${this.config.CALENDAR_FILE}`;
    }
    return coverage;
  }

  onModuleDestroy(): void {
    this.file.stop();
  }
}
