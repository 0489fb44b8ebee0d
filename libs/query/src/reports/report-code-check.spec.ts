import { ReportCodeCheck } from './report-code-check';
import { hashVerificationCode, newVerificationCode } from './report-identifiers';
import { VerificationGate } from './verification-gate';

const NUMBER = 'XYBG-20261201-000123';

// The repository's one read, counted: what matters is whether the database is asked at all.
function fakeReports(stored: string | undefined, hold?: Promise<void>) {
  const calls: string[] = [];
  return {
    calls,
    findCodeHash: async (number: string) => {
      calls.push(number);
      await hold;
      return stored;
    },
  };
}

describe('ReportCodeCheck', () => {
  it('refuses a missing, short, long or foreign-alphabet code and a malformed number before any read or scrypt', async () => {
    const reports = fakeReports(await hashVerificationCode('7KQ2M9XRTA'));
    const check = new ReportCodeCheck(reports, new VerificationGate(2));
    const started = performance.now();
    for (const [number, code] of [
      [NUMBER, undefined],
      [NUMBER, ''],
      [NUMBER, '7KQ2M9XRT'],
      [NUMBER, '7KQ2M9XRTAA'],
      [NUMBER, '7KQ2M9XRT0'],
      [NUMBER, 'x'.repeat(100_000)],
      ['XYBG-1', '7KQ2M9XRTA'],
    ] as const) {
      expect(await check.matches(number, code)).toBe(false);
    }
    expect(reports.calls).toEqual([]);
    // Seven scrypt runs would take a third of a second at least.
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('reads only the code hash of a well-formed pair, and matches the code as typed (case, spaces, hyphens)', async () => {
    const code = newVerificationCode();
    const reports = fakeReports(await hashVerificationCode(code));
    const check = new ReportCodeCheck(reports, new VerificationGate(2));
    expect(await check.matches(NUMBER, `${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`)).toBe(true);
    expect(await check.matches(NUMBER, code === 'ABCDEFGHJK' ? 'ABCDEFGHJM' : 'ABCDEFGHJK')).toBe(false);
    expect(await new ReportCodeCheck(fakeReports(undefined), new VerificationGate(2)).matches(NUMBER, code)).toBe(false);
    expect(reports.calls).toEqual([NUMBER, NUMBER]);
  });

  it('refuses a comparison beyond the gate at once with REPORT.VERIFICATION_BUSY and a retry delay', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const check = new ReportCodeCheck(fakeReports(undefined, held), new VerificationGate(2));
    const running = [check.matches(NUMBER, 'ABCDEFGHJK'), check.matches(NUMBER, 'ABCDEFGHJK')];
    await expect(check.matches(NUMBER, 'ABCDEFGHJK')).rejects.toMatchObject({ code: 'REPORT.VERIFICATION_BUSY', context: { retryAfterSeconds: 1 } });
    release();
    expect(await Promise.all(running)).toEqual([false, false]);
    // The gate is free again.
    expect(await check.matches(NUMBER, 'ABCDEFGHJK')).toBe(false);
  });
});
