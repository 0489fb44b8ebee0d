import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { chinaDate, parseUnifiedSocialCreditCode } from '@app/domain';
import { loadAppConfig } from '@app/config';
import { RuleReleaseRepository } from '@app/persistence';
import { ReleaseService } from '@app/policy';
import { readRuleContent } from '@app/rules';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// Issue 14's journey through the policy console in real Chromium (as console.e2e-spec.ts drives
// it), on apps that take their rules from the releases in the database: the editor makes a typo
// and sees its focused message, fixes it, drops JD-03 from every rule, sees the rule cases fail,
// revises them, sees the what-if lose exactly the JD-03 the database holds, submits; the approver
// approves it a few seconds ahead and the next listing is decided under it; a rollback puts the
// old content back and the listing after it is decided under that. A screenshot of every step
// goes to test-artifacts/console/journey-NN-*.png.
const CHROMIUM = '/usr/bin/chromium';
// Headless on a closed network: without the background-networking flags Chromium keeps trying to reach out.
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = resolve(__dirname, '../../test-artifacts/console');
const RULES = resolve(__dirname, '../../rules');
/** Every app's least approval lead: short, so the approval and the rollback take effect within the test. */
const LEAD_MS = 3_000;
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8')) as { id: string; subject: string; data: any };

/** A valid unified social credit code of its own for each enterprise: 91510802MA + 7 digits + check character. */
function uscc(n: number): string {
  const body = `91510802MA${String(n).padStart(7, '0')}`;
  return body + parseUnifiedSocialCreditCode(`${body}0`, { allowBadCheckDigit: true }).expectedCheckCharacter;
}

/** The court lists enterprise n (with the fixture's legal representative), decided today. */
function enterpriseListing(n: number): unknown {
  const id = uscc(n);
  return {
    ...listing,
    id: `policy-journey-${n}`,
    subject: id,
    time: new Date().toISOString(),
    data: { ...listing.data, subject: { ...listing.data.subject, id }, documentNumber: `（2026）川0802执${7000 + n}号`, decidedOn: chinaDate(new Date()) },
  };
}

/** The court lists a natural person (resident IDs of the rule cases: made up, with valid check digits). */
function personListing(n: number, residentId: string, name: string): unknown {
  return {
    ...listing,
    id: `policy-journey-${n}`,
    subject: residentId,
    time: new Date().toISOString(),
    data: { subject: { kind: 'individual', idType: 'RESIDENT_ID', id: residentId, name }, documentNumber: `（2026）川0802执${7000 + n}号`, decidedOn: chinaDate(new Date()), reason: 'refusing-to-perform' },
  };
}

/** The memorandum as the editor revises it: JD-03 taken out of every rule's measures (the measure itself stays described). */
function rulesWithoutJd03(): string {
  const memorandum = JSON.parse(readFileSync(join(RULES, 'judgment-debtors.json'), 'utf8')) as { rules: { measures: string[] }[] };
  for (const rule of memorandum.rules) rule.measures = rule.measures.filter((code) => code !== 'JD-03');
  return `${JSON.stringify(memorandum, null, 2)}\n`;
}

interface CaseFile {
  cases: { note: string; expect: { measures: { code: string }[] } }[];
}
const casesInRules = (): CaseFile => JSON.parse(readFileSync(join(RULES, 'judgment-debtors.cases.json'), 'utf8')) as CaseFile;

/** The rule cases revised to match: every expected JD-03 measure removed. */
function casesWithoutJd03(): string {
  const file = casesInRules();
  for (const ruleCase of file.cases) ruleCase.expect.measures = ruleCase.expect.measures.filter((m) => m.code !== 'JD-03');
  return `${JSON.stringify(file, null, 2)}\n`;
}

interface Decided {
  rule_release: number | null;
  rule_set_revision: string;
  jd03: number;
  tasks: number;
}

describe("issue 14's policy journey in Chromium: draft, cases, what-if, submit, approve, decide, roll back, decide", () => {
  let db: DataSource;
  let apps: AppProcess[] = [];
  let ingest: AppProcess;
  let consoleApp: AppProcess;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let first: { version: number; revision: string };
  /** What the history decided under release 1, from the database: what the what-if must find lost. */
  let history: { decisions: number; jd03Decisions: number; jd03Tasks: number };
  const revisedRules = rulesWithoutJd03();
  const revisedCases = casesWithoutJd03();
  let submitted: number;
  let next = 1;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `journey-${name}.png`), fullPage: true });

  async function signIn(name: string, password: string): Promise<void> {
    await page.getByLabel(/用户名|User name/).fill(name);
    await page.getByLabel(/密码|Password/).fill(password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('signed-in-user').waitFor();
  }

  async function signOut(): Promise<void> {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-submit').waitFor();
  }

  async function publish(event: unknown): Promise<string> {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
    });
    expect(response.status).toBe(202);
    return (event as { id: string }).id;
  }

  /** The judgment-debtors decisions of these events once all are made, with their release and JD-03 tasks. */
  async function decided(ids: string[], timeoutMs = 20_000): Promise<Decided[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = (await db.query(
        `SELECT d.rule_release, d.rule_set_revision,
                (SELECT count(*)::int FROM measure_task t WHERE t.decision_id = d.id AND t.measure_code = 'JD-03') AS jd03,
                (SELECT count(*)::int FROM measure_task t WHERE t.decision_id = d.id) AS tasks
           FROM inbound_event e JOIN decision d ON d.cause_event_source = e.source AND d.cause_event_id = e.event_id
          WHERE e.event_id = ANY($1) AND d.memorandum_id = 'judgment-debtors'`,
        [ids],
      )) as Decided[];
      if (rows.length >= ids.length) return rows;
      if (Date.now() > deadline) throw new Error(`${rows.length} of ${ids.length} events decided:\n${apps[1].log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Selects everything in a CodeMirror editor and pastes the text in its place. */
  async function replaceText(editor: string, text: string): Promise<void> {
    await page.getByTestId(editor).locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
  }

  /** The draft page's check of exactly this rule-file text, answered. */
  const checkOf = (content: string) => page.waitForResponse((r) => r.url().endsWith('/api/v1/drafts/check') && (r.request().postDataJSON() as { content?: string } | null)?.content === content);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/install-browser.sh (as root; .ci/run does)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    // Its own database: the engine here takes every approved release in it.
    const url = await ownTestDatabaseUrl('policy_journey');
    db = await openTestDatabase(url);
    await truncateAll(db);

    // Release 1 is rules/ as it stands, imported and approved by others than the journey's people.
    const releases = new ReleaseService({ ...loadAppConfig({}), RELEASE_MIN_LEAD_MS: LEAD_MS }, new RuleReleaseRepository(db));
    const draft = await releases.createDraft({ content: readRuleContent(RULES), author: 'importer', notes: 'rules/ 目录中的现行文件' });
    const approved = await releases.approve(draft.version, { approver: 'bootstrap-approver', effectiveAt: new Date(Date.now() + LEAD_MS + 500).toISOString() });
    first = { version: approved.version, revision: approved.revision };

    const env = {
      ...(await appRoleEnv(url)),
      TRANSPORT: 'postgres',
      ENGINE_POLL_INTERVAL_MS: '50',
      RULES_SOURCE: 'database',
      RULES_RELOAD_INTERVAL_MS: '250',
      RELEASE_MIN_LEAD_MS: String(LEAD_MS),
      LIFECYCLE_INTERVAL_MS: '0',
    };
    apps = await Promise.all((['ingest-api', 'decision-engine', 'console'] as const).map(async (name) => AppProcess.start(name, env, await freePort())));
    [ingest, , consoleApp] = apps;
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(approved.effectiveAt!) - Date.now() + 300)));
    expect((await releases.list()).find((r) => r.version === first.version)?.status).toBe('in-force');

    // A history under release 1: eight enterprises and two natural persons listed by the court.
    const ids = await Promise.all([
      ...Array.from({ length: 8 }, () => publish(enterpriseListing(next++))),
      publish(personListing(next++, '510802198705120938', '刘明')),
      publish(personListing(next++, '510802197804150310', '王建国')),
    ]);
    const rows = await decided(ids);
    expect(rows.every((r) => r.rule_release === first.version && r.rule_set_revision === first.revision)).toBe(true);
    const [counts] = (await db.query(`SELECT count(*)::int AS tasks, count(DISTINCT decision_id)::int AS decisions FROM measure_task WHERE measure_code = 'JD-03'`)) as { tasks: number; decisions: number }[];
    history = { decisions: Number((await db.query(`SELECT count(*) AS n FROM decision`))[0].n), jd03Decisions: counts.decisions, jd03Tasks: counts.tasks };
    expect(history.jd03Decisions).toBe(10);
    expect(history.jd03Tasks).toBeGreaterThan(history.jd03Decisions); // the legal representatives' too

    profile = mkdtempSync(join(tmpdir(), 'policy-journey-chromium-'));
    // A fresh profile each run (a --user-data-dir in launch() args would throw).
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1440, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await Promise.all(apps.map((app) => app.stop()));
    await db?.destroy();
  });

  it('signs the editor in, opens the memorandum as a draft, shows an operator typo as one focused message with its suggestion, and no error once fixed', async () => {
    await page.goto(`${consoleApp.baseUrl}/`);
    await signIn('editor', 'dev-editor-password');
    await page.getByTestId('memoranda-table').waitFor();
    await shot('01-editor-signed-in');

    await page.getByTestId('memorandum-link-judgment-debtors').click();
    await page.getByTestId('measures-table').waitFor();
    await shot('02-memorandum');
    await page.getByTestId('open-draft').click();
    expect(page.url()).toBe(`${consoleApp.baseUrl}/memoranda/judgment-debtors/draft`);
    const status = page.getByTestId('draft-status');
    await status.filter({ hasText: /^没有错误$/ }).waitFor();

    // CodeMirror draws only the lines in view: scroll until the first `"operator": "equal"` line is drawn.
    const line = page.locator('.cm-line', { hasText: '"operator": "equal",' }).first();
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
    expect(await problem.innerText()).toContain('equall');
    await expect(page.getByTestId('draft-suggestion').innerText()).resolves.toContain('是否应为 “equal”');
    await shot('03-draft-typo');

    await page.keyboard.press('Backspace');
    await status.filter({ hasText: /^没有错误$/ }).waitFor();
    expect(await problem.count()).toBe(0);
    await shot('04-draft-typo-fixed');
  });

  it('takes JD-03 out of every rule: the rule cases that expect it fail, and pass once the cases are revised too', async () => {
    const status = page.getByTestId('draft-status');
    const checked = checkOf(revisedRules);
    await replaceText('draft-editor', revisedRules);
    await checked;
    await status.filter({ hasText: /^没有错误$/ }).waitFor();
    // The rendered view beside the editor follows the draft: JD-03 is in no rule now.
    await page.getByTestId('draft-view').getByTestId('rule-sentence').first().filter({ hasNotText: 'JD-01 … JD-07' }).waitFor();

    const expectingJd03 = casesInRules().cases.filter((c) => c.expect.measures.some((m) => m.code === 'JD-03'));
    expect(expectingJd03.length).toBeGreaterThan(0);
    await page.getByTestId('run-draft-cases').click();
    const cases = page.getByTestId('draft-cases-table');
    await cases.locator('tbody tr.failed').first().waitFor();
    const failed = await cases.locator('tbody tr.failed').allInnerTexts();
    expect(failed).toHaveLength(expectingJd03.length);
    for (const row of failed) {
      expect(row).toContain('✗');
      expect(row).toMatch(/− .*JD-03/);
    }
    await shot('05-cases-fail');

    // The cases file beside the rule file, revised the same way.
    await page.getByTestId('draft-tab-cases').click();
    await replaceText('draft-cases-editor', revisedCases);
    await page.getByTestId('run-draft-cases').click();
    // The table goes while the cases run and comes back with the new results: wait for every row passed.
    const all = casesInRules().cases.length;
    await cases.locator('tbody tr.passed').nth(all - 1).waitFor();
    const rows = await cases.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(all);
    for (const row of rows) expect(row).toContain('✓ 通过');
    await shot('06-cases-pass');
    await page.getByTestId('draft-tab-rules').click();
  });

  it('runs the draft on the history: the decisions holding JD-03 changed, exactly their JD-03 tasks lost, nothing gained', async () => {
    await page.getByTestId('draft-what-if').click();
    await page.getByTestId('what-if-run').waitFor();
    expect(new URL(page.url()).pathname).toBe('/what-if');
    await expect(page.getByTestId('what-if-source-draft').isChecked()).resolves.toBe(true);
    await shot('07-what-if-draft-chosen');

    await page.getByTestId('what-if-run').click();
    await page.locator('[data-testid="what-if-run-view"][data-state="finished"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('what-if-decisions-before').textContent()).resolves.toBe(String(history.decisions));
    await expect(page.getByTestId('what-if-decisions-after').textContent()).resolves.toBe(String(history.decisions));
    await expect(page.getByTestId('what-if-changed').textContent()).resolves.toBe(String(history.jd03Decisions));
    await expect(page.getByTestId('what-if-gained').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('what-if-lost').textContent()).resolves.toBe('0');
    // By measure: JD-03 alone, gained 0, lost its tasks, changed 0.
    const measureRow = (await page.getByTestId('what-if-measure-JD-03').locator('td').allInnerTexts()).map((cell) => cell.trim());
    expect([measureRow[0], ...measureRow.slice(2)]).toEqual(['JD-03', '0', String(history.jd03Tasks), '0']);
    expect(await page.locator('[data-testid^="what-if-measure-"]').count()).toBe(1);
    await page.getByTestId('what-if-chart').locator('canvas').waitFor();
    await shot('08-what-if-summary');
  });

  it('goes back to the draft, resumed as it was left, and submits it: release 2', async () => {
    await page.goBack();
    await page.getByTestId('draft-resumed').waitFor();
    expect(page.url()).toBe(`${consoleApp.baseUrl}/memoranda/judgment-debtors/draft`);
    // The rule file and its cases as the editor left them, both kept in the tab.
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem('console.draft') ?? 'null') as { memorandum: string; file: string; content: string; cases?: string } | null);
    expect(kept).toEqual({ memorandum: 'judgment-debtors', file: 'judgment-debtors.json', content: revisedRules, cases: revisedCases });
    await page.getByTestId('draft-status').filter({ hasText: /^没有错误$/ }).waitFor();
    await shot('09-draft-resumed');

    await page.getByTestId('draft-release-notes').fill('取消 JD-03（限制高消费）的自动实施');
    await page.getByTestId('submit-draft').click();
    await page.getByTestId('draft-submitted').waitFor();
    submitted = Number(await page.getByTestId('draft-submitted-version').textContent());
    expect(submitted).toBe(first.version + 1);
    // The release is the rule set in force with the revised file and its revised cases in place.
    const [stored] = (await db.query(`SELECT author, approver, content FROM rule_release WHERE version = $1`, [submitted])) as { author: string; approver: string | null; content: { memoranda: Record<string, string>; cases?: Record<string, string> } }[];
    expect(stored).toMatchObject({ author: 'editor', approver: null });
    expect(JSON.parse(stored.content.memoranda['judgment-debtors.json'])).toEqual(JSON.parse(revisedRules));
    expect(JSON.parse(stored.content.cases?.['judgment-debtors.cases.json'] ?? 'null')).toEqual(JSON.parse(revisedCases));
    await shot('10-draft-submitted');
    await signOut();
  });

  it('lets the approver approve release 2 a few seconds ahead: scheduled, then in force, and the next listing is decided under it without JD-03', async () => {
    await signIn('approver', 'dev-approver-password');
    await page.getByTestId('nav-releases').click();
    await page.getByTestId(`release-row-${submitted}`).waitFor();
    await expect(page.getByTestId(`release-status-${submitted}`).textContent()).resolves.toBe('草稿');
    await expect(page.getByTestId(`release-status-${first.version}`).textContent()).resolves.toBe('现行有效');
    // The input takes the browser's local time, to the second: 10 s ahead, beyond the 3 s lead once typed and sent.
    const effective = await page.evaluate(() => {
      const at = new Date(Date.now() + 10_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
    });
    await page.getByTestId(`approve-effective-${submitted}`).fill(effective);
    await shot('11-approve-effective-time');
    await page.getByTestId(`approve-${submitted}`).click();
    await page.getByTestId(`release-status-${submitted}`).getByText('待生效').waitFor();
    expect(await page.getByTestId(`release-row-${submitted}`).innerText()).toContain('approver');
    await shot('12-release-scheduled');
    // The page follows the clock: in force at the effective time, without a reload.
    await page.getByTestId(`release-status-${submitted}`).getByText('现行有效').waitFor({ timeout: 25_000 });
    await expect(page.getByTestId(`release-status-${first.version}`).textContent()).resolves.toBe('已被取代');
    const [{ revision }] = (await db.query(`SELECT revision FROM rule_release WHERE version = $1`, [submitted])) as { revision: string }[];

    const [decision] = await decided([await publish(enterpriseListing(next++))]);
    expect(decision).toMatchObject({ rule_release: submitted, rule_set_revision: revision, jd03: 0 });
    expect(decision.tasks).toBeGreaterThan(0);

    // What changed between the two releases, as the approver sees it.
    await page.getByTestId('diff-from').selectOption(String(first.version));
    await page.getByTestId('diff-to').selectOption(String(submitted));
    await page.getByTestId('diff-show').click();
    const diff = page.getByTestId('diff-result').filter({ hasText: `${first.version} → ${submitted}` });
    await diff.waitFor();
    // JD-03 is still described, no longer applied: the two rules changed, not the measures.
    const changes = await diff.innerText();
    expect(changes).toMatch(/规则 — 修改: .*judgment-debtor-organisation-listed/);
    expect(changes).toMatch(/规则 — 修改: .*judgment-debtor-individual-listed/);
    expect(changes).not.toContain('措施 —');
    await shot('13-release-in-force');
  });

  it('rolls back to release 1 in one action: release 3 with its content in force after the lead, and the next listing is decided under it with JD-03 again', async () => {
    const rollback = submitted + 1;
    await page.getByTestId(`rollback-${first.version}`).click();
    await page.getByTestId(`release-row-${rollback}`).waitFor();
    await expect(page.getByTestId(`release-status-${rollback}`).textContent()).resolves.toBe('待生效');
    expect(await page.getByTestId(`release-row-${rollback}`).innerText()).toContain(`回滚自版本 ${first.version}`);
    await shot('14-rollback-scheduled');
    await page.getByTestId(`release-status-${rollback}`).getByText('现行有效').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId(`release-status-${submitted}`).textContent()).resolves.toBe('已被取代');

    const [decision] = await decided([await publish(enterpriseListing(next++))]);
    expect(decision).toMatchObject({ rule_release: rollback, rule_set_revision: first.revision });
    expect(decision.jd03).toBeGreaterThan(0);

    await page.getByTestId('diff-from').selectOption(String(first.version));
    await page.getByTestId('diff-to').selectOption(String(rollback));
    await page.getByTestId('diff-show').click();
    const diff = page.getByTestId('diff-result').filter({ hasText: `${first.version} → ${rollback}` });
    await diff.waitFor();
    expect(await diff.innerText()).toContain('内容无变化');
    await shot('15-rollback-in-force');
  });
});
