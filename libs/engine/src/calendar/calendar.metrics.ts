import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { chinaDate, Clock, ProvisionalReason } from '@app/domain';
import { CLOCK } from '../clock.token';
import { CalendarService } from './calendar.service';

const DAY_MS = 86_400_000;

/** Prometheus view of the working-day calendar, read from CalendarService when scraped. */
@Injectable()
export class CalendarMetrics {
  readonly registry = new Registry();

  constructor(calendars: CalendarService, @Inject(CLOCK) clock: Clock) {
    new Gauge({
      name: 'credit_calendar_covered_through_days',
      help: 'Days from today (China) to the last day the working-day calendar covers; negative once past',
      registers: [this.registry],
      collect() {
        this.set(calendars.coverage(clock.now()).daysCovered);
      },
    });
    new Gauge({
      name: 'credit_calendar_next_provisional_day_days',
      help: 'Days from today (China) to the first day whose working-day status still awaits a State Council notice or lies past coverage',
      registers: [this.registry],
      collect() {
        const { nextUncertainDay } = calendars.coverage(clock.now());
        this.set(Math.round((Date.parse(`${nextUncertainDay}T00:00:00Z`) - Date.parse(`${chinaDate(clock.now())}T00:00:00Z`)) / DAY_MS));
      },
    });
    new Counter<'reason'>({
      name: 'credit_calendar_provisional_due_dates_total',
      help: 'Measure tasks stored with a provisional feedback due date, by reason (outside-coverage, provisional-day)',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, count] of Object.entries(calendars.provisionalDueDates) as [ProvisionalReason, number][]) this.inc({ reason }, count);
      },
    });
  }
}
