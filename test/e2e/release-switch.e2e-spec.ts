import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseUnifiedSocialCreditCode } from '@app/domain';
import { readRuleContent, RuleContent } from '@app/rules';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// The Done-when: two engines on the inbox transport switch to an approved release at its
// effective instant together, no batch half on one release; a rollback takes effect the same way.
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8')) as { id: string; subject: string; data: any };
const RULES = join(__dirname, '../../rules');
const LEAD_MS = 3_000;
/** The release API is behind the management token until console users sign in. */
const MANAGEMENT_TOKEN = 'release-switch-management-token';

/** A valid unified social credit code of its own for each event: 91510802MA + 7 digits + check character. */
function uscc(n: number): string {
  const body = `91510802MA${String(n).padStart(7, '0')}`;
  return body + parseUnifiedSocialCreditCode(`${body}0`, { allowBadCheckDigit: true }).expectedCheckCharacter;
}

function listingOf(n: number): unknown {
  const id = uscc(n);
  return {
    ...listing,
    id: `release-switch-${n}`,
    subject: id,
    data: { ...listing.data, subject: { ...listing.data.subject, id }, documentNumber: `（2026）川0802执${9000 + n}号` },
  };
}

/** The rules/ content with one measure's wording changed: another revision. */
function reworded(content: RuleContent): RuleContent {
  const memorandum = JSON.parse(content.memoranda['judgment-debtors.json']) as { measures: { text: { zh: string } }[] };
  memorandum.measures[0].text.zh += '（修订）';
  return { ...content, memoranda: { ...content.memoranda, 'judgment-debtors.json': `${JSON.stringify(memorandum, null, 2)}\n` } };
}

interface Release {
  version: number;
  revision: string;
  effectiveAt: string;
}

/** Event ids each engine logged as decided ("event decided" JSON lines). */
function decidedBy(engine: AppProcess): Set<string> {
  const ids = new Set<string>();
  for (const line of engine.log.split('\n')) {
    if (!line.includes('event decided')) continue;
    try {
      const entry = JSON.parse(line) as { eventId?: string; msg?: string; message?: string };
      if (entry.eventId) ids.add(entry.eventId);
    } catch {
      // not a JSON line
    }
  }
  return ids;
}

describe('release switch: two engines change release at its effective instant, together', () => {
  let db: DataSource;
  let ingest: AppProcess;
  let engines: AppProcess[];
  let query: AppProcess;
  const files = readRuleContent(RULES);

  beforeAll(async () => {
    // Its own database: the engines here take every approved release in it.
    const url = await ownTestDatabaseUrl('release_switch');
    db = await openTestDatabase(url);
    await truncateAll(db);
    const env = {
      ...(await appRoleEnv(url)),
      TRANSPORT: 'postgres',
      ENGINE_POLL_INTERVAL_MS: '20',
      ENGINE_BATCH_SIZE: '4',
      RULES_SOURCE: 'database',
      RULES_RELOAD_INTERVAL_MS: '250',
      RELEASE_MIN_LEAD_MS: String(LEAD_MS),
      LIFECYCLE_INTERVAL_MS: '0',
    };
    const port = () => freePort();
    const management = { MANAGEMENT_TOKEN_SHA256: createHash('sha256').update(MANAGEMENT_TOKEN).digest('hex') };
    [ingest, query] = await Promise.all([AppProcess.start('ingest-api', env, await port()), AppProcess.start('query-api', { ...env, ...management }, await port())]);
    // The engines log each decided event (LOG_LEVEL=log), so the test knows which engine decided it.
    engines = await Promise.all([0, 1].map(async () => AppProcess.start('decision-engine', { ...env, LOG_LEVEL: 'log' }, await port())));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ingest?.stop(), query?.stop(), ...(engines ?? []).map((e) => e.stop())]);
    await db?.destroy();
  });

  const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown, token: string | undefined = MANAGEMENT_TOKEN): Promise<{ status: number; body: T; type: string | null }> => {
    const response = await fetch(`${query.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T, type: response.headers.get('content-type') };
  };

  /** A draft, approved to take effect `marginMs` after the earliest instant allowed. */
  const release = async (content: RuleContent, author: string, approver: string, marginMs: number): Promise<Release> => {
    const draft = await api<Release & { status: string }>('POST', '/v1/releases', { content, author, notes: 'release-switch test' });
    expect(draft.status).toBe(201);
    const effectiveAt = new Date(Date.now() + LEAD_MS + marginMs);
    const approved = await api<Release>('POST', `/v1/releases/${draft.body.version}/approve`, { approver, effectiveAt: effectiveAt.toISOString() });
    expect(approved.status).toBe(200);
    return approved.body;
  };

  const publish = async (n: number): Promise<void> => {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(listingOf(n)),
    });
    expect(response.status).toBe(202);
  };

  const decided = async (ids: string[], timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = (await db.query(
        `SELECT e.event_id, d.rule_release, d.rule_set_revision, d.issued_at FROM inbound_event e JOIN decision d ON d.cause_event_source = e.source AND d.cause_event_id = e.event_id
         WHERE e.event_id = ANY($1) AND d.memorandum_id = 'judgment-debtors'`,
        [ids],
      )) as { event_id: string; rule_release: number | null; rule_set_revision: string; issued_at: Date }[];
      if (rows.length >= ids.length || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('decides events before the effective instant under release N and after it under N+1, on both engines, no batch mixed; a rollback takes effect the same way', async () => {
    const first = await release(files, '王芳', '李强', 200);
    await new Promise((r) => setTimeout(r, Date.parse(first.effectiveAt) - Date.now() + 100));

    const second = await release(reworded(files), '赵敏', '李强', 500);
    const switchAt = Date.parse(second.effectiveAt);
    expect(second.version).toBe(first.version + 1);
    expect(second.revision).not.toBe(first.revision);

    // A steady stream from 2 s before the instant to 2 s after it, four events at a time.
    const ids: string[] = [];
    let n = 0;
    while (Date.now() < switchAt - 2_000) await new Promise((r) => setTimeout(r, 20));
    while (Date.now() < switchAt + 2_000) {
      const burst = [n++, n++, n++, n++];
      await Promise.all(burst.map((i) => publish(i)));
      ids.push(...burst.map((i) => `release-switch-${i}`));
      await new Promise((r) => setTimeout(r, 60));
    }
    const rows = await decided(ids);
    expect(rows).toHaveLength(ids.length);

    // Every decision cites the release in force at its batch's instant, exactly.
    const wrong = rows.filter((r) => r.rule_release !== (r.issued_at.getTime() < switchAt ? first.version : second.version));
    expect(wrong).toEqual([]);
    for (const r of rows) expect(r.rule_set_revision).toBe(r.rule_release === first.version ? first.revision : second.revision);

    // One batch, one instant, one release.
    const releasesByBatch = new Map<number, Set<number | null>>();
    for (const r of rows) releasesByBatch.set(r.issued_at.getTime(), (releasesByBatch.get(r.issued_at.getTime()) ?? new Set()).add(r.rule_release));
    expect([...releasesByBatch.values()].filter((s) => s.size > 1)).toEqual([]);

    // Both engines decided on both sides of the instant.
    const instantOf = new Map(rows.map((r) => [r.event_id, r.issued_at.getTime()]));
    for (const engine of engines) {
      const mine = [...decidedBy(engine)].filter((id) => instantOf.has(id));
      expect({ before: mine.some((id) => instantOf.get(id)! < switchAt), after: mine.some((id) => instantOf.get(id)! >= switchAt) }).toEqual({ before: true, after: true });
    }

    // Rollback in one action to the first release: the next event cites the rollback release with the old content's revision.
    const rollback = await api<Release & { rolledBackFrom: number }>('POST', `/v1/releases/${first.version}/rollback`, { actor: '李强', notes: 'wording withdrawn' });
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({ version: second.version + 1, revision: first.revision, rolledBackFrom: first.version });
    await new Promise((r) => setTimeout(r, Date.parse(rollback.body.effectiveAt) - Date.now() + 50));
    await publish(n);
    const [after] = await decided([`release-switch-${n}`]);
    expect(after).toMatchObject({ rule_release: rollback.body.version, rule_set_revision: first.revision });

    // The department's record cites the release beside the revision.
    const feed = await fetch(`${query.baseUrl}/v1/feed?after=0&limit=500`, { headers: { authorization: 'Bearer dev-finance-token' } });
    const records = ((await feed.json()) as { records: { kind: string; causeEvent?: { id: string }; ruleSetRelease?: number | null; ruleSetRevision?: string; schemaVersion: number }[] }).records;
    expect(records.find((r) => r.causeEvent?.id === `release-switch-${n}`)).toMatchObject({ schemaVersion: 6, ruleSetRelease: rollback.body.version, ruleSetRevision: first.revision });

    // The release history says what is in force now.
    const list = await api<{ version: number; status: string }[]>('GET', '/v1/releases');
    expect(list.body.map((r) => [r.version, r.status])).toEqual([
      [rollback.body.version, 'in-force'],
      [second.version, 'superseded'],
      [first.version, 'superseded'],
    ]);
  }, 120_000);

  it('answers refusals as Problem Details with RELEASE.* codes, and only with the management token', async () => {
    const problem = async (method: 'GET' | 'POST', path: string, body?: unknown, token?: string) => {
      const { status, body: answer, type } = await api<{ code: string }>(method, path, body, token);
      expect(type).toMatch(/^application\/problem\+json/);
      return [status, answer.code];
    };
    expect(await problem('GET', '/v1/releases', undefined, '')).toEqual([401, 'MANAGEMENT.NOT_AUTHENTICATED']);
    expect(await problem('GET', '/v1/releases', undefined, 'wrong-token')).toEqual([401, 'MANAGEMENT.NOT_AUTHENTICATED']);
    expect(await problem('GET', '/v1/releases/abc')).toEqual([400, 'RELEASE.INVALID_REQUEST']);
    expect(await problem('GET', '/v1/releases/9999')).toEqual([404, 'RELEASE.NOT_FOUND']);
    expect(await problem('POST', '/v1/releases', { content: { memoranda: { 'judgment-debtors.json': '{' }, instruments: files.instruments }, author: '王芳' })).toEqual([422, 'RELEASE.INVALID_CONTENT']);
    const draft = await api<{ version: number }>('POST', '/v1/releases', { content: files, author: '王芳' });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect(await problem('POST', `/v1/releases/${draft.body.version}/approve`, { approver: '王芳', effectiveAt: later })).toEqual([403, 'RELEASE.FOUR_EYES']);
    expect(await problem('POST', `/v1/releases/${draft.body.version}/approve`, { approver: '李强', effectiveAt: new Date().toISOString() })).toEqual([422, 'RELEASE.EFFECTIVE_TOO_SOON']);
    expect(await problem('POST', `/v1/releases/${draft.body.version}/rollback`, { actor: '李强' })).toEqual([409, 'RELEASE.NOT_APPROVED']);
    expect((await api('POST', `/v1/releases/${draft.body.version}/approve`, { approver: '李强', effectiveAt: later })).status).toBe(200);
    expect(await problem('POST', `/v1/releases/${draft.body.version}/approve`, { approver: '赵敏', effectiveAt: later })).toEqual([409, 'RELEASE.NOT_DRAFT']);
  });
});
