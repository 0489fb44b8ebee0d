import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, startEmbeddedApps } from '../support/app-process';
import { ownTestDatabaseUrl } from '../support/database';

interface Readiness {
  status: string;
  details: { database: { status: string }; rules: { status: string; revision: string; memoranda: number; lastRefusal?: { at: string; problems: number; reason: string } } };
}

/** Liveness and readiness as an orchestrator probes them, a refused rule edit as an operator sees it there, and the embedded engine's metrics. */
describe('operating the embedded apps: health and metrics', () => {
  let apps: AppProcess[];
  let rulesDir: string;

  function writeRuleFile(name: string, content: string): void {
    const file = join(rulesDir, name);
    writeFileSync(file, content);
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
  }

  beforeAll(async () => {
    rulesDir = join(mkdtempSync(join(tmpdir(), 'health-e2e-')), 'rules');
    cpSync(join(__dirname, '../../rules'), rulesDir, { recursive: true });
    const url = await ownTestDatabaseUrl('health');
    apps = await startEmbeddedApps({ DATABASE_URL: url, TRANSPORT: 'postgres', RULES_DIR: rulesDir, RULES_RELOAD_INTERVAL_MS: '100' });
  });

  afterAll(async () => {
    await Promise.all((apps ?? []).map((app) => app.stop()));
  });

  const ready = async (app: AppProcess): Promise<Readiness> => {
    const response = await fetch(`${app.baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    return (await response.json()) as Readiness;
  };

  it('answers liveness without asking any dependency, and readiness with the database and the rule set in force, on every app', async () => {
    for (const app of apps) {
      const live = await fetch(`${app.baseUrl}/health/live`);
      expect({ app: app.name, status: live.status, body: await live.json() }).toEqual({ app: app.name, status: 200, body: { status: 'ok' } });
      const readiness = await ready(app);
      expect(readiness).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, rules: { status: 'up', revision: expect.stringMatching(/^sha256:/), memoranda: expect.any(Number) } } });
      // /health stays the readiness it was.
      expect(((await (await fetch(`${app.baseUrl}/health`)).json()) as Readiness).details.rules.revision).toBe(readiness.details.rules.revision);
    }
  });

  it('counts on the engine\'s /metrics what it decided from the inbox: events by department, type and outcome, decisions, latency, backlog, overdue feedback', async () => {
    const [ingest, engine] = apps;
    const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8'));
    const published = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' },
      // Its own judgment number: this suite's database outlives a run, and one number about one debtor is one conduct.
      body: JSON.stringify({ ...listing, id: randomUUID(), data: { ...listing.data, documentNumber: `（2026）川0802执${randomUUID().slice(0, 8)}号` } }),
    });
    expect(published.status).toBe(202);
    const deadline = Date.now() + 20_000;
    let metrics = '';
    while (!/^credit_events_decided_total\{department="court",type="credit\.judgment-debtor\.listed\.v1",outcome="decided"\} [1-9]/m.test(metrics)) {
      if (Date.now() > deadline) throw new Error(`the engine's metrics never counted the decision:\n${metrics.slice(0, 3000)}`);
      await new Promise((r) => setTimeout(r, 100));
      metrics = await (await fetch(`${engine.baseUrl}/metrics`)).text();
    }
    expect(metrics).toMatch(/^credit_decisions_total\{memorandum="judgment-debtors"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^credit_decision_latency_seconds_count\{transport="postgres"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^credit_inbox_pending \d+$/m);
    expect(metrics).toMatch(/^credit_inbox_oldest_pending_seconds [\d.e+-]+$/m);
    expect(metrics).toMatch(/^credit_rule_set_info\{revision="sha256:[0-9a-f]+",memoranda="\d+"\} 1$/m);
    expect(metrics).toMatch(/^credit_rule_set_refused 0$/m);
    expect(metrics).toMatch(/^# TYPE credit_feedback_overdue gauge$/m);
  });

  it("shows a refused rule edit in the engine's readiness, still ready on the last good rule set, until a good edit replaces it", async () => {
    const engine = apps.find((app) => app.name === 'decision-engine')!;
    const before = (await ready(engine)).details.rules;
    const original = readFileSync(join(rulesDir, 'wage-arrears.json'), 'utf8');
    writeRuleFile('wage-arrears.json', original.replace('"legalBasis"', '"legalBasisTypo"'));
    const deadline = Date.now() + 10_000;
    let rules = before;
    while (!rules.lastRefusal) {
      if (Date.now() > deadline) throw new Error(`the engine never reported the refused edit:\n${engine.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
      rules = (await ready(engine)).details.rules;
    }
    expect(rules).toMatchObject({ status: 'up', revision: before.revision, lastRefusal: { problems: expect.any(Number), reason: expect.stringContaining('see the log') } });
    expect(rules.lastRefusal!.problems).toBeGreaterThan(0);
    expect(engine.log).toMatch(/rule files refused, still running/);
    const metrics = await (await fetch(`${engine.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^credit_rule_set_refused 1$/m);
    expect(metrics).toMatch(/^credit_rule_set_refusals_total [1-9]\d*$/m);

    // A valid edit (whitespace is content: a new revision) clears it.
    writeRuleFile('wage-arrears.json', `${original}\n`);
    while ((await ready(engine)).details.rules.lastRefusal) {
      if (Date.now() > deadline + 10_000) throw new Error('the refusal never cleared');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await ready(engine)).details.rules.revision).not.toBe(before.revision);
  });
});
