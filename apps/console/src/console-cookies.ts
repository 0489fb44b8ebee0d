/** The console's two cookies: the session's token, and before sign-in the token the sign-in form must echo (login CSRF). */
export const SESSION_COOKIE = 'console_session';
export const SIGN_IN_CSRF_COOKIE = 'console_csrf';

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure when the page came over TLS. */
export function cookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number }): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', ...(options.secure ? ['Secure'] : []), ...(options.maxAgeSeconds !== undefined ? [`Max-Age=${options.maxAgeSeconds}`] : [])].join('; ');
}
