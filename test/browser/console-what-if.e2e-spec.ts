import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { parseCreditEvent } from '@app/domain';
import { loadRuleSet } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// The what-if page in real Chromium (as test/browser/console.e2e-spec.ts drives it): the engine
// decides generated events into PostgreSQL; the editor's draft of judgment-debtors.json without
// JD-03 is in sessionStorage as the draft editor leaves it; the page runs it over the last 30
// days and shows what the database says it must, then one event's explanations side by side.
// Screenshots go to test-artifacts/console/.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = resolve(__dirname, '../../test-artifacts/console');
const RULES_DIR = resolve('rules');

function withoutIndividualRule(): string {
  const memorandum = JSON.parse(readFileSync(join(RULES_DIR, 'judgment-debtors.json'), 'utf8')) as { rules: Array<{ name: string }> };
  memorandum.rules = memorandum.rules.filter((rule) => rule.name !== 'judgment-debtor-individual-listed');
  return JSON.stringify(memorandum, null, 2);
}

function withoutJd03(): string {
  const memorandum = JSON.parse(readFileSync(join(RULES_DIR, 'judgment-debtors.json'), 'utf8')) as { rules: Array<{ measures: string[] }> };
  for (const rule of memorandum.rules) rule.measures = rule.measures.filter((code) => code !== 'JD-03');
  return JSON.stringify(memorandum, null, 2);
}

describe('the what-if page in Chromium', () => {
  let db: DataSource;
  let consoleApp: AppProcess;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let jd03: { tasks: number; decisions: number };
  let decisions: number;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/install-browser.sh (as root; .ci/run does)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const url = await ownTestDatabaseUrl('console_what_if_browser');
    const harness = await startEngineHarness('2026-12-01T02:00:00Z', { DATABASE_URL: url });
    try {
      await truncateAll(harness.db);
      const generator = new CreditEventGenerator({ seed: 1414, vocabulary: vocabularyFromRules(loadRuleSet(RULES_DIR).memoranda), strayPublisherRate: 0, eventTypeWeights: { 'credit.judgment-debtor.listed.v1': 60, 'credit.penalty.imposed.v1': 40 } });
      const events = generator.take(120).flatMap((raw) => {
        try {
          return [parseCreditEvent(raw)];
        } catch {
          return []; // the generator makes some invalid on purpose; the engine never sees those
        }
      });
      await harness.batches.processBatch(events, []);
    } finally {
      await harness.close();
    }
    db = await openTestDatabase(url);
    [jd03] = (await db.query(`SELECT count(*)::int AS tasks, count(DISTINCT decision_id)::int AS decisions FROM measure_task WHERE measure_code = 'JD-03'`)) as { tasks: number; decisions: number }[];
    decisions = Number((await db.query(`SELECT count(*) AS n FROM decision`))[0].n);
    consoleApp = await AppProcess.start('console', await appRoleEnv(url), await freePort());
    profile = mkdtempSync(join(tmpdir(), 'console-what-if-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1440, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await consoleApp?.stop();
    await db?.destroy();
  });

  it('runs the draft being edited over the last 30 days: the decisions with JD-03 changed, its tasks lost; one event before and after; the CSV; then a rule removed loses exactly its decisions', async () => {
    expect(jd03.tasks).toBeGreaterThan(0);
    await page.goto(`${consoleApp.baseUrl}/`);
    await page.getByLabel(/用户名|User name/).fill('editor');
    await page.getByLabel(/密码|Password/).fill('dev-editor-password');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('nav-what-if').waitFor();
    // As the draft editor leaves it (the shared contract).
    await page.evaluate((content) => sessionStorage.setItem('console.draft', JSON.stringify({ memorandum: 'judgment-debtors', file: 'judgment-debtors.json', content })), withoutJd03());
    await page.goto(`${consoleApp.baseUrl}/what-if?source=draft`);
    await expect(page.getByTestId('what-if-source-draft').isChecked()).resolves.toBe(true);
    const today = new Date(Date.now() + 8 * 3_600_000);
    await expect(page.getByTestId('what-if-to').inputValue()).resolves.toBe(today.toISOString().slice(0, 10));
    await expect(page.getByTestId('what-if-from').inputValue()).resolves.toBe(new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10));
    await shot('what-if-01-draft-chosen');

    await page.getByTestId('what-if-run').click();
    await page.locator('[data-testid="what-if-run-view"][data-state="finished"]').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('run')).toMatch(/^[0-9a-f-]{36}$/);
    await expect(page.getByTestId('what-if-decisions-before').textContent()).resolves.toBe(String(decisions));
    await expect(page.getByTestId('what-if-decisions-after').textContent()).resolves.toBe(String(decisions));
    await expect(page.getByTestId('what-if-gained').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('what-if-lost').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('what-if-changed').textContent()).resolves.toBe(String(jd03.decisions));
    const measureRow = (await page.getByTestId('what-if-measure-JD-03').locator('td').allInnerTexts()).map((cell) => cell.trim());
    expect([measureRow[0], ...measureRow.slice(2)]).toEqual(['JD-03', '0', String(jd03.tasks), '0']);
    expect(await page.locator('[data-testid^="what-if-measure-"]').count()).toBe(1);
    const memorandumRow = page.getByTestId('what-if-memorandum-judgment-debtors');
    expect((await memorandumRow.locator('td').allInnerTexts()).slice(1, 4).map((cell) => cell.trim())).toEqual(['0', '0', String(jd03.decisions)]);
    await page.getByTestId('what-if-chart').locator('canvas').waitFor();
    // Example subjects are masked: no resident ID of the history is on the page whole.
    const residentIds = ((await db.query(`SELECT DISTINCT target_id AS id FROM measure_task WHERE target_id_type = 'RESIDENT_ID'`)) as { id: string }[]).map((r) => r.id);
    const body = await page.locator('body').innerText();
    expect(residentIds.filter((id) => body.includes(id))).toEqual([]);
    await shot('what-if-02-summary');

    await memorandumRow.getByTestId('what-if-example').first().click();
    await page.getByTestId('what-if-event').waitFor();
    await expect(page.getByTestId('what-if-event-differences').innerText()).resolves.toMatch(/减少的措施: .*JD-03/);
    const before = await page.getByTestId('what-if-event-before').innerText();
    const after = await page.getByTestId('what-if-event-after').innerText();
    expect(before).toContain('judgment-debtors');
    expect(after).toContain('judgment-debtors');
    expect(before).not.toBe(after); // the rule-set revision differs at least
    await page.getByTestId('what-if-event').scrollIntoViewIfNeeded();
    await shot('what-if-03-event-before-after');

    const csv = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { status: response.status, lines: (await response.text()).trimEnd().split('\r\n').length };
    }, (await page.getByTestId('what-if-csv').getAttribute('href'))!);
    expect(csv).toEqual({ status: 200, lines: jd03.decisions + 1 });

    // The editor changes the draft (drops the rule for natural persons) and runs it again: those decisions are lost.
    const [{ n: individual }] = (await db.query(
      `SELECT count(*)::int AS n FROM decision d JOIN inbound_event e ON e.source = d.cause_event_source AND e.event_id = d.cause_event_id
        WHERE d.memorandum_id = 'judgment-debtors' AND e.envelope->'data'->'subject'->>'kind' = 'individual'`,
    )) as { n: number }[];
    expect(individual).toBeGreaterThan(0);
    await page.evaluate((content) => sessionStorage.setItem('console.draft', JSON.stringify({ memorandum: 'judgment-debtors', file: 'judgment-debtors.json', content })), withoutIndividualRule());
    await page.goto(`${consoleApp.baseUrl}/what-if?source=draft`);
    await page.getByTestId('what-if-run').click();
    await page.getByTestId('what-if-lost').filter({ hasText: new RegExp(`^${individual}$`) }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="what-if-run-view"][data-state="finished"]').waitFor();
    await expect(page.getByTestId('what-if-gained').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('what-if-decisions-after').textContent()).resolves.toBe(String(decisions - individual));
    await shot('what-if-04-rule-removed');

    await page.getByTestId('language-switch').click();
    await page.getByText('What-if on history').waitFor();
    await shot('what-if-05-english');
  });
});
