import { BulletinError } from './bulletin.errors';

/** The period a bulletin covers: a calendar month or quarter, in China dates. */
export interface BulletinPeriod {
  kind: 'month' | 'quarter';
  /** 2026-11 or 2026-Q4. */
  label: string;
  from: string;
  /** Last day, included. */
  to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

const pad = (n: number) => String(n).padStart(2, '0');
/** Last day of a month (1-12), leap years included. */
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A period from its label (`2026-11`, `2026-Q4`); BULLETIN.INVALID_REQUEST for anything else. */
export function parseBulletinPeriod(label: unknown): BulletinPeriod {
  if (typeof label === 'string') {
    const month = MONTH.exec(label);
    if (month) {
      const [year, m] = [Number(month[1]), Number(month[2])];
      return { kind: 'month', label, from: `${year}-${pad(m)}-01`, to: `${year}-${pad(m)}-${pad(lastDay(year, m))}` };
    }
    const quarter = QUARTER.exec(label);
    if (quarter) {
      const [year, q] = [Number(quarter[1]), Number(quarter[2])];
      const first = 3 * q - 2;
      return { kind: 'quarter', label, from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${pad(lastDay(year, first + 2))}` };
    }
  }
  throw new BulletinError('BULLETIN.INVALID_REQUEST', 'period is a month written YYYY-MM or a quarter written YYYY-Qn (e.g. 2026-11, 2026-Q4)', { violations: [{ path: 'period', message: 'YYYY-MM or YYYY-Qn' }] });
}

/** Refuses a period that has not ended on China date `today`: its figures would still change. */
export function assertPeriodOver(period: BulletinPeriod, today: string): void {
  if (period.to < today) return;
  throw new BulletinError('BULLETIN.PERIOD_NOT_OVER', `${period.label} ends on ${period.to}: a bulletin is issued once its period is over (from ${nextDay(period.to)})`, { period: period.label, to: period.to });
}

/** The month and the quarter that ended last before China date `today` (what the schedule issues). */
export function periodsEndedBefore(today: string): { month: BulletinPeriod; quarter: BulletinPeriod } {
  const [year, month] = today.split('-').map(Number);
  const [monthYear, lastMonth] = month === 1 ? [year - 1, 12] : [year, month - 1];
  const quarterOfToday = Math.ceil(month / 3);
  const [quarterYear, lastQuarter] = quarterOfToday === 1 ? [year - 1, 4] : [year, quarterOfToday - 1];
  return { month: parseBulletinPeriod(`${monthYear}-${pad(lastMonth)}`), quarter: parseBulletinPeriod(`${quarterYear}-Q${lastQuarter}`) };
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
