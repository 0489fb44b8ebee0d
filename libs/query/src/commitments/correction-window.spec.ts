import { correctionLastDay } from './correction-window';

describe('correctionLastDay', () => {
  it('counts from the day the commitment was broken when the breach was recorded that day', () => {
    expect(correctionLastDay('2026-04-01', new Date('2026-04-01T02:00:00Z'), 10)).toBe('2026-04-11');
  });

  it('counts from the day the breach was recorded when the scheduler recorded it late', () => {
    // Due 2026-03-31, broken on 04-01, recorded only on 04-20 (China date): the window runs from the 20th.
    expect(correctionLastDay('2026-04-01', new Date('2026-04-20T02:00:00Z'), 10)).toBe('2026-04-30');
  });

  it('takes the China date of the recording instant, not the UTC one', () => {
    // 2026-04-19T17:00Z is already the 20th in China (UTC+8).
    expect(correctionLastDay('2026-04-01', new Date('2026-04-19T17:00:00Z'), 10)).toBe('2026-04-30');
  });

  it('counts from the day broken when no recording instant is stored', () => {
    expect(correctionLastDay('2026-04-01', null, 10)).toBe('2026-04-11');
  });
});
