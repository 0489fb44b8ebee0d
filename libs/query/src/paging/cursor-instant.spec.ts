import { isCursorInstant } from './cursor-instant';

describe('isCursorInstant', () => {
  it('takes the instants PostgreSQL writes, and nothing its timestamptz cast would refuse', () => {
    for (const ok of ['2026-11-20 08:00:00.123456+08', '2026-11-20T00:00:00Z', '2024-02-29T23:59:59.5+00:00', '2026-01-01 00:00:00-0530']) expect(isCursorInstant(ok)).toBe(true);
    for (const bad of ['2024-99-99T99:99:99Z', '2026-02-30T00:00:00Z', '2026-11-20T24:00:00Z', '2026-11-20T08:60:00Z', '2026-11-20T08:00:00+99', '2026-11-20', '']) expect(isCursorInstant(bad)).toBe(false);
  });
});
