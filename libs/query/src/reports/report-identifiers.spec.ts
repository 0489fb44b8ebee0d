import { CODE_ALPHABET, CODE_LENGTH, codeMatches, formatReportNumber, hashVerificationCode, isReportNumber, newVerificationCode, normaliseCode } from './report-identifiers';

describe('report numbers', () => {
  it('are XYBG, the China date and the sequence padded to six digits', () => {
    expect(formatReportNumber('2026-12-01', 123)).toBe('XYBG-20261201-000123');
    expect(formatReportNumber('2026-12-01', 1_234_567)).toBe('XYBG-20261201-1234567');
    expect(isReportNumber('XYBG-20261201-000123')).toBe(true);
    expect(isReportNumber('XYBG-20261201-123')).toBe(false);
    expect(isReportNumber('xybg-20261201-000123')).toBe(false);
    expect(() => formatReportNumber('2026-12-01', 0)).toThrow(RangeError);
  });
});

describe('verification codes', () => {
  it('are CODE_LENGTH characters of the unambiguous alphabet, and differ', () => {
    const codes = Array.from({ length: 200 }, newVerificationCode);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
    expect(new Set(codes).size).toBe(codes.length);
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('are stored as a salted scrypt hash that matches only the code, typed in any case or with spaces', async () => {
    const code = newVerificationCode();
    const stored = await hashVerificationCode(code);
    expect(stored).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(stored).not.toContain(code);
    expect(await hashVerificationCode(code)).not.toBe(stored);
    expect(await codeMatches(code, stored)).toBe(true);
    expect(await codeMatches(`${code.slice(0, 5).toLowerCase()} ${code.slice(5)}`, stored)).toBe(true);
    const other = code.slice(0, -1) + (code.endsWith('2') ? '3' : '2');
    expect(await codeMatches(other, stored)).toBe(false);
    expect(await codeMatches(code, 'sha256$00$00')).toBe(false);
    expect(normaliseCode(' ab-cd ')).toBe('ABCD');
  });
});
