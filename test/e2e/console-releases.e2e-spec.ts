import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConsoleUserRepository } from '@app/persistence';
import { ConsoleUserAdmin } from '@app/workbench';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// The console's release routes as its Releases page calls them: the signed-in user is the author,
// approver or actor (never a body field), roles, CSRF, four eyes with the service's code, a draft
// approved and then scheduled and in force, a rollback as a new release, every call audited.
describe('the console release routes', () => {
  let db: DataSource;
  let consoleApp: AppProcess;
  const both = `editor-approver-${randomUUID().slice(0, 8)}`;
  const bothPassword = 'a-password-long-enough';
  const LEAD_MS = 1_500;

  /** A browser's cookie jar, reduced to what these requests need. */
  class Browser {
    private readonly cookies = new Map<string, string>();
    csrf = '';

    async call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = { 'x-csrf-token': this.csrf }): Promise<{ status: number; body: any }> {
      const response = await fetch(`${consoleApp.baseUrl}${path}`, {
        method,
        headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
        if (value) this.cookies.set(name, value);
        else this.cookies.delete(name);
      }
      return { status: response.status, body: await response.json().catch(() => undefined) };
    }

    static async signedIn(name: string, password = `dev-${name}-password`): Promise<Browser> {
      const browser = new Browser();
      browser.csrf = (await browser.call('GET', '/api/v1/session')).body.csrfToken;
      const answer = await browser.call('POST', '/api/v1/sign-in', { name, password });
      expect(answer.status).toBe(200);
      browser.csrf = answer.body.csrfToken;
      return browser;
    }
  }

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('console_releases');
    db = await openTestDatabase(url);
    await truncateAll(db);
    await new ConsoleUserAdmin(new ConsoleUserRepository(db)).add(both, ['policy-editor', 'policy-approver'], bothPassword);
    consoleApp = await AppProcess.start('console', { ...(await appRoleEnv(url)), RELEASE_MIN_LEAD_MS: String(LEAD_MS) }, await freePort());
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await db?.destroy();
  });

  it('lets a policy editor draft the files in rules/ as the author, and refuses other roles and a request without the CSRF token', async () => {
    const office = await Browser.signedIn('office');
    expect(await office.call('POST', '/api/v1/releases/drafts-from-rules', {})).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED', context: { required: ['policy-editor'] } } });
    const editor = await Browser.signedIn('editor');
    expect(await editor.call('POST', '/api/v1/releases/drafts-from-rules', {}, {})).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });

    // An author field in the body is not who the draft is by: the session is.
    const draft = await editor.call('POST', '/api/v1/releases/drafts-from-rules', { notes: 'the rules/ files as they are', author: 'someone-else' });
    expect(draft).toMatchObject({ status: 201, body: { status: 'draft', author: 'editor', approver: null, notes: 'the rules/ files as they are', revision: expect.stringMatching(/^sha256:/) } });
    expect(draft.body.memoranda).toContain('judgment-debtors.json');
    expect(draft.body.content).toBeUndefined();
    expect(await editor.call('POST', '/api/v1/releases/drafts-from-rules', { notes: 42 })).toMatchObject({ status: 400, body: { code: 'RELEASE.INVALID_REQUEST' } });
    // The editor reads the history but does not approve.
    expect(await editor.call('POST', `/api/v1/releases/${draft.body.version}/approve`, { effectiveAt: new Date(Date.now() + 60_000).toISOString() })).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED' } });
    const list = await office.call('GET', '/api/v1/releases');
    expect(list.body.find((r: { version: number }) => r.version === draft.body.version)).toMatchObject({ status: 'draft', author: 'editor' });
  });

  it('refuses an approver who wrote the draft with RELEASE.FOUR_EYES, and audits the refusal', async () => {
    const browser = await Browser.signedIn(both, bothPassword);
    const draft = await browser.call('POST', '/api/v1/releases/drafts-from-rules', {});
    expect(draft).toMatchObject({ status: 201, body: { author: both } });
    const refused = await browser.call('POST', `/api/v1/releases/${draft.body.version}/approve`, { effectiveAt: new Date(Date.now() + 60_000).toISOString() });
    expect(refused).toMatchObject({ status: 403, body: { code: 'RELEASE.FOUR_EYES' } });
    expect((await browser.call('GET', '/api/v1/releases')).body.find((r: { version: number }) => r.version === draft.body.version).status).toBe('draft');
    const audit: { action: string; target: string | null; outcome: string }[] = await db.query(`SELECT action, target, outcome FROM console_audit WHERE user_name = $1 ORDER BY id`, [both]);
    expect(audit.map((a) => [a.action, a.target ?? '', a.outcome].join(' '))).toEqual(['sign-in  ok', 'create-release-draft  ok', `approve-release ${draft.body.version} refused`, 'read-releases  ok']);
  });

  it('approves a draft as the signed-in approver: scheduled until its effective time, then in force; a rollback is a new release; diffs between them', async () => {
    // The development approver is shared by the tests: its rows since this test began, all of them.
    const [{ lastId }] = await db.query(`SELECT coalesce(max(id), 0)::bigint AS "lastId" FROM console_audit`);
    const editor = await Browser.signedIn('editor');
    const approver = await Browser.signedIn('approver');
    const draft = (await editor.call('POST', '/api/v1/releases/drafts-from-rules', {})).body;
    expect(await approver.call('POST', `/api/v1/releases/${draft.version}/approve`, { effectiveAt: new Date(Date.now() + 100).toISOString() })).toMatchObject({ status: 422, body: { code: 'RELEASE.EFFECTIVE_TOO_SOON' } });
    expect(await approver.call('POST', `/api/v1/releases/${draft.version}/approve`, {}, {})).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });

    const effectiveAt = new Date(Date.now() + LEAD_MS + 1_000);
    // An approver field in the body does not name the approver: the session does.
    const approved = await approver.call('POST', `/api/v1/releases/${draft.version}/approve`, { effectiveAt: effectiveAt.toISOString(), approver: 'someone-else' });
    expect(approved).toMatchObject({ status: 200, body: { version: draft.version, status: 'scheduled', approver: 'approver', effectiveAt: effectiveAt.toISOString() } });
    expect(await approver.call('POST', `/api/v1/releases/${draft.version}/approve`, { effectiveAt: new Date(Date.now() + 60_000).toISOString() })).toMatchObject({ status: 409, body: { code: 'RELEASE.NOT_DRAFT' } });
    await new Promise((r) => setTimeout(r, effectiveAt.getTime() - Date.now() + 100));
    expect((await editor.call('GET', '/api/v1/releases')).body.find((r: { version: number }) => r.version === draft.version).status).toBe('in-force');

    const office = await Browser.signedIn('office');
    expect(await office.call('POST', `/api/v1/releases/${draft.version}/rollback`, {})).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED', context: { required: ['policy-approver'] } } });
    const rollback = await approver.call('POST', `/api/v1/releases/${draft.version}/rollback`, { notes: 'back to the reviewed set', actor: 'someone-else' });
    expect(rollback).toMatchObject({ status: 201, body: { status: 'scheduled', approver: 'approver', author: 'editor', rolledBackFrom: draft.version, notes: 'back to the reviewed set', revision: draft.revision } });
    expect(rollback.body.version).toBeGreaterThan(draft.version);

    const diff = await office.call('GET', `/api/v1/releases/${draft.version}/diff/${rollback.body.version}`);
    expect(diff).toMatchObject({ status: 200, body: { from: { version: draft.version, revision: draft.revision }, to: { version: rollback.body.version, revision: draft.revision } } });
    expect(await office.call('GET', `/api/v1/releases/${draft.version}/diff/999999`)).toMatchObject({ status: 404, body: { code: 'RELEASE.NOT_FOUND' } });
    expect(await office.call('GET', `/api/v1/releases/x/diff/1`)).toMatchObject({ status: 400, body: { code: 'RELEASE.INVALID_REQUEST' } });

    const audit: { action: string; target: string | null; outcome: string }[] = await db.query(`SELECT action, target, outcome FROM console_audit WHERE user_name = 'approver' AND id > $1 ORDER BY id`, [lastId]);
    expect(audit.map((a) => [a.action, a.target ?? '', a.outcome].join(' '))).toEqual([
      'sign-in  ok',
      `approve-release ${draft.version} refused`,
      'request-refused POST /api/v1/releases/:version/approve CONSOLE.CSRF_REFUSED refused',
      `approve-release ${draft.version} ok`,
      `approve-release ${draft.version} refused`,
      `rollback-release ${draft.version} ok`,
    ]);
  });
  it("submits the draft editor's file as a release draft by the signed-in editor, which another approver approves and its author cannot; a refused or unchanged draft is not stored; every call audited", async () => {
    const [{ since }] = await db.query(`SELECT clock_timestamp() AS since`);
    const editor = await Browser.signedIn('editor');
    const approver = await Browser.signedIn('approver');
    const file = 'judgment-debtors.json';
    const written: string = (await editor.call('GET', '/api/v1/drafts/judgment-debtors')).body.content;
    const changed = written.replace('限制失信被执行人作为供应商参加政府采购活动。', '限制失信被执行人作为供应商参加政府采购活动（含框架协议采购）。');
    expect(changed).not.toBe(written);
    const count = async () => Number((await db.query(`SELECT count(*) AS n FROM rule_release`))[0].n);
    const before = await count();

    // Roles and CSRF as for every change.
    expect(await approver.call('POST', '/api/v1/releases/drafts', { file, content: changed })).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED', context: { required: ['policy-editor'] } } });
    expect(await editor.call('POST', '/api/v1/releases/drafts', { file, content: changed }, {})).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });
    // A draft the engine would refuse: its focused problems, nothing stored.
    const typo = written.replace('"operator": "equal"', '"operator": "equall"');
    const refused = await editor.call('POST', '/api/v1/releases/drafts', { file, content: typo, notes: 'typo' });
    expect(refused).toMatchObject({ status: 422, body: { code: 'CONSOLE.DRAFT_REFUSED', context: { refusal: 'RULES.INVALID_FILE' } } });
    expect(refused.body.context.problems).toEqual([expect.objectContaining({ file, value: 'equall', suggestion: 'equal', path: expect.stringMatching(/\.operator$/) })]);
    expect(await editor.call('POST', '/api/v1/releases/drafts', { file: '../memorandum.schema.json', content: changed })).toMatchObject({ status: 400, body: { code: 'CONSOLE.INVALID_DRAFT' } });
    expect(await editor.call('POST', '/api/v1/releases/drafts', { file, content: changed, notes: 42 })).toMatchObject({ status: 400, body: { code: 'RELEASE.INVALID_REQUEST' } });
    // The file as it is in rules/ is the rule set in force (the release in force, or rules/ before any): nothing to approve.
    expect(await editor.call('POST', '/api/v1/releases/drafts', { file, content: written })).toMatchObject({ status: 409, body: { code: 'RELEASE.NO_CHANGE' } });
    expect(await count()).toBe(before);

    // The author is the session, not a body field; the content is rules/ with the draft in place of its file.
    const submitted = await editor.call('POST', '/api/v1/releases/drafts', { file, content: changed, notes: 'JD-01 含框架协议采购', author: 'someone-else' });
    expect(submitted).toMatchObject({ status: 201, body: { status: 'draft', author: 'editor', approver: null, notes: 'JD-01 含框架协议采购', revision: expect.stringMatching(/^sha256:/) } });
    expect(submitted.body.memoranda).toContain(file);
    expect(await count()).toBe(before + 1);
    const fromRules = (await editor.call('POST', '/api/v1/releases/drafts-from-rules', {})).body;
    expect(submitted.body.revision).not.toBe(fromRules.revision);
    const [stored] = await db.query(`SELECT content FROM rule_release WHERE version = $1`, [submitted.body.version]);
    expect(stored.content.memoranda[file]).toBe(changed);
    expect(stored.content.memoranda['wage-arrears.json']).toBeDefined();
    const diff = await editor.call('GET', `/api/v1/releases/${fromRules.version}/diff/${submitted.body.version}`);
    expect(JSON.stringify(diff.body.diff)).toContain('JD-01');

    // Four eyes: a user with both roles cannot approve what they submitted; another approver can.
    const bothBrowser = await Browser.signedIn(both, bothPassword);
    const own = await bothBrowser.call('POST', '/api/v1/releases/drafts', { file, content: changed.replace('（含框架协议采购）', '（含框架协议）') });
    expect(own).toMatchObject({ status: 201, body: { author: both } });
    expect(await bothBrowser.call('POST', `/api/v1/releases/${own.body.version}/approve`, { effectiveAt: new Date(Date.now() + 60_000).toISOString() })).toMatchObject({ status: 403, body: { code: 'RELEASE.FOUR_EYES' } });
    const approved = await approver.call('POST', `/api/v1/releases/${submitted.body.version}/approve`, { effectiveAt: new Date(Date.now() + 60_000).toISOString() });
    expect(approved).toMatchObject({ status: 200, body: { version: submitted.body.version, status: 'scheduled', author: 'editor', approver: 'approver' } });

    const audit: { user_name: string; action: string; target: string | null; outcome: string }[] = await db.query(
      `SELECT user_name, action, target, outcome FROM console_audit WHERE action IN ('submit-draft-release', 'request-refused') AND at >= $1 ORDER BY id`,
      [since],
    );
    expect(audit.map((a) => [a.user_name, a.action, a.target ?? '', a.outcome].join(' '))).toEqual([
      'approver request-refused POST /api/v1/releases/drafts CONSOLE.ROLE_REQUIRED refused',
      'editor request-refused POST /api/v1/releases/drafts CONSOLE.CSRF_REFUSED refused',
      `editor submit-draft-release ${file} refused`,
      'editor submit-draft-release (not a memorandum file) refused',
      `editor submit-draft-release ${file} refused`,
      `editor submit-draft-release ${file} refused`,
      `editor submit-draft-release ${file} ok`,
      `${both} submit-draft-release ${file} ok`,
    ]);
  });

  it('takes a change of what a memorandum decides with the rule cases that show it: refused with the cases in force failing, run and submitted with the revised ones, which the release keeps', async () => {
    const editor = await Browser.signedIn('editor');
    const file = 'judgment-debtors.json';
    const opened = (await editor.call('GET', '/api/v1/drafts/judgment-debtors')).body as { content: string; casesFile: string; cases: string };
    expect(opened.casesFile).toBe('judgment-debtors.cases.json');
    expect(JSON.parse(opened.cases).memorandum).toBe('judgment-debtors');
    // The policy change: JD-03 leaves every rule; the cases in force still expect it.
    const memorandum = JSON.parse(opened.content) as { rules: { measures: string[] }[] };
    for (const rule of memorandum.rules) rule.measures = rule.measures.filter((code) => code !== 'JD-03');
    const content = `${JSON.stringify(memorandum, null, 2)}\n`;
    const revised = JSON.parse(opened.cases) as { cases: { expect: { measures: { code: string }[] } }[] };
    for (const ruleCase of revised.cases) ruleCase.expect.measures = ruleCase.expect.measures.filter((m) => m.code !== 'JD-03');
    const cases = `${JSON.stringify(revised, null, 2)}\n`;

    const withOld = await editor.call('POST', '/api/v1/drafts/cases', { file, content });
    expect(withOld.body.accepted).toBe(true);
    expect(withOld.body.cases.some((c: { passed: boolean }) => !c.passed)).toBe(true);
    const refused = await editor.call('POST', '/api/v1/releases/drafts', { file, content, notes: 'JD-03 removed' });
    expect(refused).toMatchObject({ status: 422, body: { code: 'RELEASE.INVALID_CONTENT' } });
    expect(refused.body.context.problems.every((p: { code: string }) => p.code === 'RULES.CASE_FAILED')).toBe(true);
    // The failing cases' subjects go back masked, as on the page: no resident ID whole.
    expect(JSON.stringify(refused.body)).toMatch(/\*{4}/);
    expect(JSON.stringify(refused.body)).not.toMatch(/\d{17}[\dX]/);

    const withNew = await editor.call('POST', '/api/v1/drafts/cases', { file, content, cases });
    expect(withNew.body.cases.length).toBe(revised.cases.length);
    expect(withNew.body.cases.every((c: { passed: boolean }) => c.passed)).toBe(true);
    // Broken cases are a focused problem of the check, on their own file, not a 500.
    const broken = await editor.call('POST', '/api/v1/drafts/check', { file, content, cases: '{ "memorandum": ' });
    expect(broken).toMatchObject({ status: 200, body: { accepted: false } });
    expect(broken.body.errors).toEqual([expect.objectContaining({ file: 'judgment-debtors.cases.json', code: 'RULES.INVALID_CASES' })]);

    const submitted = await editor.call('POST', '/api/v1/releases/drafts', { file, content, cases, notes: 'JD-03 removed, with its cases' });
    expect(submitted).toMatchObject({ status: 201, body: { status: 'draft', author: 'editor' } });
    const [stored] = await db.query(`SELECT content FROM rule_release WHERE version = $1`, [submitted.body.version]);
    expect(stored.content.memoranda[file]).toBe(content);
    expect(stored.content.cases['judgment-debtors.cases.json']).toBe(cases);
    expect(stored.content.cases['wage-arrears.cases.json']).toBeDefined();
  });
});
