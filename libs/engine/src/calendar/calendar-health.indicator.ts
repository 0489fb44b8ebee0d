import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CalendarService } from './calendar.service';

/**
 * Readiness reports the calendar's coverage but never fails on it: an app taken out of
 * service cannot add a year to the calendar, and past coverage due dates are still counted
 * (weekends only) and marked provisional, so deciding on is better than stopping. The
 * warning and /metrics are what an operator alerts on.
 */
@Injectable()
export class CalendarHealthIndicator {
  constructor(
    private readonly calendars: CalendarService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'calendar'): HealthIndicatorResult {
    const { lastRefusal } = this.calendars;
    return this.indicators.check(key).up({
      ...this.calendars.coverage(),
      ...(lastRefusal ? { lastRefusal: { at: lastRefusal.at.toISOString(), problems: lastRefusal.problems } } : {}),
    });
  }
}
