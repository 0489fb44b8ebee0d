import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseCreditEvent } from '@app/domain';
import { RuleReleaseRepository } from '@app/persistence';
import { loadRuleSet, ruleContentRevision } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// With RULES_SOURCE=database the console's drafts start from the release in force, not from rules/:
// once a release that rewords JD-01 is in force, the draft editor opens the reworded file, the
// memorandum page shows it, a what-if of the unchanged draft simulates that very release (no
// difference), and a draft that changes JD-02 becomes a release that keeps the JD-01 rewording.
describe('the console drafts on the release in force (RULES_SOURCE=database)', () => {
  let db: DataSource;
  let consoleApp: AppProcess;
  // The floor the configuration allows: the release takes effect soon after its approval.
  const LEAD_MS = 1_000;
  const FILE = 'judgment-debtors.json';
  const inRules = readFileSync(join(__dirname, '../../rules', FILE), 'utf8');
  const jd01Reworded = `限制失信被执行人作为供应商参加政府采购活动（${randomUUID().slice(0, 8)} 版措辞）。`;
  const jd02Reworded = `限制失信被执行人及其法定代表人乘坐飞机（${randomUUID().slice(0, 8)} 版措辞）。`;

  type Memorandum = { measures: { code: string; text: { zh: string } }[] };
  const measureText = (content: string, code: string) => (JSON.parse(content) as Memorandum).measures.find((m) => m.code === code)!.text.zh;
  function reworded(content: string, code: string, text: string): string {
    const memorandum = JSON.parse(content) as Memorandum;
    memorandum.measures.find((m) => m.code === code)!.text.zh = text;
    return `${JSON.stringify(memorandum, null, 2)}\n`;
  }

  /** A browser's cookie jar, reduced to what these requests need. */
  class Browser {
    private readonly cookies = new Map<string, string>();
    csrf = '';

    async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
      const response = await fetch(`${consoleApp.baseUrl}${path}`, {
        method,
        headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': this.csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
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

    static async signedIn(name: string): Promise<Browser> {
      const browser = new Browser();
      browser.csrf = (await browser.call('GET', '/api/v1/session')).body.csrfToken;
      const answer = await browser.call('POST', '/api/v1/sign-in', { name, password: `dev-${name}-password` });
      expect(answer.status).toBe(200);
      browser.csrf = answer.body.csrfToken;
      return browser;
    }
  }

  /** Submitted by the editor, approved by the approver to take effect just past the lead; resolves once it is in force. */
  async function releaseInForce(editor: Browser, approver: Browser, content: string, notes: string, cases?: string): Promise<number> {
    const submitted = await editor.call('POST', '/api/v1/releases/drafts', { file: FILE, content, notes, ...(cases === undefined ? {} : { cases }) });
    expect(submitted).toMatchObject({ status: 201, body: { status: 'draft', author: 'editor' } });
    const effectiveAt = new Date(Date.now() + LEAD_MS + 500);
    expect(await approver.call('POST', `/api/v1/releases/${submitted.body.version}/approve`, { effectiveAt: effectiveAt.toISOString() })).toMatchObject({ status: 200, body: { status: 'scheduled' } });
    await new Promise((r) => setTimeout(r, effectiveAt.getTime() - Date.now() + 50));
    const listed = (await editor.call('GET', '/api/v1/releases')).body.find((r: { version: number }) => r.version === submitted.body.version);
    expect(listed).toMatchObject({ status: 'in-force' });
    return submitted.body.version;
  }

  let period: { from: string; to: string };

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('console_draft_base');
    // Decided events for the what-if to judge again: the engine's own services, in process.
    const harness = await startEngineHarness('2026-12-01T02:00:00Z', { DATABASE_URL: url });
    try {
      await truncateAll(harness.db);
      const from = new Date(Date.now() - 60_000);
      const generator = new CreditEventGenerator({ seed: 41, vocabulary: vocabularyFromRules(loadRuleSet(join(__dirname, '../../rules')).memoranda), strayPublisherRate: 0, eventTypeWeights: { 'credit.judgment-debtor.listed.v1': 100 } });
      const events = generator.take(40).flatMap((raw) => {
        try {
          return [parseCreditEvent(raw)];
        } catch {
          return []; // the generator makes some invalid on purpose; the engine never sees those
        }
      });
      await harness.batches.processBatch(events, []);
      period = { from: from.toISOString(), to: new Date(Date.now() + 600_000).toISOString() };
    } finally {
      await harness.close();
    }
    db = await openTestDatabase(url);
    consoleApp = await AppProcess.start('console', { ...(await appRoleEnv(url)), RULES_SOURCE: 'database', RELEASE_MIN_LEAD_MS: String(LEAD_MS), RULES_RELOAD_INTERVAL_MS: '200' }, await freePort());
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await db?.destroy();
  });

  it('opens drafts, shows memoranda and simulates drafts on the release in force, and keeps its changes in the next release', async () => {
    const editor = await Browser.signedIn('editor');
    const approver = await Browser.signedIn('approver');

    // No release yet: rules/, and the answer says so.
    const before = await editor.call('GET', `/api/v1/drafts/judgment-debtors`);
    expect(before).toMatchObject({ status: 200, body: { file: FILE, content: inRules, base: { release: null, source: 'rules/' } } });
    expect((await editor.call('GET', '/api/v1/memoranda/judgment-debtors')).body.base).toMatchObject({ release: null, source: 'rules/' });

    const first = await releaseInForce(editor, approver, reworded(inRules, 'JD-01', jd01Reworded), 'reword JD-01');
    const firstRelease = await new RuleReleaseRepository(db).byVersion(first);

    // The draft opens on the release in force, not on rules/ (which still has the old wording).
    const opened = await editor.call('GET', `/api/v1/drafts/judgment-debtors`);
    expect(opened).toMatchObject({ status: 200, body: { base: { release: first, source: 'release', revision: firstRelease!.revision } } });
    expect(measureText(opened.body.content, 'JD-01')).toBe(jd01Reworded);
    expect(measureText(inRules, 'JD-01')).not.toBe(jd01Reworded);

    // The memorandum page shows the release's wording and says which release it is.
    const page = await editor.call('GET', '/api/v1/memoranda/judgment-debtors');
    expect(page).toMatchObject({ status: 200, body: { revision: firstRelease!.revision, base: { release: first, source: 'release' } } });
    expect(page.body.measures.find((m: { code: string }) => m.code === 'JD-01').text.zh).toBe(jd01Reworded);

    // The unchanged draft checks clean against the release and is refused as no change.
    expect(await editor.call('POST', '/api/v1/drafts/check', { file: FILE, content: opened.body.content })).toMatchObject({ status: 200, body: { accepted: true, errors: [], base: { release: first } } });
    expect(await editor.call('POST', '/api/v1/releases/drafts', { file: FILE, content: opened.body.content, notes: 'nothing' })).toMatchObject({ status: 409, body: { code: 'RELEASE.NO_CHANGE' } });
    // A draft opened on rules/ before the release took effect would undo its rewording of the file: refused as a lost update, with both revisions.
    const stale = reworded(before.body.content, 'JD-02', '限制乘坐飞机（草稿）。');
    const lost = await editor.call('POST', '/api/v1/releases/drafts', { file: FILE, content: stale, notes: 'from before', baseRevision: before.body.base.revision });
    expect(lost).toMatchObject({ status: 409, body: { code: 'RELEASE.BASE_CHANGED', context: { draftedOn: before.body.base.revision, inForce: firstRelease!.revision } } });
    expect(await editor.call('POST', '/api/v1/releases/drafts', { file: FILE, content: stale, baseRevision: 'not-a-revision' })).toMatchObject({ status: 400, body: { code: 'RELEASE.INVALID_REQUEST' } });

    // A what-if of the unchanged draft simulates the release in force itself: no difference over the decided events (a rewording changes no decision).
    const started = await editor.call('POST', '/api/v1/what-if', { period, draft: { file: FILE, content: opened.body.content } });
    expect(started).toMatchObject({ status: 202, body: { simulated: firstRelease!.revision, base: { release: first, source: 'release', revision: firstRelease!.revision } } });
    let run = started.body;
    while (run.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      run = (await editor.call('GET', `/api/v1/what-if/${run.id}`)).body;
    }
    expect(run).toMatchObject({ state: 'finished', summary: { decisions: { gained: 0, lost: 0, changed: 0 } } });
    expect(run.progress.total).toBeGreaterThan(0);
    expect(run.summary.decisionsBefore).toBeGreaterThan(0);
    expect(run.summary.decisionsAfter).toBe(run.summary.decisionsBefore);

    // A change to JD-02 made on the opened draft, its first rule case's note reworded with it: its release keeps the JD-01 rewording rather than reverting it to rules/.
    const caseNote = `JD-02 reworded (${randomUUID().slice(0, 8)})`;
    const openedCases = JSON.parse(opened.body.cases) as { cases: { note: string }[] };
    openedCases.cases[0].note = caseNote;
    const second = await releaseInForce(editor, approver, reworded(opened.body.content, 'JD-02', jd02Reworded), 'reword JD-02', `${JSON.stringify(openedCases, null, 2)}\n`);
    const { content } = (await new RuleReleaseRepository(db).byVersion(second))!;
    expect(measureText(content.memoranda[FILE], 'JD-01')).toBe(jd01Reworded);
    expect(measureText(content.memoranda[FILE], 'JD-02')).toBe(jd02Reworded);
    expect(ruleContentRevision({ ...content, memoranda: { ...content.memoranda, [FILE]: firstRelease!.content.memoranda[FILE] } })).toBe(firstRelease!.revision);
    const diff = await editor.call('GET', `/api/v1/releases/${first}/diff/${second}`);
    expect(diff.status).toBe(200);
    expect(JSON.stringify(diff.body.diff)).toContain('JD-02');
    expect(JSON.stringify(diff.body.diff)).not.toContain('JD-01');

    // And the next draft opens on that release.
    const next = await editor.call('GET', `/api/v1/drafts/judgment-debtors`);
    expect(next.body.base).toMatchObject({ release: second, source: 'release' });
    expect(measureText(next.body.content, 'JD-02')).toBe(jd02Reworded);
    // With the rule cases that release keeps, on the draft and on the memorandum page.
    expect(JSON.parse(next.body.cases).cases[0].note).toBe(caseNote);
    const pageNow = await editor.call('GET', '/api/v1/memoranda/judgment-debtors');
    expect(pageNow.body).toMatchObject({ base: { release: second } });
    expect(pageNow.body.cases[0]).toMatchObject({ note: caseNote, passed: true });

    // A change draft is approved only over the rule set it was made from: not before a release scheduled after it, nor after one that changed its base.
    const change = await editor.call('POST', '/api/v1/releases/drafts', { file: FILE, content: reworded(next.body.content, 'JD-03', '限制（草稿三）。'), notes: 'JD-03', baseRevision: next.body.base.revision });
    expect(change).toMatchObject({ status: 201 });
    const whole = (await editor.call('POST', '/api/v1/releases/drafts-from-rules', { notes: 'rules/ as they are' })).body;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    expect(await approver.call('POST', `/api/v1/releases/${whole.version}/approve`, { effectiveAt: at(60_000) })).toMatchObject({ status: 200 });
    const early = await approver.call('POST', `/api/v1/releases/${change.body.version}/approve`, { effectiveAt: at(30_000) });
    expect(early).toMatchObject({ status: 409, body: { code: 'RELEASE.BASE_CHANGED', context: { version: change.body.version } } });
    const late = await approver.call('POST', `/api/v1/releases/${change.body.version}/approve`, { effectiveAt: at(90_000) });
    expect(late).toMatchObject({ status: 409, body: { code: 'RELEASE.BASE_CHANGED', context: { draftedOn: next.body.base.revision } } });
    expect(await db.query(`SELECT approver FROM rule_release WHERE version = $1`, [change.body.version])).toEqual([{ approver: null }]);
  });
});
