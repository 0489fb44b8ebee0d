import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeUsccCheckCharacter } from '@app/domain';
import { AppProcess, freePort, startEmbeddedApps } from '../support/app-process';
import { expectProblem, Problem } from '../support/problem';
import { testDatabaseUrl } from '../support/test-database';

// CloudEvents over HTTP (binding 1.0.2) as a department's client sends them: structured, binary
// (ce-* headers, data in the body) and batch mode, on Fastify and on Express. A binary event is
// the structured one in other clothes: admitted, refused and decided the same.
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8')) as CourtEvent;
const court = { authorization: 'Bearer dev-court-token' };
let sequence = 0;

interface CourtEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype?: string;
  data: { subject: { id: string } } & Record<string, unknown>;
  [extension: string]: unknown;
}

interface StatusReport {
  status: string;
  refusal: { code: string } | null;
  outcome: { status: string; code: string | null } | null;
  effects: { decisions: { memorandum: string }[]; records: { department: string; kind: string }[] };
}

/** A listing of an enterprise of its own (a valid USCC no other test uses), so its decision depends on nothing else. */
function courtListing(): CourtEvent {
  const first17 = `9151080200${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
  const uscc = first17 + computeUsccCheckCharacter(first17);
  const event = structuredClone(listing);
  event.id = `modes-${Date.now()}-${++sequence}`;
  event.subject = uscc;
  event.data.subject.id = uscc;
  return event;
}

/** Binary mode: every attribute but data as a ce- header (percent-encoded as §3.1.3.2 asks), the data as the body. */
function binaryMode(event: Record<string, unknown>, contentType = 'application/json'): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': contentType };
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'datacontenttype') continue;
    headers[`ce-${name}`] = String(value).replace(/[^\u0021-\u0024\u0026-\u007e]/gu, (c) => encodeURIComponent(c));
  }
  return { headers, body: JSON.stringify(event.data) };
}

describe('CloudEvents over HTTP: structured, binary and batch mode', () => {
  let ingest: AppProcess;
  let engine: AppProcess;
  let query: AppProcess;
  let expressIngest: AppProcess;

  beforeAll(async () => {
    const env = { DATABASE_URL: testDatabaseUrl(), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' };
    [[ingest, engine, query], expressIngest] = await Promise.all([
      startEmbeddedApps({ ...env, HTTP_PLATFORM: 'fastify' }),
      freePort().then((port) => AppProcess.start('ingest-api', { ...env, HTTP_PLATFORM: 'express' }, port)),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), engine?.stop(), query?.stop(), expressIngest?.stop()]);
  });

  const platforms = () => [ingest, expressIngest] as const;
  const post = (app: AppProcess, headers: Record<string, string>, body: string, path = '/v1/events') => fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { ...court, ...headers }, body });
  const structured = (app: AppProcess, event: unknown, contentType = 'application/cloudevents+json') => post(app, { 'content-type': contentType }, JSON.stringify(event));
  const binary = (app: AppProcess, event: Record<string, unknown>, contentType?: string) => {
    const message = binaryMode(event, contentType);
    return post(app, message.headers, message.body);
  };
  const answer = async (response: Response) => ({ status: response.status, body: (await response.json()) as Problem & { accepted?: { id: string; duplicate: boolean }[] } });
  const statusOf = (id: string) => fetch(`${query.baseUrl}/v1/events/court/${encodeURIComponent(id)}`, { headers: court });
  const decided = async (id: string): Promise<StatusReport> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await statusOf(id);
      const report = response.status === 200 ? ((await response.json()) as StatusReport) : undefined;
      if ((report && report.status !== 'received') || Date.now() > deadline) return report!;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** What a decision comes to, without its ids. */
  const effects = (report: StatusReport) => ({
    status: report.status,
    refusal: report.refusal,
    outcome: report.outcome,
    memoranda: report.effects.decisions.map((d) => d.memorandum).sort(),
    records: report.effects.records.map((r) => `${r.department}:${r.kind}`).sort(),
  });

  it('admits a binary-mode event as the structured event it stands for, and decides it the same, on either platform', async () => {
    const reference = courtListing();
    expect((await structured(ingest, reference)).status).toBe(202);
    const expected = effects(await decided(reference.id));
    expect(expected).toMatchObject({ status: 'decided', memoranda: ['judgment-debtors'] });
    for (const app of platforms()) {
      const event = courtListing();
      // An extension attribute travels as a header of its own.
      const sent = await answer(await binary(app, { ...event, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }));
      expect(sent).toMatchObject({ status: 202, body: { accepted: [{ id: event.id, duplicate: false }] } });
      // The same event sent structured is the same content: a duplicate, not a reused id.
      expect((await answer(await structured(app, event))).body.accepted).toMatchObject([{ id: event.id, duplicate: true }]);
      expect(effects(await decided(event.id))).toEqual(expected);
    }
  });

  it('accepts media-type parameters in any case: a UTF-8 charset on structured, binary and batch mode', async () => {
    for (const app of platforms()) {
      expect((await structured(app, courtListing(), 'Application/CloudEvents+JSON; Charset=UTF-8')).status).toBe(202);
      expect((await structured(app, courtListing(), 'application/json; charset="utf-8"')).status).toBe(202);
      expect((await binary(app, courtListing(), 'application/json; charset=UTF-8')).status).toBe(202);
      expect((await structured(app, [courtListing()], 'application/cloudevents-batch+json; charset=utf-8')).status).toBe(202);
    }
  });

  it('refuses a binary event with a bad header with the status, code and field the structured one gets', async () => {
    const cases: Array<[string, (event: CourtEvent) => Record<string, unknown>]> = [
      ['time not RFC 3339', (e) => ({ ...e, time: 'yesterday' })],
      ['no id', ({ id: _id, ...e }) => e],
      ['unknown type', (e) => ({ ...e, type: 'credit.nothing.v1' })],
      ['another department as source', (e) => ({ ...e, source: '/departments/tax' })],
      ['specversion 0.3', (e) => ({ ...e, specversion: '0.3' })],
      ['subject not the data subject', (e) => ({ ...e, subject: '91510802MA62XK8R6G' })],
      ['extension name with a dash', (e) => ({ ...e, 'trace-id': 'x' })],
      ['control character in subject', (e) => ({ ...e, subject: 'a\u0000b' })],
    ];
    for (const app of platforms()) {
      for (const [name, mutate] of cases) {
        const want = await answer(await structured(app, mutate(courtListing())));
        const got = await answer(await binary(app, mutate(courtListing())));
        expect([name, got.status, got.body.code, got.body.violations?.map((v) => v.path)]).toEqual([name, want.status, want.body.code, want.body.violations?.map((v) => v.path)]);
        expect([name, got.status >= 400]).toEqual([name, true]);
      }
      // A header value that is not valid UTF-8 percent-encoding has no structured twin: a 400 naming the attribute.
      const message = binaryMode(courtListing());
      const invalid = await expectProblem(await post(app, { ...message.headers, 'ce-subject': '%C0%A0' }, message.body), 400, 'EVENT.BAD_CHARACTER');
      expect(invalid.violations?.map((v) => v.path)).toEqual(['subject']);
    }
  });

  it('takes a batch in batch mode on /v1/events, all or nothing, over the single-event size limit, and keeps /v1/events/batch', async () => {
    for (const app of platforms()) {
      const [first, second] = [courtListing(), courtListing()];
      const accepted = await answer(await structured(app, [first, second], 'application/cloudevents-batch+json'));
      expect(accepted).toMatchObject({ status: 202, body: { accepted: [{ id: first.id, duplicate: false }, { id: second.id, duplicate: false }] } });
      const kept = courtListing();
      const late = courtListing();
      const refused = await answer(await structured(app, [kept, { ...late, data: { ...late.data, decidedOn: 'soon' } }], 'application/cloudevents-batch+json'));
      expect(refused).toMatchObject({ status: 422, body: { code: 'EVENT.SCHEMA_VIOLATION', detail: expect.stringMatching(/^event \[1\]/) } });
      expect((await statusOf(kept.id)).status).toBe(404);
      // 150 events are about 80 KiB: over the 64 KiB of one event, under the batch's 5 MiB.
      const large = Array.from({ length: 150 }, courtListing);
      expect(JSON.stringify(large).length).toBeGreaterThan(64 * 1024);
      expect((await structured(app, large, 'application/cloudevents-batch+json')).status).toBe(202);
      expect((await post(app, { 'content-type': 'application/json' }, JSON.stringify([courtListing()]), '/v1/events/batch')).status).toBe(202);
    }
  });

  it('refuses a body that is not JSON with 415 REQUEST.UNSUPPORTED_MEDIA_TYPE as Problem Details, on either platform', async () => {
    const event = JSON.stringify(courtListing());
    for (const app of platforms()) {
      for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/cloudevents+json; charset=iso-8859-1']) {
        const problem = await expectProblem(await post(app, { 'content-type': type }, event), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
        expect(problem).toMatchObject({ title: 'Request: unsupported media type', context: { accepted: expect.arrayContaining(['application/cloudevents-batch+json']) } });
      }
      // Other refusals have the same shape, violations kept as before; on the engine's own HTTP too.
      const late = courtListing();
      const violation = await expectProblem(await structured(app, { ...late, data: { ...late.data, decidedOn: 'soon' } }), 422, 'EVENT.SCHEMA_VIOLATION');
      expect(violation.violations).toEqual([expect.objectContaining({ path: 'data.decidedOn' })]);
    }
    const unknown = await expectProblem(await fetch(`${engine.baseUrl}/v1/nothing`), 404, 'REQUEST.NOT_FOUND');
    expect((await fetch(new URL(unknown.type, engine.baseUrl))).status).toBe(200);
  });
});
