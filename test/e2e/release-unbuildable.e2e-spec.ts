import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseUnifiedSocialCreditCode } from '@app/domain';
import { readRuleContent, RuleContent } from '@app/rules';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// Review of issue 14 item 5: an engine that cannot build the release in force (its registry lacks
// a department the release names) holds its batches, fails readiness and says why in its metrics
// and log, and decides nothing under the release before; restarted with a registry that has the
// department, it builds the release and decides the held events under it.
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8')) as { id: string; subject: string; data: any };
const RULES = join(__dirname, '../../rules');
const LEAD_MS = 2_000;
const MANAGEMENT_TOKEN = 'release-unbuildable-management-token';

/** A valid unified social credit code of its own for each event: 91510802MB + 7 digits + check character. */
function uscc(n: number): string {
  const body = `91510802MB${String(n).padStart(7, '0')}`;
  return body + parseUnifiedSocialCreditCode(`${body}0`, { allowBadCheckDigit: true }).expectedCheckCharacter;
}

function listingOf(n: number): unknown {
  const id = uscc(n);
  return { ...listing, id: `release-unbuildable-${n}`, subject: id, data: { ...listing.data, subject: { ...listing.data.subject, id }, documentNumber: `（2026）川0802执${7000 + n}号` } };
}

/** rules/ with JD-01 given to the education department, which rules/ never name. */
function namingEducation(content: RuleContent): RuleContent {
  const memorandum = JSON.parse(content.memoranda['judgment-debtors.json']) as { measures: { implementingDepartment: string }[] };
  memorandum.measures[0].implementingDepartment = 'education';
  return { ...content, memoranda: { ...content.memoranda, 'judgment-debtors.json': `${JSON.stringify(memorandum, null, 2)}\n` } };
}

/** config/departments.json without education: the registry of an engine not yet given it. */
function departmentsWithoutEducation(): string {
  const document = JSON.parse(readFileSync(join(__dirname, '../../config/departments.json'), 'utf8')) as { departments: { code: string }[] };
  const file = join(mkdtempSync(join(tmpdir(), 'departments-')), 'departments.json');
  writeFileSync(file, JSON.stringify({ ...document, departments: document.departments.filter((d) => d.code !== 'education') }));
  return file;
}

interface RulesReport {
  status: string;
  release: number | null;
  refusedReleases?: { version: number }[];
  held?: { reason: string; version?: number; message: string };
}

/** Readiness as an orchestrator reads it: 200 with the report, or 503 Problem Details whose context.readiness is the report. */
interface Readiness {
  code?: string;
  details?: { rules: RulesReport };
  context?: { readiness: { details: { rules: RulesReport } } };
}

describe('release an engine cannot build: its batches are held, never decided under the release before', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let query: AppProcess;
  let engine: AppProcess;
  let env: Record<string, string>;
  const files = readRuleContent(RULES);

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('release_unbuildable');
    db = await openTestDatabase(url);
    await truncateAll(db);
    env = {
      ...(await appRoleEnv(url)),
      TRANSPORT: 'postgres',
      ENGINE_POLL_INTERVAL_MS: '20',
      RULES_SOURCE: 'database',
      RULES_RELOAD_INTERVAL_MS: '200',
      RELEASE_MIN_LEAD_MS: String(LEAD_MS),
      LIFECYCLE_INTERVAL_MS: '0',
    };
    const management = { MANAGEMENT_TOKEN_SHA256: createHash('sha256').update(MANAGEMENT_TOKEN).digest('hex') };
    [ingest, query] = await Promise.all([AppProcess.start('ingest-api', env, await freePort()), AppProcess.start('query-api', { ...env, ...management }, await freePort())]);
    engine = await AppProcess.start('decision-engine', { ...env, LOG_LEVEL: 'log', DEPARTMENTS_FILE: departmentsWithoutEducation() }, await freePort());
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ingest?.stop(), query?.stop(), engine?.stop()]);
    await db?.destroy();
  });

  const release = async (content: RuleContent, marginMs: number): Promise<{ version: number; effectiveAt: string }> => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${MANAGEMENT_TOKEN}` };
    const draft = await fetch(`${query.baseUrl}/v1/releases`, { method: 'POST', headers, body: JSON.stringify({ content, author: '王芳', notes: 'release-unbuildable test' }) });
    expect(draft.status).toBe(201);
    const { version } = (await draft.json()) as { version: number };
    const effectiveAt = new Date(Date.now() + LEAD_MS + marginMs).toISOString();
    const approved = await fetch(`${query.baseUrl}/v1/releases/${version}/approve`, { method: 'POST', headers, body: JSON.stringify({ approver: '李强', effectiveAt }) });
    expect(approved.status).toBe(200);
    return (await approved.json()) as { version: number; effectiveAt: string };
  };

  const publish = async (n: number): Promise<void> => {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, { method: 'POST', headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(listingOf(n)) });
    expect(response.status).toBe(202);
  };

  const decisions = async (ids: string[]) =>
    (await db.query(`SELECT cause_event_id, rule_release FROM decision WHERE cause_event_id = ANY($1) AND memorandum_id = 'judgment-debtors'`, [ids])) as { cause_event_id: string; rule_release: number | null }[];

  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const readiness = async (): Promise<{ status: number; code?: string; rules: RulesReport }> => {
    const response = await fetch(`${engine.baseUrl}/health/ready`);
    const body = (await response.json()) as Readiness;
    return { status: response.status, code: body.code, rules: (body.details ?? body.context!.readiness.details).rules };
  };

  it('holds from the instant the release takes effect, fails readiness with the reason, and decides the held events under it once restarted with the registry that has its department', async () => {
    const first = await release(files, 200);
    await new Promise((r) => setTimeout(r, Date.parse(first.effectiveAt) - Date.now() + 100));
    await publish(0);
    expect(await until(() => decisions(['release-unbuildable-0']), (rows) => rows.length === 1)).toEqual([{ cause_event_id: 'release-unbuildable-0', rule_release: first.version }]);

    const second = await release(namingEducation(files), 1_000);
    // Refused as soon as seen, reported ahead of its instant without failing: release 1 still decides.
    const ahead = await until(readiness, (r) => (r.rules.refusedReleases ?? []).length > 0, 5_000);
    expect(ahead.status).toBe(200);
    expect(ahead.rules).toMatchObject({ status: 'up', release: first.version, refusedReleases: [{ version: second.version }] });
    expect(Date.now()).toBeLessThan(Date.parse(second.effectiveAt));

    await new Promise((r) => setTimeout(r, Date.parse(second.effectiveAt) - Date.now() + 50));
    const held = ['release-unbuildable-1', 'release-unbuildable-2', 'release-unbuildable-3'];
    await Promise.all([1, 2, 3].map((n) => publish(n)));
    // Given time to decide them (it decided release-unbuildable-0 in well under a second), it decides none: under release 1 would be the wrong release.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await decisions(held)).toEqual([]);
    const pending = (await db.query(`SELECT count(*)::int AS n FROM inbound_event WHERE event_id = ANY($1) AND status = 'pending'`, [held])) as { n: number }[];
    expect(pending[0].n).toBe(3);

    const notReady = await readiness();
    expect([notReady.status, notReady.code]).toEqual([503, 'SERVICE.UNAVAILABLE']);
    expect(notReady.rules).toMatchObject({ status: 'down', held: { reason: 'release-not-built', version: second.version, message: expect.stringContaining(`release ${second.version}`) } });
    const metrics = await (await fetch(`${engine.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^credit_rule_release_held\{reason="release-not-built"\} 1$/m);
    expect(metrics).toMatch(/^credit_rule_releases_refused 1$/m);
    // Tried again while held (5 s after the refusal), and refused again: it still lacks the department; the hold stays and is not logged again.
    await until(async () => engine.log, (log) => log.includes(`release ${second.version} still cannot be built`), 10_000);
    expect(engine.log).toMatch(new RegExp(`release ${second.version} still cannot be built by this engine \\(\\d+ problems, try 2\\); next try in 10 s`));
    expect(await decisions(held)).toEqual([]);
    // Logged once, with the release and the reason, never an event's subject.
    expect(engine.log.split('\n').filter((line) => line.includes(`batches held: release ${second.version}`))).toHaveLength(1);
    expect(engine.log).toContain('RULES.UNKNOWN_DEPARTMENT');
    for (const n of [1, 2, 3]) expect(engine.log).not.toContain(uscc(n));

    // Restarted with a registry that has education: builds the release and decides the held events under it.
    await engine.stop();
    engine = await AppProcess.start('decision-engine', { ...env, LOG_LEVEL: 'log' }, await freePort());
    const rows = await until(() => decisions(held), (r) => r.length === held.length);
    expect(rows.map((r) => r.rule_release)).toEqual([second.version, second.version, second.version]);
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.rules).toMatchObject({ status: 'up', release: second.version });
    expect(ready.rules.refusedReleases).toBeUndefined();
  }, 90_000);
});
