import { releaseStatus } from './release.service';

describe('releaseStatus', () => {
  const now = new Date('2026-12-01T08:00:00Z');
  const approved = (version: number, effectiveAt: string) => ({ version, approver: '李强', effectiveAt: new Date(effectiveAt) });

  it('is draft until approved, scheduled before its instant, in force from it, superseded once another takes over', () => {
    expect(releaseStatus({ version: 4, approver: null, effectiveAt: null }, 2, now)).toBe('draft');
    expect(releaseStatus(approved(3, '2026-12-01T08:00:00.001Z'), 2, now)).toBe('scheduled');
    expect(releaseStatus(approved(2, '2026-12-01T08:00:00Z'), 2, now)).toBe('in-force');
    expect(releaseStatus(approved(1, '2026-11-30T08:00:00Z'), 2, now)).toBe('superseded');
  });
});
