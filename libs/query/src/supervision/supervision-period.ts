/**
 * Inspection periods (检查周期): a sample is drawn once per period of its plan's frequency.
 * A period is named `2026` (year), `2026-H2` (half-year), `2026-Q4` (quarter) or `2026-11` (month).
 */
import { Frequency } from '@app/domain';

export { FREQUENCIES } from '@app/domain';
export type { Frequency } from '@app/domain';

/** Periods of each frequency in a year: a class's inspections per year are its ratio times this. */
export const PERIODS_PER_YEAR: Readonly<Record<Frequency, number>> = { month: 12, quarter: 4, 'half-year': 2, year: 1 };

/** Months in a period of each frequency: each divides the next, so periods of a coarser frequency are whole periods of a finer one. */
export const MONTHS_PER_PERIOD: Readonly<Record<Frequency, number>> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

const SHAPES: readonly { frequency: Frequency; pattern: RegExp }[] = [
  { frequency: 'year', pattern: /^(\d{4})$/ },
  { frequency: 'half-year', pattern: /^(\d{4})-H([12])$/ },
  { frequency: 'quarter', pattern: /^(\d{4})-Q([1-4])$/ },
  { frequency: 'month', pattern: /^(\d{4})-(0[1-9]|1[0-2])$/ },
];

export interface InspectionPeriod {
  /** As written, e.g. 2026-Q4. */
  name: string;
  frequency: Frequency;
  /** First and last China dates of the period, inclusive. */
  from: string;
  to: string;
  /** A running count of periods of this frequency (year × periods a year + index): consecutive periods differ by one. */
  ordinal: number;
}

/** The period a name denotes, or null when it is not one (of any frequency). */
export function parsePeriod(name: string): InspectionPeriod | null {
  for (const { frequency, pattern } of SHAPES) {
    const match = pattern.exec(name);
    if (!match) continue;
    const year = Number(match[1]);
    if (year < 2000 || year > 2999) return null;
    const index = match[2] === undefined ? 0 : Number(match[2]) - 1;
    return periodOf(frequency, year * PERIODS_PER_YEAR[frequency] + index);
  }
  return null;
}

/** The period of `frequency` that holds the China date `date` (YYYY-MM-DD). */
export function periodContaining(frequency: Frequency, date: string): InspectionPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return periodOf(frequency, year * PERIODS_PER_YEAR[frequency] + Math.floor((month - 1) / MONTHS_PER_PERIOD[frequency]));
}

function periodOf(frequency: Frequency, ordinal: number): InspectionPeriod {
  const perYear = PERIODS_PER_YEAR[frequency];
  const year = Math.floor(ordinal / perYear);
  const index = ordinal - year * perYear;
  const firstMonth = index * MONTHS_PER_PERIOD[frequency] + 1;
  const lastMonth = firstMonth + MONTHS_PER_PERIOD[frequency] - 1;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const name = { year: `${year}`, 'half-year': `${year}-H${index + 1}`, quarter: `${year}-Q${index + 1}`, month: `${year}-${pad(firstMonth)}` }[frequency];
  return { name, frequency, from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(lastDay)}`, ordinal };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whether `period` opens a period of the coarser `frequency` (2027-Q1 opens 2027 and 2027-H1; 2026-Q4 opens neither). */
export function opensPeriodOf(period: InspectionPeriod, frequency: Frequency): boolean {
  return periodContaining(frequency, period.from).from === period.from;
}
