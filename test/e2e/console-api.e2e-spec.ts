import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, loadAppConfig } from '@app/config';
import { ConsoleUserRepository } from '@app/persistence';
import { ConsoleUserAdmin, DevelopmentUsersService } from '@app/workbench';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// The console's own API as its pages call it: sessions in cookies, CSRF tokens, roles, refusals
// with stable codes, the sign-in backoff, and development users refused in production.
describe('the console API', () => {
  let db: DataSource;
  let consoleApp: AppProcess;
  const auditor = `auditor-${randomUUID().slice(0, 8)}`;
  const auditorPassword = 'a-password-long-enough';

  /** A browser's cookie jar, reduced to what these requests need. */
  class Browser {
    private readonly cookies = new Map<string, string>();
    csrf = '';
    lastSetCookie: string[] = [];

    async call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
      const response = await fetch(`${consoleApp.baseUrl}${path}`, {
        method,
        headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
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

  beforeAll(async () => {
    db = await openTestDatabase();
    await new ConsoleUserAdmin(new ConsoleUserRepository(db)).add(auditor, ['auditor'], auditorPassword);
    consoleApp = await AppProcess.start('console', await appRoleEnv(testDatabaseUrl()), await freePort());
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await db?.destroy();
  });

  it('answers an anonymous page with no user and a sign-in token in an HttpOnly, SameSite=Strict cookie', async () => {
    const browser = new Browser();
    const session = await browser.call('GET', '/api/v1/session');
    expect(session).toMatchObject({ status: 200, body: { user: null, csrfToken: expect.any(String) } });
    expect(browser.lastSetCookie).toEqual([expect.stringMatching(/^console_csrf=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/)]);
    expect((await browser.call('GET', '/api/v1/memoranda')).body.code).toBe('CONSOLE.NOT_SIGNED_IN');
  });

  it('refuses a sign-in without the form token, and one with a wrong password, with stable codes', async () => {
    const browser = new Browser();
    await browser.call('GET', '/api/v1/session');
    expect(await browser.call('POST', '/api/v1/sign-in', { name: auditor, password: auditorPassword })).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });
    expect(await browser.signIn(auditor, 'wrong')).toMatchObject({ status: 401, body: { code: 'CONSOLE.BAD_CREDENTIALS' } });
    expect(await browser.signIn('no-such-user', 'wrong')).toMatchObject({ status: 401, body: { code: 'CONSOLE.BAD_CREDENTIALS' } });
    expect(await browser.signIn('', '')).toMatchObject({ status: 400, body: { code: 'CONSOLE.INVALID_SIGN_IN' } });
  });

  it('signs a user added by the CLI in with a session cookie, and gives each role its pages', async () => {
    const browser = new Browser();
    const signedIn = await browser.signIn(auditor, auditorPassword);
    expect(signedIn).toMatchObject({ status: 200, body: { user: { name: auditor, roles: ['auditor'] } } });
    expect(browser.lastSetCookie).toEqual([expect.stringMatching(/^console_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28\d{3}$/)]);
    const list = await browser.call('GET', '/api/v1/memoranda');
    expect(list.body.map((m: { id: string }) => m.id)).toContain('judgment-debtors');
    expect(await browser.call('GET', '/api/v1/memoranda/no-such-memorandum')).toMatchObject({ status: 404, body: { code: 'CONSOLE.UNKNOWN_MEMORANDUM' } });
    expect((await browser.call('GET', '/api/v1/overview?from=2026-11-01&to=2026-11-30')).body.performance.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(await browser.call('GET', '/api/v1/overview?from=2026-11-30&to=2026-11-01')).toMatchObject({ status: 400, body: { code: 'REQUEST.BAD_PERIOD' } });

    const editor = new Browser();
    expect((await editor.signIn('editor', 'dev-editor-password')).status).toBe(200);
    expect(await editor.call('GET', '/api/v1/overview')).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED', context: { required: ['credit-office', 'auditor'] } } });
    // Another session's CSRF token does not do.
    expect(await editor.call('POST', '/api/v1/sign-out', {}, { 'x-csrf-token': browser.csrf })).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });
    expect(await editor.call('POST', '/api/v1/sign-out', {}, { 'x-csrf-token': editor.csrf })).toMatchObject({ status: 200, body: { signedOut: true } });
    expect((await editor.call('GET', '/api/v1/memoranda')).body.code).toBe('CONSOLE.NOT_SIGNED_IN');

    const audit: { action: string; target: string | null; outcome: string }[] = await db.query(`SELECT action, target, outcome FROM console_audit WHERE user_name = $1 ORDER BY id`, [auditor]);
    expect(audit.map((a) => [a.action, a.target, a.outcome].join(' '))).toEqual(['sign-in  refused', 'sign-in  ok', 'read-memoranda  ok', 'read-memorandum no-such-memorandum refused', 'read-overview 2026-11-01..2026-11-30 ok', 'read-overview 2026-11-30..2026-11-01 refused']);
  });

  it('refuses the development users in production while they keep their development passwords', async () => {
    const users = new ConsoleUserRepository(db);
    // The console that started above created them (development mode).
    expect(await users.findByName('editor')).not.toBeNull();
    const production = new DevelopmentUsersService(users, { ...loadAppConfig({}), NODE_ENV: 'production' } as AppConfig);
    await expect(production.onModuleInit()).rejects.toThrow(/console user "editor" still has its development password/);
  });

  it("checks a policy editor's draft as the engine would and runs its rule cases on it, nothing saved; for editors only, with the CSRF token, audited", async () => {
    // The development editor is shared with other specs on this database: count only this test's rows.
    const [{ since }] = await db.query(`SELECT clock_timestamp() AS since`);
    const editor = new Browser();
    expect((await editor.signIn('editor', 'dev-editor-password')).status).toBe(200);
    const csrf = { 'x-csrf-token': editor.csrf };
    const opened = await editor.call('GET', '/api/v1/drafts/judgment-debtors');
    expect(opened).toMatchObject({ status: 200, body: { memorandum: 'judgment-debtors', file: 'judgment-debtors.json', content: expect.stringContaining('"operator": "equal"') } });
    const written: string = opened.body.content;
    // The registries' values the editor completes: departments, lists, instruments in force, event types.
    const { vocabulary } = opened.body;
    expect(vocabulary.departments).toContainEqual({ code: 'finance', name: expect.objectContaining({ zh: '区财政局' }) });
    expect(vocabulary.lists.map((l: { code: string }) => l.code)).toContain('judgment-debtor');
    expect(vocabulary.instruments.map((i: { id: string }) => i.id)).toContain('government-procurement-law');
    expect(vocabulary.eventTypes).toContain('credit.judgment-debtor.listed.v1');
    const typo = written.replace('"operator": "equal"', '"operator": "equall"');

    const checked = await editor.call('POST', '/api/v1/drafts/check', { file: 'judgment-debtors.json', content: typo }, csrf);
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ accepted: false, refusal: 'RULES.INVALID_FILE', warnings: [] });
    expect(checked.body.errors).toEqual([expect.objectContaining({ severity: 'error', file: 'judgment-debtors.json', path: expect.stringMatching(/^\$\.rules\[\d+\]\.conditions\..*\.operator$/), value: 'equall', suggestion: 'equal' })]);
    expect(await editor.call('POST', '/api/v1/drafts/cases', { file: 'judgment-debtors.json', content: typo }, csrf)).toMatchObject({ status: 200, body: { accepted: false, cases: [], errors: [expect.objectContaining({ suggestion: 'equal' })] } });

    expect(await editor.call('POST', '/api/v1/drafts/check', { file: 'judgment-debtors.json', content: written }, csrf)).toMatchObject({ status: 200, body: { accepted: true, errors: [] } });
    // The memorandum rendered from the draft as its page renders it: a changed measure shows, with its legal basis and the rules in words.
    const reworded = written.replace('限制失信被执行人作为供应商参加政府采购活动。', '限制失信被执行人参加政府采购活动（草稿措辞）。');
    const viewed = (await editor.call('POST', '/api/v1/drafts/check', { file: 'judgment-debtors.json', content: reworded }, csrf)).body;
    expect(viewed.view).toMatchObject({ id: 'judgment-debtors', documentNumber: '发改财金〔2016〕141号', revision: expect.stringMatching(/^sha256:/) });
    expect(viewed.view.measures[0]).toMatchObject({ code: 'JD-01', text: { zh: '限制失信被执行人参加政府采购活动（草稿措辞）。' }, implementingDepartment: { code: 'finance', name: { zh: '区财政局' } } });
    expect(viewed.view.measures[0].legalBasis[0]).toMatchObject({ instrument: { id: 'government-procurement-law' }, article: '第二十二条第一款' });
    expect(viewed.view.rules[0].sentence.zh).toContain('JD-01 … JD-07');
    expect(viewed.view.cases).toBeUndefined();
    expect(checked.body.view).toBeUndefined();
    // Text that is not JSON is a problem of the draft, not a bad request.
    expect(await editor.call('POST', '/api/v1/drafts/check', { file: 'judgment-debtors.json', content: '{ "id": ' }, csrf)).toMatchObject({ status: 200, body: { accepted: false, refusal: 'RULES.INVALID_FILE', errors: [expect.objectContaining({ file: 'judgment-debtors.json', path: '$' })] } });
    const run = await editor.call('POST', '/api/v1/drafts/cases', { file: 'judgment-debtors.json', content: written }, csrf);
    expect(run.body.accepted).toBe(true);
    expect(run.body.cases.length).toBeGreaterThan(0);
    expect(run.body.cases.filter((c: { passed: boolean }) => !c.passed)).toEqual([]);
    // Case events carry (made-up) resident IDs: a page shows them masked.
    expect(JSON.stringify(run.body)).not.toMatch(/\b\d{17}[\dX]\b/);

    expect(await editor.call('POST', '/api/v1/drafts/check', { file: 'judgment-debtors.json', content: written })).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });
    expect(await editor.call('POST', '/api/v1/drafts/check', { file: '../memorandum.schema.json', content: written }, csrf)).toMatchObject({ status: 400, body: { code: 'CONSOLE.INVALID_DRAFT' } });
    expect(await editor.call('POST', '/api/v1/drafts/check', { file: 'judgment-debtors.json', content: 42 }, csrf)).toMatchObject({ status: 400, body: { code: 'CONSOLE.INVALID_DRAFT' } });
    expect(await editor.call('POST', '/api/v1/drafts/cases', { file: 'no-such-memorandum.json', content: written }, csrf)).toMatchObject({ status: 404, body: { code: 'CONSOLE.UNKNOWN_MEMORANDUM' } });
    expect(await editor.call('GET', '/api/v1/drafts/no-such-memorandum')).toMatchObject({ status: 404, body: { code: 'CONSOLE.UNKNOWN_MEMORANDUM' } });
    const pasted = await editor.call('GET', '/api/v1/drafts/510802199003071232');
    expect(pasted).toMatchObject({ status: 404, body: { code: 'CONSOLE.UNKNOWN_MEMORANDUM' } });
    expect(JSON.stringify(pasted.body)).not.toContain('510802199003071232');

    const auditorBrowser = new Browser();
    expect((await auditorBrowser.signIn(auditor, auditorPassword)).status).toBe(200);
    for (const [method, path] of [['GET', '/api/v1/drafts/judgment-debtors'], ['POST', '/api/v1/drafts/check'], ['POST', '/api/v1/drafts/cases']] as const) {
      expect(await auditorBrowser.call(method, path, method === 'POST' ? { file: 'judgment-debtors.json', content: written } : undefined, { 'x-csrf-token': auditorBrowser.csrf })).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED', context: { required: ['policy-editor'] } } });
    }

    // Refused by the guard (its role): audited too, by route template.
    const refusals: { target: string }[] = await db.query(`SELECT target FROM console_audit WHERE user_name = $1 AND action = 'request-refused' AND at >= $2 ORDER BY id`, [auditor, since]);
    expect(refusals.map((r) => r.target)).toEqual(['GET /api/v1/drafts/:id CONSOLE.ROLE_REQUIRED', 'POST /api/v1/drafts/check CONSOLE.ROLE_REQUIRED', 'POST /api/v1/drafts/cases CONSOLE.ROLE_REQUIRED']);

    const audit: { action: string; target: string | null; outcome: string }[] = await db.query(`SELECT action, target, outcome FROM console_audit WHERE user_name = 'editor' AND action LIKE '%draft%' AND at >= $1 ORDER BY id`, [since]);
    expect(audit.map((a) => [a.action, a.target, a.outcome].join(' '))).toEqual([
      'open-draft judgment-debtors ok',
      'check-draft judgment-debtors.json ok',
      'run-draft-cases judgment-debtors.json ok',
      'check-draft judgment-debtors.json ok',
      'check-draft judgment-debtors.json ok',
      'check-draft judgment-debtors.json ok',
      'run-draft-cases judgment-debtors.json ok',
      'check-draft ../memorandum.schema.json refused',
      'check-draft judgment-debtors.json refused',
      'run-draft-cases no-such-memorandum.json refused',
      'open-draft no-such-memorandum refused',
      'open-draft (not a memorandum id) refused',
    ]);
  });

  // Last: it leaves this address waiting out the backoff.
  it('makes a name guessed at wait: five wrong passwords are free, the sixth makes the next try wait (429 CONSOLE.SIGN_IN_BACKOFF, Retry-After)', async () => {
    const browser = new Browser();
    for (let attempt = 0; attempt < 6; attempt++) expect((await browser.signIn(auditor, `wrong-${attempt}`)).status).toBe(401);
    const refused = await browser.signIn(auditor, auditorPassword);
    expect(refused).toMatchObject({ status: 429, body: { code: 'CONSOLE.SIGN_IN_BACKOFF' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
