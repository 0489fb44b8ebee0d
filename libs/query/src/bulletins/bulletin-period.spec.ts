import { assertPeriodOver, parseBulletinPeriod, periodsEndedBefore } from './bulletin-period';

describe('bulletin periods', () => {
  it('reads months and quarters, leap years included', () => {
    expect(parseBulletinPeriod('2028-02')).toEqual({ kind: 'month', label: '2028-02', from: '2028-02-01', to: '2028-02-29' });
    expect(parseBulletinPeriod('2026-02')).toMatchObject({ to: '2026-02-28' });
    expect(parseBulletinPeriod('2026-Q4')).toEqual({ kind: 'quarter', label: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(parseBulletinPeriod('2026-Q1')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    for (const bad of ['2026-00', '2026-13', '2026-Q5', '2026-q4', '26-11', '2026-11-01', '', 202611, null]) expect(() => parseBulletinPeriod(bad)).toThrow(expect.objectContaining({ code: 'BULLETIN.INVALID_REQUEST' }));
  });

  it('is over from the day after its last day (China dates)', () => {
    const november = parseBulletinPeriod('2026-11');
    expect(() => assertPeriodOver(november, '2026-11-30')).toThrow(expect.objectContaining({ code: 'BULLETIN.PERIOD_NOT_OVER', message: expect.stringContaining('from 2026-12-01') }));
    expect(() => assertPeriodOver(november, '2026-12-01')).not.toThrow();
  });

  it('names the month and the quarter that ended last, across a year', () => {
    expect(periodsEndedBefore('2026-12-03')).toEqual({ month: parseBulletinPeriod('2026-11'), quarter: parseBulletinPeriod('2026-Q3') });
    expect(periodsEndedBefore('2027-01-04')).toEqual({ month: parseBulletinPeriod('2026-12'), quarter: parseBulletinPeriod('2026-Q4') });
    expect(periodsEndedBefore('2026-04-01')).toEqual({ month: parseBulletinPeriod('2026-03'), quarter: parseBulletinPeriod('2026-Q1') });
  });
});
