import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { chinaDate, Clock, describeFailure } from '@app/domain';
import { CLOCK } from '@app/engine';
import { BulletinService } from './bulletin.service';
import { BulletinPeriod, periodsEndedBefore } from './bulletin-period';

/** How often the schedule looks whether a period has ended without its bulletin. */
export const BULLETIN_SCHEDULE_CHECK_MS = 15 * 60_000;

/**
 * Issues the bulletin of each month or quarter (BULLETIN_SCHEDULE) once it has ended: at start-up
 * and every quarter of an hour, the last ended period without a bulletin gets one, issued by
 * "schedule". Several replicas may look at once: the period's one bulletin is whichever is stored first.
 */
@Injectable()
export class BulletinSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BulletinSchedule.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly bulletins: BulletinService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The periods the schedule covers on China date `today`. */
  due(today: string): BulletinPeriod[] {
    const ended = periodsEndedBefore(today);
    const schedule = this.config.BULLETIN_SCHEDULE;
    return [...(schedule.includes('monthly') ? [ended.month] : []), ...(schedule.includes('quarterly') ? [ended.quarter] : [])];
  }

  /** One look: issues what is due and not issued; returns the numbers it issued. */
  async tick(): Promise<string[]> {
    const issued: string[] = [];
    for (const period of this.due(chinaDate(this.clock.now()))) {
      const { bulletin, created } = await this.bulletins.issueFor(period, 'schedule');
      if (created) issued.push(bulletin.number);
    }
    return issued;
  }

  onApplicationBootstrap(): void {
    if (this.config.BULLETIN_SCHEDULE === 'off') return;
    const look = () => {
      this.running = this.tick().then(
        () => undefined,
        (error) => this.logger.error(`scheduled bulletin not issued, tried again in ${BULLETIN_SCHEDULE_CHECK_MS / 60_000} min: ${describeFailure(error)}`),
      );
    };
    look();
    this.timer = setInterval(look, BULLETIN_SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
