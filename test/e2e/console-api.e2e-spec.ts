import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, loadAppConfig } from '@app/config';
import { ConsoleUserRepository } from '@app/persistence';
import { ConsoleUserAdmin, DevelopmentUsersService } from '@app/workbench';
import { AppProcess, freePort } from '../support/app-process';
import { ConsoleBrowser } from '../support/console-browser';
import { appRoleEnv, openTestDatabase } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// The console's own API as its pages call it: sessions in cookies, CSRF tokens, roles, refusals
// with stable codes, the sign-in backoff, and development users refused in production.
describe('the console API', () => {
  let db: DataSource;
  let consoleApp: AppProcess;
  const auditor = `auditor-${randomUUID().slice(0, 8)}`;
  const auditorPassword = 'a-password-long-enough';
  const victim = `victim-${randomUUID().slice(0, 8)}`;
  const victimPassword = 'another-password-long-enough';

  /** An address of its own for each browser (the console trusts the loopback proxy's X-Forwarded-For): no test meets another's backoff. */
  const ownAddress = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;

  /** A browser of the console started here, from an address of its own unless given one. */
  class Browser extends ConsoleBrowser {
    constructor(address = ownAddress()) {
      super(consoleApp.baseUrl, address);
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    const admin = new ConsoleUserAdmin(new ConsoleUserRepository(db));
    await admin.add(auditor, ['auditor'], auditorPassword);
    await admin.add(victim, ['auditor'], victimPassword);
    consoleApp = await AppProcess.start('console', { ...(await appRoleEnv(testDatabaseUrl())), TRUSTED_PROXY: 'loopback' }, await freePort());
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

  it("refuses a sign-in without the form token, and one with a wrong password, with stable codes; audits a known user's name, never a name as typed", async () => {
    const browser = new Browser();
    await browser.call('GET', '/api/v1/session');
    expect(await browser.call('POST', '/api/v1/sign-in', { name: auditor, password: auditorPassword })).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });
    expect(await browser.signIn(auditor, 'wrong')).toMatchObject({ status: 401, body: { code: 'CONSOLE.BAD_CREDENTIALS' } });
    // A password typed into the name field, and a resident ID: neither may reach the audit.
    const typedPassword = `Tr0ub4dor&3-${randomUUID().slice(0, 8)}`;
    expect(await browser.signIn(typedPassword, 'wrong')).toMatchObject({ status: 401, body: { code: 'CONSOLE.BAD_CREDENTIALS' } });
    expect(await browser.signIn('510802199003071232', 'wrong')).toMatchObject({ status: 401, body: { code: 'CONSOLE.BAD_CREDENTIALS' } });
    expect(await browser.signIn('', '')).toMatchObject({ status: 400, body: { code: 'CONSOLE.INVALID_SIGN_IN' } });

    const audit: { user_name: string; action: string; outcome: string }[] = await db.query(`SELECT user_name, action, outcome FROM console_audit WHERE address = $1 ORDER BY id`, [browser.address]);
    expect(audit.map((a) => [a.user_name, a.action, a.outcome].join(' '))).toEqual([`${auditor} sign-in refused`, '(unknown user) sign-in refused', '(unknown user) sign-in refused']);
    const [{ leaked }] = await db.query(`SELECT count(*)::int AS leaked FROM console_audit WHERE address = $2 AND (user_name IN ($1, '510802199003071232') OR target LIKE '%' || $1 || '%' OR target LIKE '%510802199003071232%')`, [typedPassword, browser.address]);
    expect(leaked).toBe(0);
  });

  it('signs a user added by the CLI in with a session cookie, and gives each role its pages', async () => {
    const browser = new Browser();
    const signedIn = await browser.signIn(auditor, auditorPassword);
    expect(signedIn).toMatchObject({ status: 200, body: { user: { name: auditor, roles: ['auditor'] } } });
    expect(browser.lastSetCookie).toEqual([expect.stringMatching(/^console_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28\d{3}$/), 'console_csrf=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0']);
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
      'check-draft (not a memorandum file) refused',
      'check-draft judgment-debtors.json refused',
      'run-draft-cases no-such-memorandum.json refused',
      'open-draft no-such-memorandum refused',
      'open-draft (not a memorandum id) refused',
    ]);
  });

  it('gives a new session and new CSRF tokens at sign-in and at sign-out: a token from before either is refused', async () => {
    const browser = new Browser();
    // A form token the browser was made to carry (a cookie set by a sibling site, say) lasts only until the sign-in.
    const formToken = 'planted-by-someone-else-0123456789abcdefghij';
    browser.cookies.set('console_csrf', formToken);
    expect((await browser.call('GET', '/api/v1/session')).body.csrfToken).toBe(formToken);
    expect((await browser.signIn(auditor, auditorPassword)).status).toBe(200);
    const first = { session: browser.cookies.get('console_session')!, csrf: browser.csrf };
    expect(first.csrf).not.toBe(formToken);
    expect(browser.cookies.has('console_csrf')).toBe(false);
    expect(await browser.call('POST', '/api/v1/sign-out', {}, { 'x-csrf-token': formToken })).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });

    // A sign-in from a browser that still sends a session cookie (planted, or left over) ends that session, whoever it was for.
    const again = new Browser(browser.address);
    again.csrf = (await again.call('GET', '/api/v1/session')).body.csrfToken;
    again.cookies.set('console_session', first.session);
    const signedIn = await again.call('POST', '/api/v1/sign-in', { name: auditor, password: auditorPassword }, { 'x-csrf-token': again.csrf });
    expect(signedIn.status).toBe(200);
    const second = { session: again.cookies.get('console_session')!, csrf: signedIn.body.csrfToken as string };
    expect(second.session).not.toBe(first.session);
    expect(second.csrf).not.toBe(first.csrf);
    expect((await browser.call('GET', '/api/v1/memoranda')).body.code).toBe('CONSOLE.NOT_SIGNED_IN');
    expect(await again.call('POST', '/api/v1/sign-out', {}, { 'x-csrf-token': first.csrf })).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });

    expect(await again.call('POST', '/api/v1/sign-out', {}, { 'x-csrf-token': second.csrf })).toMatchObject({ status: 200, body: { signedOut: true } });
    expect(again.lastSetCookie).toEqual(['console_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0', expect.stringMatching(/^console_csrf=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/)]);
    const next = (await again.call('GET', '/api/v1/session')).body;
    expect(next.user).toBeNull();
    expect([formToken, first.csrf, second.csrf, again.csrf]).not.toContain(next.csrfToken);
    expect(next.csrfToken).toBe(again.cookies.get('console_csrf'));
    const stale = new Browser(browser.address);
    stale.cookies.set('console_session', second.session);
    expect((await stale.call('GET', '/api/v1/memoranda')).body.code).toBe('CONSOLE.NOT_SIGNED_IN');
  });

  it('counts guesses sent at once before their passwords are checked: of ten, six are checked and four wait; the name waits from any address', async () => {
    const guesser = new Browser();
    guesser.csrf = (await guesser.call('GET', '/api/v1/session')).body.csrfToken;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => guesser.call('POST', '/api/v1/sign-in', { name: victim, password: `guess-${i}` }, { 'x-csrf-token': guesser.csrf })));
    expect(answers.map((a) => a.status).sort()).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429, 429]);
    expect(answers.filter((a) => a.status === 429).every((a) => a.body.code === 'CONSOLE.SIGN_IN_BACKOFF' && Number(a.headers.get('retry-after')) >= 1)).toBe(true);

    // Waited out, one more wrong guess makes the name wait 2 s from when it came in: its owner waits too, from another address.
    const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));
    await sleep(Number(answers.find((a) => a.status === 429)!.headers.get('retry-after')));
    expect((await guesser.call('POST', '/api/v1/sign-in', { name: victim, password: 'guess-10' }, { 'x-csrf-token': guesser.csrf })).status).toBe(401);
    const owner = new Browser();
    const refused = await owner.signIn(victim, victimPassword);
    expect(refused).toMatchObject({ status: 429, body: { code: 'CONSOLE.SIGN_IN_BACKOFF' } });
    await sleep(Number(refused.headers.get('retry-after')));
    expect((await owner.signIn(victim, victimPassword)).status).toBe(200);
    // Only the seven checked were refused for their password; those told to wait were not checked.
    const audit: { user_name: string; outcome: string }[] = await db.query(`SELECT user_name, outcome FROM console_audit WHERE address = $1 AND action = 'sign-in' ORDER BY id`, [guesser.address]);
    expect(audit.map((a) => `${a.user_name} ${a.outcome}`)).toEqual(Array(7).fill(`${victim} refused`));
  });

  it("does not reset an address's count when the guesser signs in with an account of its own", async () => {
    const guesser = new Browser();
    guesser.csrf = (await guesser.call('GET', '/api/v1/session')).body.csrfToken;
    const guess = (name: string, i: number) => guesser.call('POST', '/api/v1/sign-in', { name, password: `guess-${i}` }, { 'x-csrf-token': guesser.csrf });
    // Five guesses on each of two names: each name within its free five, the address at its free ten.
    const names = [`nobody-${randomUUID().slice(0, 8)}`, `nobody-${randomUUID().slice(0, 8)}`];
    const first = await Promise.all(names.flatMap((name) => [0, 1, 2, 3, 4].map((i) => guess(name, i))));
    expect(first.map((a) => a.status)).toEqual(Array(10).fill(401));
    expect((await new Browser(guesser.address).signIn(auditor, auditorPassword)).status).toBe(200);
    // Sent together, the first goes ahead and makes the address wait, the second waits; had the success cleared the address, both would be checked.
    const third = `nobody-${randomUUID().slice(0, 8)}`;
    const after = await Promise.all([guess(third, 0), guess(third, 1)]);
    expect(after.map((a) => a.status).sort()).toEqual([401, 429]);
    // The same name from another address is checked: the address waits, not the name.
    expect((await new Browser().signIn(third, 'guess-2')).status).toBe(401);
  });

  // Last: it leaves the auditor's name waiting out the backoff.
  it('makes a name guessed at wait: five wrong passwords are free, the sixth makes the next try wait (429 CONSOLE.SIGN_IN_BACKOFF, Retry-After), from any address', async () => {
    const browser = new Browser();
    for (let attempt = 0; attempt < 6; attempt++) expect((await browser.signIn(auditor, `wrong-${attempt}`)).status).toBe(401);
    // Waited out, the seventh wrong one makes it wait 2 s from when it came in, from any address.
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await browser.signIn(auditor, 'wrong-6')).status).toBe(401);
    const refused = await new Browser().signIn(auditor, auditorPassword);
    expect(refused).toMatchObject({ status: 429, body: { code: 'CONSOLE.SIGN_IN_BACKOFF' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
