import { chinaDate } from '@app/domain';
import { addDays } from '@app/rules';

/**
 * The last China day an automatic breach may be corrected: `days` after the later of the day it
 * was broken (due date + 1) and the day the scheduler recorded it. A breach recorded late (the
 * engine was down over the due date) would otherwise be past its window before anyone saw it.
 */
export function correctionLastDay(brokenOn: string, recordedAt: Date | null, days: number): string {
  const recordedOn = recordedAt ? chinaDate(recordedAt) : brokenOn;
  return addDays(recordedOn > brokenOn ? recordedOn : brokenOn, days);
}
