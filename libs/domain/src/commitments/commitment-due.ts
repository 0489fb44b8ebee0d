/**
 * A credit commitment (信用承诺) promises something by a date. The date is inclusive, as
 * validity is (有效期至 D: D still counts, DOMAIN §8): fulfilled on the due date is in time,
 * and the commitment is broken from the next China calendar day.
 */
export function isOverdue(dueOn: string, today: string): boolean {
  return today > dueOn;
}

/** The day a commitment not kept by `dueOn` is broken on: the day after it (the conduct's date). */
export function brokenOnIfNotKept(dueOn: string): string {
  const [year, month, day] = dueOn.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}
