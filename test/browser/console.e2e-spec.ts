import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ingestClient } from '@credit-engine/client';
import { chinaDate } from '@app/domain';
import { ConsoleUserRepository, RuleReleaseRepository } from '@app/persistence';
import { readRuleContent } from '@app/rules';
import { loadAppConfig } from '@app/config';
import { ReleaseService } from '@app/policy';
import { ConsoleUserAdmin } from '@app/workbench';
import { AppProcess, freePort, startEmbeddedApps } from '../support/app-process';
import { appRoleEnv, openTestDatabase, truncateAll } from '../support/database';
import { testDatabaseUrl } from '../support/test-database';

// The policy console in real Chromium (Debian's package, scripts/install-browser.sh), driven by
// playwright-core: a person signs in, reads a memorandum in both languages, signs out; the credit
// office sees the district; the editor drafts a memorandum. Each step leaves a screenshot in test-artifacts/console/.
const CHROMIUM = '/usr/bin/chromium';
// Headless on a closed network: without the background-networking flags Chromium keeps trying to reach out.
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = resolve(__dirname, '../../test-artifacts/console');
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8'));
// Decided today, so the court publishes on time in the period the district page shows.
listing.data.decidedOn = chinaDate(new Date());
listing.time = new Date().toISOString();

describe('the policy console in Chromium', () => {
  let db: DataSource;
  // The console audit is kept across suites (other specs sign in as editor too): this suite reads only the rows after this id.
  let auditBefore: number;
  let apps: AppProcess[] = [];
  let consoleApp: AppProcess;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** The fonts Chromium drew an element's text with (CDP CSS.getPlatformFontsForNode). */
  async function fontsOf(selector: string): Promise<string[]> {
    const cdp = await context.newCDPSession(page);
    try {
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = await cdp.send('DOM.getDocument');
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      return fonts.map((f) => f.familyName);
    } finally {
      await cdp.detach();
    }
  }

  async function signIn(name: string, password: string): Promise<void> {
    await page.getByLabel(/用户名|User name/).fill(name);
    await page.getByLabel(/密码|Password/).fill(password);
    await page.getByTestId('sign-in-submit').click();
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/install-browser.sh (as root; .ci/run does)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await openTestDatabase();
    await truncateAll(db);
    auditBefore = Number((await db.query(`SELECT coalesce(max(id), 0) AS id FROM console_audit`))[0].id);
    const env = { ...(await appRoleEnv(testDatabaseUrl())), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' };
    const [[ingest, engine, query], console] = await Promise.all([startEmbeddedApps(env), freePort().then((port) => AppProcess.start('console', env, port))]);
    apps = [ingest, engine, query, console];
    consoleApp = console;
    // One decided event, so the credit office's page has a department and a decision to show.
    expect((await ingestClient(ingest.baseUrl, 'dev-court-token').POST('/v1/events', { body: listing })).response.status).toBe(202);
    const deadline = Date.now() + 20_000;
    while (Number((await db.query(`SELECT count(*) AS n FROM decision`))[0].n) === 0) {
      if (Date.now() > deadline) throw new Error(`the listing was not decided:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Finance reports back on one of its tasks: a feedback rate above nought to draw.
    const [task] = await db.query(`SELECT id FROM measure_task WHERE implementing_department = 'finance' ORDER BY id LIMIT 1`);
    const feedback = await fetch(`${query.baseUrl}/v1/tasks/${task.id}/feedback`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-finance-token', 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'applied', businessReference: '利州采〔2026〕18号', appliedOn: chinaDate(new Date()), operator: 'finance-clerk-07' }),
    });
    expect(feedback.status).toBe(201);
    profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    // A fresh profile each run (a --user-data-dir in launch() args would throw).
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1440, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await Promise.all(apps.map((app) => app.stop()));
    await db?.destroy();
  });

  it('refuses a wrong password and says so in Chinese', async () => {
    await page.goto(`${consoleApp.baseUrl}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await signIn('editor', 'not-the-password');
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toBe('用户名或密码错误');
    await shot('01-wrong-password');
  });

  it('signs the editor in, shows the memorandum with its measures and rules in plain language, in both languages', async () => {
    await signIn('editor', 'dev-editor-password');
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toContain('editor · 政策编辑');
    await page.getByTestId('memoranda-table').waitFor();
    await shot('02-memoranda');

    await page.getByTestId('memorandum-link-judgment-debtors').click();
    const measures = page.getByTestId('measures-table');
    await measures.waitFor();
    expect(page.url()).toBe(`${consoleApp.baseUrl}/memoranda/judgment-debtors`);
    await expect(page.getByTestId('document-number').textContent()).resolves.toBe('发改财金〔2016〕141号');
    const firstRow = await measures.locator('tbody tr').first().innerText();
    expect(firstRow).toContain('JD-01');
    expect(firstRow).toContain('限制失信被执行人作为供应商参加政府采购活动。');
    expect(firstRow).toContain('区财政局');
    expect(firstRow).toContain('《中华人民共和国政府采购法》 第二十二条第一款');
    const rules = await page.getByTestId('rule-sentence').allInnerTexts();
    expect(rules[0]).toContain('当区人民法院发布失信被执行人名单（严重；企业、社会组织或事业单位）时 → JD-01 … JD-07');
    expect(await page.getByTestId('cases-table').innerText()).toContain('✓ 通过');
    // Drawn with the Simplified Chinese face, not boxes nor the Japanese one (what lang="zh-CN" is for).
    expect(await fontsOf('[data-testid="memorandum-title"]')).toContain('Noto Sans CJK SC');
    await shot('03-memorandum-zh');

    await page.getByTestId('language-switch').click();
    await expect(page.getByTestId('rule-sentence').first().innerText()).resolves.toContain(
      "when the District People's Court publishes a listing on the List of dishonest judgment debtors of serious severity about an enterprise",
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await measures.locator('thead').innerText()).toContain('Legal basis');
    await shot('04-memorandum-en');
    await page.getByTestId('language-switch').click();
    await expect(page.getByTestId('measures-table').locator('thead').innerText()).resolves.toContain('法律依据');
    // The editor has no district page: no link, and the API refuses it.
    expect(await page.getByTestId('nav-overview').count()).toBe(0);
  });

  it("lets the editor open JD's memorandum as a draft, see an operator typo's focused message with its suggestion, fix it and run the cases", async () => {
    await page.goto(`${consoleApp.baseUrl}/memoranda/judgment-debtors`);
    await page.getByTestId('open-draft').click();
    expect(page.url()).toBe(`${consoleApp.baseUrl}/memoranda/judgment-debtors/draft`);
    await expect(page.getByTestId('draft-not-saved').textContent()).resolves.toContain('草稿尚未保存');
    const status = page.getByTestId('draft-status');
    await status.filter({ hasText: /^没有错误$/ }).waitFor();

    // CodeMirror draws only the lines in view: scroll until the first `"operator": "equal"` line is drawn.
    const line = page.getByTestId('draft-editor').locator('.cm-line', { hasText: '"operator": "equal",' }).first();
    for (let scrolled = 0; (await line.count()) === 0; scrolled += 300) {
      if (scrolled > 50_000) throw new Error('no "operator": "equal" line in the editor');
      await page.getByTestId('draft-editor').locator('.cm-scroller').evaluate((scroller, top) => scroller.scrollTo(0, top), scrolled);
    }
    await line.click();
    // End of the line, then back over `",` : the cursor sits right after `equal`.
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('l');
    const problem = page.getByTestId('draft-problem');
    await problem.first().waitFor();
    await status.filter({ hasText: /^引擎将拒绝此规则集/ }).waitFor();
    expect(await problem.count()).toBe(1);
    const message = await problem.innerText();
    expect(message).toContain('equall');
    expect(message).toMatch(/\$\.rules\[\d+\]\.conditions\..*\.operator/);
    await expect(page.getByTestId('draft-suggestion').innerText()).resolves.toContain('是否应为 “equal”');
    // Marked in the text too: the lint underline sits on the value written.
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.locator('.cm-lintRange-error').first().textContent()).toContain('equall');
    await shot('04a-draft-typo');

    await page.keyboard.press('Backspace');
    await status.filter({ hasText: /^没有错误$/ }).waitFor();
    expect(await problem.count()).toBe(0);
    await page.getByTestId('run-draft-cases').click();
    const cases = page.getByTestId('draft-cases-table');
    await cases.waitFor();
    const rows = await cases.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain('✓ 通过');
    await shot('04b-draft-cases');
  });

  it('completes an operator from the schema, renders a changed measure beside the editor, keeps the draft for the what-if page and submits it for approval', async () => {
    const status = page.getByTestId('draft-status');
    /** CodeMirror draws only the lines in view: scroll until a line with this text is drawn. */
    const lineWith = async (text: string) => {
      const line = page.getByTestId('draft-editor').locator('.cm-line', { hasText: text }).first();
      for (let scrolled = 0; (await line.count()) === 0; scrolled += 300) {
        if (scrolled > 50_000) throw new Error(`no line with ${text} in the editor`);
        await page.getByTestId('draft-editor').locator('.cm-scroller').evaluate((scroller, top) => scroller.scrollTo(0, top), scrolled);
      }
      return line;
    };

    // Empty an operator's value and type its first letter: the schema's operators are offered.
    await (await lineWith('"operator": "equal",')).click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 'equal'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.press('Escape');
    await page.keyboard.type('e');
    const labels = page.locator('.cm-tooltip-autocomplete .cm-completionLabel');
    await labels.first().waitFor();
    expect(await labels.allTextContents()).toEqual(expect.arrayContaining(['"equal"', '"notEqual"', '"lessThan"', '"greaterThan"']));
    await shot('04c-draft-completion');
    await page.locator('.cm-tooltip-autocomplete li', { has: page.locator('.cm-completionLabel', { hasText: /^"equal"$/ }) }).click();
    await (await lineWith('"operator": "equal",')).waitFor();
    await status.filter({ hasText: /^没有错误$/ }).waitFor();

    // Reword JD-01: the memorandum rendered from the draft beside the editor shows the new text with its legal basis.
    const view = page.getByTestId('draft-view');
    expect(await view.getByTestId('measures-table').locator('tbody tr').first().innerText()).toContain('限制失信被执行人作为供应商参加政府采购活动。');
    await page.getByTestId('draft-editor').locator('.cm-scroller').evaluate((scroller) => scroller.scrollTo(0, 0));
    await (await lineWith('限制失信被执行人作为供应商参加政府采购活动。')).click();
    await page.keyboard.press('End');
    // Back over `。",` to just before the full stop.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('（含框架协议采购）');
    const reworded = '限制失信被执行人作为供应商参加政府采购活动（含框架协议采购）。';
    await view.getByTestId('measures-table').locator('tbody tr').first().filter({ hasText: reworded }).waitFor();
    const row = await view.getByTestId('measures-table').locator('tbody tr').first().innerText();
    expect(row).toContain('《中华人民共和国政府采购法》 第二十二条第一款');
    expect(await view.getByTestId('rule-sentence').first().innerText()).toContain('JD-01 … JD-07');
    await status.filter({ hasText: /^没有错误$/ }).waitFor();

    // The draft is handed to the what-if page through sessionStorage, as the contract says.
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem('console.draft') ?? 'null') as { memorandum: string; file: string; content: string } | null);
    expect(kept).toMatchObject({ memorandum: 'judgment-debtors', file: 'judgment-debtors.json' });
    expect(kept!.content).toContain(reworded);
    expect(await page.getByTestId('draft-what-if').getAttribute('href')).toBe('/what-if?source=draft');
    await shot('04d-draft-rendered');

    await page.getByTestId('draft-release-notes').fill('JD-01 含框架协议采购');
    await page.getByTestId('submit-draft').click();
    await page.getByTestId('draft-submitted').waitFor();
    const version = Number(await page.getByTestId('draft-submitted-version').textContent());
    expect(version).toBeGreaterThan(0);
    expect(await page.getByTestId('draft-submitted').innerText()).toContain('已提交为发布版本');
    await shot('04e-draft-submitted');

    // On the Releases page: a draft by the editor, with the notes; an approver (not the author) is offered to approve it.
    await page.getByTestId('draft-submitted-releases').click();
    await page.getByTestId(`release-row-${version}`).waitFor();
    await expect(page.getByTestId(`release-status-${version}`).textContent()).resolves.toBe('草稿');
    expect(await page.getByTestId(`release-row-${version}`).innerText()).toMatch(/editor[\s\S]*JD-01 含框架协议采购/);
    await page.getByTestId('sign-out').click();
    await signIn('approver', 'dev-approver-password');
    await page.getByTestId('nav-releases').click();
    await page.getByTestId(`release-row-${version}`).waitFor();
    expect(await page.getByTestId(`approve-${version}`).count()).toBe(1);
    await page.getByTestId('sign-out').click();
    await signIn('editor', 'dev-editor-password');
    await page.getByTestId('signed-in-user').waitFor();
  });

  it('refuses a state-changing request without the CSRF token with 403 CONSOLE.CSRF_REFUSED', async () => {
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/v1/sign-out', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: response.status, body: await response.json() };
    });
    expect(answer).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });
    // Still signed in: the refused request changed nothing.
    expect(await page.evaluate(async () => ((await (await fetch('/api/v1/session')).json()) as { user: { name: string } | null }).user?.name)).toBe('editor');
  });

  it('signs out, and the session is over', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-submit').waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/v1/memoranda')).status)).toBe(401);
    await shot('05-signed-out');
  });

  it('shows the credit office the district at a glance: weekly charts with the table beside them, dead letters by reason, releases on a timeline', async () => {
    // Two refused messages of the court's and one of no department, and a draft release made today.
    for (const [department, code] of [['court', 'SUBJECT.BAD_CHECK_DIGIT'], ['court', 'SUBJECT.BAD_CHECK_DIGIT'], [null, 'EVENT.MALFORMED_JSON']]) {
      await db.query(`INSERT INTO dead_letter (error_code, message, preview, size_bytes, department) VALUES ($1, 'refused', '{}', 2, $2)`, [code, department]);
    }
    const releases = new ReleaseService(loadAppConfig({}), new RuleReleaseRepository(db));
    const release = await releases.createDraft({ content: readRuleContent(join(__dirname, '../../rules')), author: 'editor', notes: 'overview timeline' });

    await signIn('office', 'dev-office-password');
    await page.getByTestId('nav-overview').click();
    for (const chart of ['weekly-on-time-chart', 'weekly-feedback-chart', 'weekly-median-chart', 'weekly-overdue-chart', 'decisions-chart', 'releases-timeline', 'dead-letters-chart']) {
      await page.getByTestId(chart).locator('canvas').waitFor();
    }
    const table = await page.getByTestId('performance-table').innerText();
    expect(table).toMatch(/区人民法院\s+1\s+100%/);
    expect(table).toMatch(/区财政局\s+0\s+—\s+2\s+50%/);
    const deadLetters = await page.getByTestId('dead-letters-table').innerText();
    expect(deadLetters).toMatch(/区人民法院\s+SUBJECT\.BAD_CHECK_DIGIT\s+2/);
    expect(deadLetters).toMatch(/无法确定部门（信用办）\s+EVENT\.MALFORMED_JSON\s+1/);
    expect(await page.getByTestId('releases-timeline-table').innerText()).toMatch(new RegExp(`${release.version}\\s+草稿\\s+\\S+.*\\s+editor\\s+—`));
    await expect(page.getByTestId('list-sizes-table').innerText()).resolves.toContain('失信被执行人名单');
    await shot('06-overview');

    // A department chosen: the weekly charts draw it alone. A period picked: the page reads it; a backwards one is refused with its code.
    expect(await page.getByTestId('weekly-legend').innerText()).toContain('区财政局');
    await page.getByTestId('weekly-department').selectOption('court');
    await page.getByTestId('weekly-legend').filter({ hasText: /^区人民法院$/ }).waitFor();
    await page.getByTestId('weekly-on-time-chart').locator('canvas').waitFor();
    const today = chinaDate(new Date());
    await page.getByTestId('period-from').fill(today);
    await page.getByTestId('period-to').fill(today);
    await page.getByTestId('period-apply').click();
    await page.getByTestId('overview-period').filter({ hasText: `${today} – ${today}` }).waitFor();
    expect(page.url()).toBe(`${consoleApp.baseUrl}/overview?from=${today}&to=${today}`);
    await expect(page.getByTestId('dead-letters-table').innerText()).resolves.toContain('SUBJECT.BAD_CHECK_DIGIT');
    await page.getByTestId('period-from').fill('2026-12-31');
    await page.getByTestId('period-to').fill('2026-01-01');
    await page.getByTestId('period-apply').click();
    await expect(page.getByTestId('overview-error').textContent()).resolves.toMatch(/^REQUEST\.BAD_PERIOD: /);
  });

  it('lists the situation bulletins for the credit office, each with its PDF', async () => {
    // Last month's bulletin, issued by the credit office through the query API.
    const [year, month] = chinaDate(new Date()).split('-').map(Number);
    const period = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
    const issued = await fetch(`${apps[2].baseUrl}/v1/bulletins`, { method: 'POST', headers: { authorization: 'Bearer dev-credit-office-token', 'content-type': 'application/json' }, body: JSON.stringify({ period }) });
    expect(issued.status).toBe(201);
    const { number } = (await issued.json()) as { number: string };

    await page.getByTestId('nav-bulletins').click();
    const row = page.getByTestId('bulletin-row').filter({ hasText: number });
    await row.waitFor();
    expect(await row.innerText()).toContain('月度');
    await shot('06b-bulletins');
    const pdf = await page.request.get(`${consoleApp.baseUrl}${await row.getByTestId('bulletin-pdf').getAttribute('href')}`);
    expect({ status: pdf.status(), type: pdf.headers()['content-type'] }).toEqual({ status: 200, type: 'application/pdf' });
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lets the editor draft the files in rules/, the approver approve it 15 s ahead and see it scheduled then in force, then roll back to it', async () => {
    const signOut = async () => {
      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in-submit').waitFor();
    };
    await signOut();
    await signIn('editor', 'dev-editor-password');
    await page.getByTestId('nav-releases').click();
    // The editor's submitted draft and the district step's release are listed already: wait for one row more.
    await page.getByTestId('releases-table').waitFor();
    const before = await page.locator('[data-testid^="release-row-"]').count();
    await page.getByTestId('draft-notes').fill('rules/ 目录中的现行文件');
    await page.getByTestId('draft-from-rules').click();
    await page.locator('[data-testid^="release-row-"]').nth(before).waitFor();
    const newest = page.locator('[data-testid^="release-row-"]').first();
    const version = Number((await newest.getAttribute('data-testid'))!.replace('release-row-', ''));
    await expect(page.getByTestId(`release-status-${version}`).textContent()).resolves.toBe('草稿');
    expect(await newest.innerText()).toContain('editor');
    // The editor neither approves nor rolls back: no such buttons.
    expect(await page.getByTestId(`approve-${version}`).count()).toBe(0);
    await shot('07-release-draft');

    await signOut();
    await signIn('approver', 'dev-approver-password');
    await page.getByTestId('nav-releases').click();
    // The input takes the browser's local time; 15 s ahead, beyond the console's 10 s minimum lead.
    const effective = await page.evaluate(() => {
      const at = new Date(Date.now() + 15_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
    });
    await page.getByTestId(`approve-effective-${version}`).fill(effective);
    await page.getByTestId(`approve-${version}`).click();
    await page.getByTestId(`release-status-${version}`).getByText('待生效').waitFor();
    expect(await page.getByTestId(`release-row-${version}`).innerText()).toContain('approver');
    await shot('08-release-scheduled');
    // The page follows the clock: in force at the effective time, without a reload.
    await page.getByTestId(`release-status-${version}`).getByText('现行有效').waitFor({ timeout: 25_000 });
    await shot('09-release-in-force');

    await page.getByTestId(`rollback-${version}`).click();
    await page.getByTestId(`release-row-${version + 1}`).waitFor();
    await expect(page.getByTestId(`release-status-${version + 1}`).textContent()).resolves.toBe('待生效');
    expect(await page.getByTestId(`release-row-${version + 1}`).innerText()).toContain(`回滚自版本 ${version}`);
    await page.getByTestId('diff-from').selectOption(String(version));
    await page.getByTestId('diff-to').selectOption(String(version + 1));
    await page.getByTestId('diff-show').click();
    await expect(page.getByTestId('diff-result').innerText()).resolves.toContain('内容无变化');
    await shot('10-release-rolled-back');
  }, 60_000);

  it('shows an approver who wrote the draft the refusal with its stable code (four eyes)', async () => {
    const both = `editor-approver-${randomUUID().slice(0, 8)}`;
    await new ConsoleUserAdmin(new ConsoleUserRepository(db)).add(both, ['policy-editor', 'policy-approver'], 'a-password-long-enough');
    await page.getByTestId('sign-out').click();
    await signIn(both, 'a-password-long-enough');
    await page.getByTestId('nav-releases').click();
    await page.getByTestId('releases-table').waitFor();
    const before = await page.locator('[data-testid^="release-row-"]').count();
    await page.getByTestId('draft-from-rules').click();
    await page.locator('[data-testid^="release-row-"]').nth(before).waitFor();
    const version = Number((await page.locator('[data-testid^="release-row-"]').first().getAttribute('data-testid'))!.replace('release-row-', ''));
    await page.getByTestId(`approve-${version}`).click();
    await expect(page.getByTestId('release-error').textContent()).resolves.toMatch(/^RELEASE\.FOUR_EYES: /);
    await expect(page.getByTestId(`release-status-${version}`).textContent()).resolves.toBe('草稿');
    await shot('11-release-four-eyes');
  });

  it('audited every console action', async () => {
    const rows: { user_name: string; action: string; target: string | null; outcome: string }[] = await db.query(`SELECT user_name, action, target, outcome FROM console_audit WHERE user_name IN ('editor', 'office') AND id > $1 ORDER BY id`, [auditBefore]);
    const editor = rows.filter((r) => r.user_name === 'editor').map((r) => `${r.action} ${r.target ?? ''} ${r.outcome}`.replace(/\s+/g, ' '));
    expect(editor).toEqual(expect.arrayContaining(['sign-in refused', 'sign-in ok', 'read-memorandum judgment-debtors ok', 'open-draft judgment-debtors ok', 'check-draft judgment-debtors.json ok', 'run-draft-cases judgment-debtors.json ok', 'submit-draft-release judgment-debtors.json ok', 'sign-out ok', 'create-release-draft ok']));
    expect(rows.some((r) => r.user_name === 'office' && r.action === 'read-overview' && r.outcome === 'ok')).toBe(true);
  });
});
