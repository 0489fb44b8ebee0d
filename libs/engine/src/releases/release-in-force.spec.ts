import { releaseInForce } from './release-in-force';

const at = (iso: string) => new Date(iso);
const releases = [
  { version: 1, effectiveAt: at('2026-12-01T08:00:00Z') },
  { version: 3, effectiveAt: at('2026-12-02T08:00:00Z') },
  { version: 2, effectiveAt: at('2026-12-03T08:00:00Z') },
];

describe('releaseInForce', () => {
  it('is none before the first release takes effect', () => {
    expect(releaseInForce(releases, at('2026-12-01T07:59:59.999Z'))).toBeUndefined();
  });

  it('switches exactly at the effective instant, not a millisecond before', () => {
    expect(releaseInForce(releases, at('2026-12-02T07:59:59.999Z'))?.version).toBe(1);
    expect(releaseInForce(releases, at('2026-12-02T08:00:00.000Z'))?.version).toBe(3);
    expect(releaseInForce(releases, at('2026-12-02T08:00:00.001Z'))?.version).toBe(3);
  });

  it('goes by effective time, not by version: a later-numbered release can take effect earlier', () => {
    expect(releaseInForce(releases, at('2026-12-03T09:00:00Z'))?.version).toBe(2);
  });

  it('of two with the same effective time takes the later version', () => {
    const same = [...releases, { version: 4, effectiveAt: at('2026-12-03T08:00:00Z') }];
    expect(releaseInForce(same, at('2026-12-03T08:00:00Z'))?.version).toBe(4);
  });
});
