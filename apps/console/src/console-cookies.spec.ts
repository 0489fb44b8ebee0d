import { cookie, readCookie } from './console-cookies';

describe('console cookies', () => {
  it('reads one cookie of a header', () => {
    expect(readCookie('a=1; console_session=abc; b=2', 'console_session')).toBe('abc');
    expect(readCookie('console_session=', 'console_session')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
  });

  it('writes HttpOnly, SameSite=Strict cookies, Secure behind TLS', () => {
    expect(cookie('s', 'v', { secure: false, maxAgeSeconds: 60 })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(cookie('s', 'v', { secure: true })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict; Secure');
  });
});
