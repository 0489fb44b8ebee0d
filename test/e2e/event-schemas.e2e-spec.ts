import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { AppProcess, freePort } from '../support/app-process';
import { testDatabaseUrl } from '../support/test-database';

// The per-event JSON Schemas an integrator validates against, at the stable URLs a `dataschema`
// names (/schemas/<type>.json): served without a token by the ingest and query APIs, on
// Fastify and on Express, cacheable; and `dataschema` checked as a URI naming the right schema.
const TYPE = 'credit.judgment-debtor.listed.v1';
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8')) as Record<string, unknown> & { type: string };
const court = { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' };

/** The stable code of an error answer, in today's envelope or as a Problem Details member. */
async function codeOf(response: Response): Promise<string> {
  const body = (await response.json()) as { code?: string; error?: { code?: string } };
  return body.error?.code ?? body.code ?? '(none)';
}

describe('GET /schemas/<type>.json and dataschema', () => {
  let ingest: AppProcess;
  let query: AppProcess;
  let ingestOnExpress: AppProcess;

  beforeAll(async () => {
    const env = { DATABASE_URL: testDatabaseUrl() };
    [ingest, query, ingestOnExpress] = await Promise.all([
      freePort().then((port) => AppProcess.start('ingest-api', { ...env, HTTP_PLATFORM: 'fastify' }, port)),
      freePort().then((port) => AppProcess.start('query-api', { ...env, HTTP_PLATFORM: 'fastify' }, port)),
      freePort().then((port) => AppProcess.start('ingest-api', { ...env, HTTP_PLATFORM: 'express' }, port)),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), query?.stop(), ingestOnExpress?.stop()]);
  });

  it('serves each type\'s schema without a token, as docs/schemas has it, with an ETag and public caching', async () => {
    const committed = readFileSync(join(__dirname, `../../docs/schemas/${TYPE}.json`), 'utf8');
    for (const app of [ingest, query, ingestOnExpress]) {
      const response = await fetch(`${app.baseUrl}/schemas/${TYPE}.json`);
      expect([app.name, response.status]).toEqual([app.name, 200]);
      expect(response.headers.get('content-type')).toMatch(/^application\/schema\+json/);
      expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(response.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
      expect(await response.text()).toBe(committed);
    }
  });

  it('answers 304 to a current If-None-Match, and the schema again to a stale one', async () => {
    for (const app of [ingest, ingestOnExpress]) {
      const etag = (await fetch(`${app.baseUrl}/schemas/${TYPE}.json`)).headers.get('etag')!;
      const current = await fetch(`${app.baseUrl}/schemas/${TYPE}.json`, { headers: { 'if-none-match': `"other", W/${etag}` } });
      expect([app.name, current.status]).toEqual([app.name, 304]);
      expect(current.headers.get('etag')).toBe(etag);
      expect(await current.text()).toBe('');
      const stale = await fetch(`${app.baseUrl}/schemas/${TYPE}.json`, { headers: { 'if-none-match': '"stale"' } });
      expect(stale.status).toBe(200);
    }
  });

  it('answers a name that is no event type\'s with 404 SCHEMA.UNKNOWN_TYPE', async () => {
    for (const app of [ingest, query, ingestOnExpress]) {
      for (const name of ['credit.unicorn.sighted.v1.json', `${TYPE}`, `${TYPE}.yaml`, '%2e%2e%2fpackage.json']) {
        const response = await fetch(`${app.baseUrl}/schemas/${name}`);
        expect([app.name, name, response.status]).toEqual([app.name, name, 404]);
        expect(await codeOf(response)).toMatch(/^(SCHEMA.UNKNOWN_TYPE|REQUEST.NOT_FOUND)$/);
      }
      const unknown = await fetch(`${app.baseUrl}/schemas/credit.unicorn.sighted.v1.json`);
      expect(await codeOf(unknown)).toBe('SCHEMA.UNKNOWN_TYPE');
    }
  });

  it('gives an integrator a schema that validates the event it is about to publish, which the ingest API then accepts', async () => {
    const schema = (await (await fetch(`${query.baseUrl}/schemas/${TYPE}.json`)).json()) as object;
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const event = { ...listing, id: `schema-${randomUUID()}`, dataschema: `${ingest.baseUrl}/schemas/${TYPE}.json` };
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, dataschema: 'not a uri' })).toBe(false);
    const published = await fetch(`${ingest.baseUrl}/v1/events`, { method: 'POST', headers: court, body: JSON.stringify(event) });
    expect(published.status).toBe(202);
  });

  it('refuses a dataschema that is not a URI (400 EVENT.NOT_CLOUDEVENT) or names another type\'s schema (422 EVENT.SCHEMA_VIOLATION), on either platform', async () => {
    for (const app of [ingest, ingestOnExpress]) {
      const publish = (dataschema: unknown) => fetch(`${app.baseUrl}/v1/events`, { method: 'POST', headers: court, body: JSON.stringify({ ...listing, id: `schema-${randomUUID()}`, dataschema }) });
      const notUri = await publish('not a uri');
      expect([app.name, notUri.status]).toEqual([app.name, 400]);
      const body = (await notUri.json()) as { error?: { code: string; violations: { path: string }[] }; code?: string; violations?: { path: string }[] };
      expect(body.error?.code ?? body.code).toBe('EVENT.NOT_CLOUDEVENT');
      expect((body.error?.violations ?? body.violations ?? []).map((v) => v.path)).toContain('dataschema');

      const otherType = await publish(`${app.baseUrl}/schemas/credit.honour.granted.v1.json`);
      expect([app.name, otherType.status]).toEqual([app.name, 422]);
      expect(await codeOf(otherType)).toBe('EVENT.SCHEMA_VIOLATION');

      expect((await publish('urn:example:registry:court-listing:1')).status).toBe(202);
    }
  });
});
