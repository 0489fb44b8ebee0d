import { opensPeriodOf, parsePeriod, periodContaining } from './supervision-period';

describe('inspection periods', () => {
  it('parses each frequency with its first and last day', () => {
    expect(parsePeriod('2026-Q4')).toMatchObject({ frequency: 'quarter', from: '2026-10-01', to: '2026-12-31' });
    expect(parsePeriod('2028-02')).toMatchObject({ frequency: 'month', from: '2028-02-01', to: '2028-02-29' });
    expect(parsePeriod('2026-H1')).toMatchObject({ frequency: 'half-year', from: '2026-01-01', to: '2026-06-30' });
    expect(parsePeriod('2027')).toMatchObject({ frequency: 'year', from: '2027-01-01', to: '2027-12-31' });
  });

  it('refuses what is not a period', () => {
    for (const name of ['2026-Q5', '2026-Q0', '2026-13', '2026-00', '2026-H3', '26-Q1', '2026Q1', '1999', '2026-q4', ' 2026-Q4']) expect(parsePeriod(name)).toBeNull();
  });

  it('finds the period holding a date; consecutive periods have consecutive ordinals across a year', () => {
    expect(periodContaining('quarter', '2026-12-02').name).toBe('2026-Q4');
    expect(periodContaining('month', '2026-12-02').name).toBe('2026-12');
    expect(periodContaining('half-year', '2026-07-01').name).toBe('2026-H2');
    expect(periodContaining('year', '2026-07-01').name).toBe('2026');
    expect(parsePeriod('2027-Q1')!.ordinal - parsePeriod('2026-Q4')!.ordinal).toBe(1);
    expect(parsePeriod('2027-01')!.ordinal - parsePeriod('2026-12')!.ordinal).toBe(1);
  });

  it('says which periods open a longer one: a yearly class is drawn in the first quarter or month of the year', () => {
    expect(opensPeriodOf(parsePeriod('2027-Q1')!, 'year')).toBe(true);
    expect(opensPeriodOf(parsePeriod('2026-Q4')!, 'year')).toBe(false);
    expect(opensPeriodOf(parsePeriod('2026-Q3')!, 'half-year')).toBe(true);
    expect(opensPeriodOf(parsePeriod('2026-11')!, 'quarter')).toBe(false);
    expect(opensPeriodOf(parsePeriod('2026-10')!, 'quarter')).toBe(true);
    expect(opensPeriodOf(parsePeriod('2026-11')!, 'month')).toBe(true);
  });
});
