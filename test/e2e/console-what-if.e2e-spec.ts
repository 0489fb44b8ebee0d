import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { parseCreditEvent } from '@app/domain';
import { RuleReleaseRepository } from '@app/persistence';
import { buildRuleSet, loadRuleSet, readRuleContent, ruleSourcesOf } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// The console's what-if routes as its what-if page calls them: the engine decides generated events
// into PostgreSQL, then the signed-in user runs the draft being edited (one memorandum file) or a
// stored release over them; roles, CSRF and Problem Details codes; every call audited.
const RULES_DIR = resolve('rules');
const JD_FILE = 'judgment-debtors.json';

/** judgment-debtors.json without the measure JD-03, as the draft editor would hold it. */
function withoutJd03(): string {
  const memorandum = JSON.parse(readFileSync(join(RULES_DIR, JD_FILE), 'utf8')) as { rules: Array<{ measures: string[] }> };
  for (const rule of memorandum.rules) rule.measures = rule.measures.filter((code) => code !== 'JD-03');
  return JSON.stringify(memorandum, null, 2);
}

/** judgment-debtors.json without its rule for natural persons. */
function withoutIndividualRule(): string {
  const memorandum = JSON.parse(readFileSync(join(RULES_DIR, JD_FILE), 'utf8')) as { rules: Array<{ name: string }> };
  memorandum.rules = memorandum.rules.filter((rule) => rule.name !== 'judgment-debtor-individual-listed');
  return JSON.stringify(memorandum, null, 2);
}

type Progress = { id: string; state: string; simulated: string; progress: { done: number; total: number }; summary: { decisionsBefore: number; decisionsAfter: number; decisions: Record<string, number>; byMeasure: unknown[]; byMemorandum: Array<{ memorandumId: string; examples: Array<{ source: string; eventId: string; subject: { idType: string; id: string } }> }> } };

describe('the console what-if routes', () => {
  let db: DataSource;
  let consoleApp: AppProcess;
  let period: { from: string; to: string };
  let jd03: { tasks: number; decisions: number };
  let decisions: number;
  let releaseVersion: number;
  let auditFrom: number;

  /** A browser's cookie jar, reduced to what these requests need. */
  class Browser {
    private readonly cookies = new Map<string, string>();
    csrf = '';
    /** GETs of a run's progress made by finished(), each one audited. */
    polls = 0;

    async call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = { 'x-csrf-token': this.csrf }): Promise<{ status: number; body: any; text: string; headers: Headers }> {
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
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, text, headers: response.headers };
    }

    async finished(id: string): Promise<Progress> {
      for (;;) {
        const answer = await this.call('GET', `/api/v1/what-if/${id}`);
        this.polls++;
        expect(answer.status).toBe(200);
        if (answer.body.state !== 'running') return answer.body as Progress;
        await new Promise((r) => setTimeout(r, 50));
      }
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

  /** The audit rows this test wrote, as "user action target outcome". */
  async function auditSince(): Promise<string[]> {
    const rows: { user_name: string; action: string; target: string | null; outcome: string }[] = await db.query(`SELECT user_name, action, target, outcome FROM console_audit WHERE id > $1 AND action <> 'sign-in' ORDER BY id`, [auditFrom]);
    return rows.map((r) => [r.user_name, r.action, r.target ?? '-', r.outcome].join(' '));
  }

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('console_what_if');
    const harness = await startEngineHarness('2026-12-01T02:00:00Z', { DATABASE_URL: url });
    try {
      await truncateAll(harness.db);
      const from = new Date(Date.now() - 60_000);
      const generator = new CreditEventGenerator({ seed: 14, vocabulary: vocabularyFromRules(loadRuleSet(RULES_DIR).memoranda), strayPublisherRate: 0, eventTypeWeights: { 'credit.judgment-debtor.listed.v1': 60, 'credit.penalty.imposed.v1': 40 } });
      const events = generator.take(150).flatMap((raw) => {
        try {
          return [parseCreditEvent(raw)];
        } catch {
          return []; // the generator makes some invalid on purpose; the engine never sees those
        }
      });
      await harness.batches.processBatch(events, []);
      period = { from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    } finally {
      await harness.close();
    }
    db = await openTestDatabase(url);
    [jd03] = (await db.query(`SELECT count(*)::int AS tasks, count(DISTINCT decision_id)::int AS decisions FROM measure_task WHERE measure_code = 'JD-03'`)) as { tasks: number; decisions: number }[];
    decisions = Number((await db.query(`SELECT count(*) AS n FROM decision`))[0].n);
    // A stored release draft of rules/ without JD-03 (written as it is: its rule cases, which expect JD-03, would refuse it through the release service).
    const content = readRuleContent(RULES_DIR);
    content.memoranda[JD_FILE] = withoutJd03();
    const revision = buildRuleSet(ruleSourcesOf(content, RULES_DIR), { repealedCitations: 'tolerate' }).revision;
    releaseVersion = (await new RuleReleaseRepository(db).create({ revision, content, author: 'editor', notes: 'JD-03 dropped' })).version;
    consoleApp = await AppProcess.start('console', await appRoleEnv(url), await freePort());
  });

  beforeEach(async () => {
    auditFrom = Number((await db.query(`SELECT coalesce(max(id), 0) AS n FROM console_audit`))[0].n);
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await db?.destroy();
  });

  it("runs the draft being edited: a measure removed loses exactly its tasks, on exactly the decisions that had it; the summary, the CSV and one event's explanations before and after", async () => {
    expect(jd03.tasks).toBeGreaterThan(0);
    const editor = await Browser.signedIn('editor');
    const started = await editor.call('POST', '/api/v1/what-if', { period, draft: { file: JD_FILE, content: withoutJd03() } });
    expect(started).toMatchObject({ status: 202, body: { state: 'running', simulated: expect.stringMatching(/^sha256:/) } });
    const run = await editor.finished(started.body.id);
    expect(run).toMatchObject({ state: 'finished', summary: { decisionsBefore: decisions, decisionsAfter: decisions, decisions: { gained: 0, lost: 0, changed: jd03.decisions } } });
    expect(run.summary.byMeasure).toEqual([{ measureCode: 'JD-03', memorandumId: 'judgment-debtors', gained: 0, lost: jd03.tasks, changed: 0 }]);
    expect(run.progress.done).toBe(run.progress.total);
    const examples = run.summary.byMemorandum[0].examples;
    expect(examples.length).toBe(Math.min(5, jd03.decisions));
    for (const { subject } of examples) if (subject.idType === 'RESIDENT_ID') expect(subject.id).toMatch(/^\d{6}\*{8}[\dX]{4}$/);

    const csv = await editor.call('GET', `/api/v1/what-if/${run.id}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="what-if.csv"');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(jd03.decisions + 1);
    expect(lines.slice(1).every((line) => line.includes(',judgment-debtors,changed,'))).toBe(true);

    const example = examples[0];
    const detail = await editor.call('GET', `/api/v1/what-if/${run.id}/events/${encodeURIComponent(example.source)}/${encodeURIComponent(example.eventId)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.differences.map((d: { measuresLost: Array<{ measureCode: string }> }) => d.measuresLost.map((m) => m.measureCode))).toEqual([expect.arrayContaining(['JD-03'])]);
    const before = detail.body.before.find((d: { memorandumId: string }) => d.memorandumId === 'judgment-debtors');
    const after = detail.body.after.find((d: { memorandumId: string }) => d.memorandumId === 'judgment-debtors');
    expect(Object.keys(after.explanations)).toEqual(Object.keys(before.explanations));
    expect(await editor.call('GET', `/api/v1/what-if/${run.id}/events/${encodeURIComponent(example.source)}/no-such-event`)).toMatchObject({ status: 404, body: { code: 'WHAT_IF.EVENT_NOT_FOUND' } });

    expect(await auditSince()).toEqual([
      `editor run-what-if ${run.id} draft ${JD_FILE} ok`,
      ...Array.from({ length: editor.polls }, () => `editor read-what-if ${run.id} ok`),
      `editor download-what-if ${run.id} ok`,
      `editor read-what-if-event ${run.id} ${example.source} ${example.eventId} ok`,
      `editor read-what-if-event ${run.id} refused`,
    ]);
  });

  it('runs a draft without a rule: exactly the decisions that rule made are lost, nothing else', async () => {
    const [{ n: individual }] = (await db.query(
      `SELECT count(*)::int AS n FROM decision d JOIN inbound_event e ON e.source = d.cause_event_source AND e.event_id = d.cause_event_id
        WHERE d.memorandum_id = 'judgment-debtors' AND e.envelope->'data'->'subject'->>'kind' = 'individual'`,
    )) as { n: number }[];
    expect(individual).toBeGreaterThan(0);
    const editor = await Browser.signedIn('editor');
    const started = await editor.call('POST', '/api/v1/what-if', { period, draft: { file: JD_FILE, content: withoutIndividualRule() } });
    expect(started.status).toBe(202);
    const run = await editor.finished(started.body.id);
    expect(run).toMatchObject({ state: 'finished', summary: { decisionsBefore: decisions, decisionsAfter: decisions - individual, decisions: { gained: 0, lost: individual, changed: 0 } } });
    expect(run.summary.byMemorandum.map(({ examples: _examples, ...counts }) => counts)).toEqual([{ memorandumId: 'judgment-debtors', gained: 0, lost: individual, changed: 0 }]);
    expect(await auditSince()).toEqual([`editor run-what-if ${run.id} draft ${JD_FILE} ok`, ...Array.from({ length: editor.polls }, () => `editor read-what-if ${run.id} ok`)]);
  });

  it('runs a stored release by its version for the credit office, with the same differences; an unknown release is refused', async () => {
    const office = await Browser.signedIn('office');
    const started = await office.call('POST', '/api/v1/what-if', { period, release: releaseVersion });
    expect(started).toMatchObject({ status: 202, body: { simulated: `release ${releaseVersion}` } });
    const run = await office.finished(started.body.id);
    expect(run).toMatchObject({ state: 'finished', summary: { decisions: { gained: 0, lost: 0, changed: jd03.decisions }, byMeasure: [{ measureCode: 'JD-03', lost: jd03.tasks }] } });
    expect(await office.call('POST', '/api/v1/what-if', { period, release: releaseVersion + 100 })).toMatchObject({ status: 400, body: { code: 'WHAT_IF.UNKNOWN_RELEASE' } });
    expect(await office.call('POST', '/api/v1/what-if', { period, release: 'in-force' })).toMatchObject({ status: 400, body: { code: 'WHAT_IF.UNKNOWN_RELEASE' } });
    expect(await auditSince()).toEqual([
      `office run-what-if ${run.id} release ${releaseVersion} ok`,
      ...Array.from({ length: office.polls }, () => `office read-what-if ${run.id} ok`),
      `office run-what-if release ${releaseVersion + 100} refused`,
      // "in-force" is the query API's name for the rule set running; the console names stored releases only.
      'office run-what-if unreadable request refused',
    ]);
  });

  it('lets the auditor read a run but not start or cancel one; refuses a change without the CSRF token; bad input answers 4xx with WHAT_IF codes', async () => {
    const auditor = await Browser.signedIn('auditor');
    const approver = await Browser.signedIn('approver');
    expect(await auditor.call('POST', '/api/v1/what-if', { period, release: releaseVersion })).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED', context: { required: ['policy-editor', 'policy-approver', 'credit-office'] } } });
    expect(await approver.call('POST', '/api/v1/what-if', { period, release: releaseVersion }, {})).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });

    const started = await approver.call('POST', '/api/v1/what-if', { period, release: releaseVersion });
    expect(started.status).toBe(202);
    const { id } = started.body;
    expect(await auditor.call('DELETE', `/api/v1/what-if/${id}`)).toMatchObject({ status: 403, body: { code: 'CONSOLE.ROLE_REQUIRED' } });
    expect(await approver.call('DELETE', `/api/v1/what-if/${id}`, undefined, {})).toMatchObject({ status: 403, body: { code: 'CONSOLE.CSRF_REFUSED' } });
    expect(await approver.call('DELETE', `/api/v1/what-if/${id}`)).toMatchObject({ status: 200, body: { id, state: expect.stringMatching(/^(cancelled|finished)$/) } });
    expect(await auditor.call('GET', `/api/v1/what-if/${id}`)).toMatchObject({ status: 200, body: { id, simulated: `release ${releaseVersion}` } });
    await auditor.finished(id);
    expect((await auditor.call('GET', `/api/v1/what-if/${id}.csv`)).status).toBe(200);

    const editor = await Browser.signedIn('editor');
    const problem = async (body: unknown) => {
      const answer = await editor.call('POST', '/api/v1/what-if', body);
      return [answer.status, answer.body.code];
    };
    expect(await problem({ period: { from: 'last month', to: period.to }, draft: { file: JD_FILE, content: '{}' } })).toEqual([400, 'WHAT_IF.BAD_PERIOD']);
    expect(await problem({ period, draft: { file: 'no-such-memorandum.json', content: '{}' } })).toEqual([400, 'WHAT_IF.INVALID_REQUEST']);
    expect(await problem({ period, draft: { file: '../instruments.json', content: '{}' } })).toEqual([400, 'WHAT_IF.INVALID_REQUEST']);
    expect(await problem({ period, draft: { file: JD_FILE, content: '{ not json' } })).toEqual([422, 'WHAT_IF.INVALID_RULE_SET']);
    expect(await problem({ period, draft: { file: JD_FILE, content: '{}' }, release: releaseVersion })).toEqual([400, 'WHAT_IF.INVALID_REQUEST']);
    expect(await problem([])).toEqual([400, 'WHAT_IF.INVALID_REQUEST']);
    expect(await editor.call('GET', '/api/v1/what-if/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { code: 'WHAT_IF.NOT_FOUND' } });
    expect(await editor.call('GET', '/api/v1/what-if/510802199001011232.csv')).toMatchObject({ status: 404, body: { code: 'WHAT_IF.NOT_FOUND' } });

    expect(await auditSince()).toEqual([
      'auditor request-refused POST /api/v1/what-if CONSOLE.ROLE_REQUIRED refused',
      'approver request-refused POST /api/v1/what-if CONSOLE.CSRF_REFUSED refused',
      `approver run-what-if ${id} release ${releaseVersion} ok`,
      'auditor request-refused DELETE /api/v1/what-if/:id CONSOLE.ROLE_REQUIRED refused',
      'approver request-refused DELETE /api/v1/what-if/:id CONSOLE.CSRF_REFUSED refused',
      `approver cancel-what-if ${id} ok`,
      `auditor read-what-if ${id} ok`,
      ...Array.from({ length: auditor.polls }, () => `auditor read-what-if ${id} ok`),
      `auditor download-what-if ${id} ok`,
      `editor run-what-if draft ${JD_FILE} refused`,
      'editor run-what-if draft no-such-memorandum.json refused',
      'editor run-what-if unreadable request refused',
      `editor run-what-if draft ${JD_FILE} refused`,
      `editor run-what-if draft ${JD_FILE} refused`,
      'editor run-what-if unreadable request refused',
      'editor read-what-if 00000000-0000-4000-8000-000000000000 refused',
      'editor download-what-if - refused',
    ]);
  });
});
