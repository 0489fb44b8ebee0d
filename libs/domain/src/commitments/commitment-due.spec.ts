import { brokenOnIfNotKept, isOverdue } from './commitment-due';

describe('a commitment due on a date (inclusive)', () => {
  it('is in time on its due date and overdue from the next day', () => {
    expect(isOverdue('2026-06-30', '2026-06-29')).toBe(false);
    expect(isOverdue('2026-06-30', '2026-06-30')).toBe(false);
    expect(isOverdue('2026-06-30', '2026-07-01')).toBe(true);
  });

  it('not kept, is broken on the day after its due date, across months, years and leap days', () => {
    expect(brokenOnIfNotKept('2026-06-30')).toBe('2026-07-01');
    expect(brokenOnIfNotKept('2026-12-31')).toBe('2027-01-01');
    expect(brokenOnIfNotKept('2028-02-28')).toBe('2028-02-29');
    expect(brokenOnIfNotKept('2027-02-28')).toBe('2027-03-01');
  });

  it('is overdue exactly from the day it is broken on', () => {
    for (const due of ['2026-01-31', '2026-02-28', '2026-12-31']) {
      const broken = brokenOnIfNotKept(due);
      expect(isOverdue(due, broken)).toBe(true);
      expect(broken > due).toBe(true);
    }
  });
});
