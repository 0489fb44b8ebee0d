/**
 * A browser's cookie jar and CSRF token against one console, reduced to what the e2e specs'
 * requests need; from an address of its own when given one (the console trusts the loopback
 * proxy's X-Forwarded-For), so that no test meets another's sign-in backoff.
 */
export class ConsoleBrowser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  lastSetCookie: string[] = [];

  constructor(
    private readonly baseUrl: string,
    readonly address?: string,
  ) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(this.address ? { 'x-forwarded-for': this.address } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    this.lastSetCookie = response.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return { status: response.status, body: await response.json().catch(() => undefined), headers: response.headers };
  }

  async signIn(name: string, password: string) {
    this.csrf = (await this.call('GET', '/api/v1/session')).body.csrfToken;
    const answer = await this.call('POST', '/api/v1/sign-in', { name, password }, { 'x-csrf-token': this.csrf });
    if (answer.status === 200) this.csrf = answer.body.csrfToken;
    return answer;
  }
}
