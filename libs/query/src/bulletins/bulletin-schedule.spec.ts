import { AppConfig, loadAppConfig } from '@app/config';
import { BulletinSchedule } from './bulletin-schedule';
import type { BulletinService } from './bulletin.service';
import type { BulletinPeriod } from './bulletin-period';

/** The schedule against a service that remembers what it was asked and what it holds. */
function scheduleAt(today: string, setting: AppConfig['BULLETIN_SCHEDULE'], held: Set<string>) {
  const asked: string[] = [];
  const service = {
    issueFor: async (period: BulletinPeriod, issuedBy: string) => {
      asked.push(`${period.label} by ${issuedBy}`);
      const created = !held.has(period.label);
      held.add(period.label);
      return { bulletin: { number: `N-${period.label}` }, created };
    },
  } as unknown as BulletinService;
  const schedule = new BulletinSchedule(service, { ...loadAppConfig({}), BULLETIN_SCHEDULE: setting }, { now: () => new Date(`${today}T02:00:00Z`) });
  return { schedule, asked };
}

describe('BulletinSchedule', () => {
  it('issues the month and the quarter that ended last, as the setting says, each once', async () => {
    const held = new Set<string>();
    const { schedule, asked } = scheduleAt('2027-01-04', 'monthly+quarterly', held);
    expect(await schedule.tick()).toEqual(['N-2026-12', 'N-2026-Q4']);
    expect(await schedule.tick()).toEqual([]);
    expect(asked).toEqual(['2026-12 by schedule', '2026-Q4 by schedule', '2026-12 by schedule', '2026-Q4 by schedule']);
  });

  it('covers only what it is set to, and nothing when off', () => {
    expect(scheduleAt('2026-12-03', 'monthly', new Set()).schedule.due('2026-12-03').map((p) => p.label)).toEqual(['2026-11']);
    expect(scheduleAt('2026-12-03', 'quarterly', new Set()).schedule.due('2026-12-03').map((p) => p.label)).toEqual(['2026-Q3']);
    expect(scheduleAt('2026-12-03', 'off', new Set()).schedule.due('2026-12-03')).toEqual([]);
  });
});
