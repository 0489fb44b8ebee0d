import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sha256Hex } from '@app/domain';
import { AppProcess, freePort } from '../support/app-process';
import { expectProblem, Problem } from '../support/problem';
import { testDatabaseUrl } from '../support/test-database';

// What the HTTP edge answers before and around the controllers: unknown routes, media types and
// encodings of bodies, connection handling, the management token on every documents path, and
// client addresses behind a trusted proxy. The apps run on HTTP_PLATFORM as the environment
// sets it (Fastify by default): the same answers are required on Express.
const MANAGEMENT_TOKEN = 'management-token-of-the-edge-test';
const listing = JSON.parse(readFileSync(join(__dirname, '../fixtures/judgment-debtor-listed.json'), 'utf8')) as { id: string };

type ErrorAnswer = Problem;

/** A raw HTTP/1.1 exchange, for what fetch hides (the Connection header of the answer). */
function rawPost(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
    });
    // The server may answer and close before the whole body is written.
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    request.end(body);
  });
}

describe('the HTTP edge answers alike on either platform', () => {
  let ingest: AppProcess;
  let query: AppProcess;
  const court = { authorization: 'Bearer dev-court-token' };
  const event = () => Buffer.from(JSON.stringify({ ...listing, id: `edge-${randomUUID()}` }));

  beforeAll(async () => {
    // LOG_LEVEL log: the ready line (naming the platform) is an info line.
    const management = { DATABASE_URL: testDatabaseUrl(), MANAGEMENT_TOKEN_SHA256: sha256Hex(MANAGEMENT_TOKEN), LOG_LEVEL: 'log' };
    [ingest, query] = await Promise.all([
      freePort().then((port) => AppProcess.start('ingest-api', { ...management, RATE_LIMIT_ADDRESS_PER_MINUTE: '3' }, port)),
      // Behind a proxy on loopback: the client address is the one it forwards.
      freePort().then((port) => AppProcess.start('query-api', { ...management, TRUSTED_PROXY: 'loopback', RATE_LIMIT_ADDRESS_PER_MINUTE: '2' }, port)),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), query?.stop()]);
  });

  it('runs on the platform HTTP_PLATFORM names (Fastify unless set)', () => {
    const platform = process.env.HTTP_PLATFORM ?? 'fastify';
    expect(ingest.log).toContain(`HTTP on ${platform}`);
    expect(query.log).toContain(`HTTP on ${platform}`);
  });

  it('answers a route it does not have, and a method a route does not take, with 404 REQUEST.NOT_FOUND and the usual headers', async () => {
    for (const [app, method, path] of [
      [query, 'GET', '/v1/nothing-here'],
      [query, 'DELETE', '/v1/feed'],
      [ingest, 'GET', '/v1/events'],
      [ingest, 'PUT', '/v1/events/batch'],
    ] as const) {
      const response = await fetch(`${app.baseUrl}${path}`, { method, headers: court });
      expect([method, path, response.status]).toEqual([method, path, 404]);
      await expectProblem(response, 404, 'REQUEST.NOT_FOUND');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('describes each problem type at the relative URI its answers carry in `type`, on every app', async () => {
    const refused = await expectProblem(await fetch(`${ingest.baseUrl}/v1/nothing?q=1`, { headers: court }), 404, 'REQUEST.NOT_FOUND');
    expect(refused).not.toHaveProperty('instance');
    for (const app of [ingest, query]) {
      const described = await fetch(new URL(refused.type, app.baseUrl));
      expect(described.status).toBe(200);
      expect(await described.json()).toEqual({ type: refused.type, title: refused.title, status: 404, code: 'REQUEST.NOT_FOUND', kind: 'not-found' });
    }
    await expectProblem(await fetch(`${query.baseUrl}/problems/NO.SUCH_CODE`), 404, 'REQUEST.NOT_FOUND');
    // A resident ID pasted into the path is not quoted back.
    const pasted = await expectProblem(await fetch(`${query.baseUrl}/problems/510802199003071232`), 404, 'REQUEST.NOT_FOUND');
    expect(JSON.stringify(pasted)).not.toContain('510802199003071232');
  });

  it("matches routes as Express's router does: in any case, with or without a trailing slash", async () => {
    for (const path of ['/v1/departments', '/v1/departments/', '/V1/Departments', '/v1/feed?after=0', '/v1/feed/?after=0']) {
      const response = await fetch(`${query.baseUrl}${path}`, { headers: { authorization: 'Bearer dev-finance-token' } });
      expect([path, response.status]).toEqual([path, 200]);
    }
  });

  it('refuses a malformed percent-encoding in a route parameter with a 400 and a code, not a fault', async () => {
    const response = await fetch(`${query.baseUrl}/v1/events/court/bad%E0%A4%A`, { headers: court });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorAnswer).code).toBe('REQUEST.INVALID');
    expect(query.log).not.toMatch(/ERROR/);
  });

  it('answers a request Node refuses to parse (raw Chinese in the URL) with a 400 REQUEST.MALFORMED problem, on every app, and keeps serving', async () => {
    for (const app of [ingest, query]) {
      const { port } = new URL(app.baseUrl);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(Buffer.from('GET /v1/subjects/x/check?purpose=利州 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'utf8')));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head.toLowerCase()).toContain('content-type: application/problem+json');
      expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED', type: '/problems/REQUEST.MALFORMED' });
      expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);
    }
  });

  it('reads a body as JSON only under the JSON media types, inflating a compressed one and refusing others and an unknown charset with 415', async () => {
    const publish = (body: Buffer, headers: Record<string, string>) => fetch(`${ingest.baseUrl}/v1/events`, { method: 'POST', headers: { ...court, ...headers }, body });
    for (const type of ['application/cloudevents+json', 'application/json', 'application/cloudevents+json; charset=utf-8']) {
      expect([type, (await publish(event(), { 'content-type': type })).status]).toEqual([type, 202]);
    }
    // Another media type's body is not read: refused before routing, on the query API too.
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const refused = await expectProblem(await publish(event(), { 'content-type': type }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect(refused.context).toEqual({ accepted: ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'] });
    }
    const form = await fetch(`${query.baseUrl}/v1/tasks/x/feedback`, { method: 'POST', headers: court, body: new URLSearchParams({ outcome: 'applied' }) });
    await expectProblem(form, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect((await publish(gzipSync(event()), { 'content-type': 'application/cloudevents+json', 'content-encoding': 'gzip' })).status).toBe(202);
    const latin1 = await publish(event(), { 'content-type': 'application/cloudevents+json; charset=latin1' });
    await expectProblem(latin1, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    await expectProblem(await publish(event(), { 'content-type': 'application/json; charset=utf-16' }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    const notJson = await publish(Buffer.from('{"specversion": '), { 'content-type': 'application/cloudevents+json' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorAnswer).code).toBe('EVENT.MALFORMED_JSON');
  });

  it('closes the connection after refusing an over-size body, which it leaves unread', async () => {
    const answer = await rawPost(`${ingest.baseUrl}/v1/events`, { ...court, 'content-type': 'application/cloudevents+json' }, Buffer.alloc(200_000, 0x20));
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body) as ErrorAnswer).toMatchObject({ code: 'REQUEST.TOO_LARGE', detail: expect.stringContaining('65536 bytes') });
    // The batch route has a limit of its own.
    const batch = await rawPost(`${ingest.baseUrl}/v1/events/batch`, { ...court, 'content-type': 'application/cloudevents-batch+json' }, Buffer.from(`[${event().toString()}]`));
    expect(batch.status).toBe(202);
  });

  it('keeps every documents path behind the management token, encoded or not', async () => {
    const token = { authorization: `Bearer ${MANAGEMENT_TOKEN}` };
    for (const path of ['/docs-yaml', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js', '/DOCS-JSON']) {
      const refused = await fetch(`${query.baseUrl}${path}`);
      expect([path, refused.status]).toEqual([path, 401]);
      expect([path, (await fetch(`${query.baseUrl}${path}`, { headers: token })).status]).toEqual([path, 200]);
    }
    const yaml = await fetch(`${ingest.baseUrl}/docs-yaml`, { headers: token });
    expect(await yaml.text()).toMatch(/^openapi: 3\./m);
    // The router reads an encoded path as the plain one, or not at all: never served without the token.
    for (const path of ['/%64ocs-json', '/%6Detrics']) expect([401, 404]).toContain((await fetch(`${query.baseUrl}${path}`)).status);
  });

  it('counts requests without a token per forwarded client address behind the trusted proxy, IPv6 per /64', async () => {
    const from = async (address: string) => (await fetch(`${query.baseUrl}/v1/approval-items`, { headers: { 'x-forwarded-for': address } })).status;
    expect([await from('203.0.113.7'), await from('203.0.113.7'), await from('203.0.113.7')]).toEqual([200, 200, 429]);
    expect(await from('198.51.100.20')).toBe(200);
    expect([await from('2001:db8:0:7::1'), await from('2001:db8:0:7::2'), await from('2001:db8:0:7::3')]).toEqual([200, 200, 429]);
    expect(await from('2001:db8:0:8::1')).toBe(200);
    // Without a trusted proxy (the ingest API here) the header is anyone's to write, and ignored.
    const ingestFrom = async (address: string) => (await fetch(`${ingest.baseUrl}/v1/events`, { method: 'POST', headers: { 'x-forwarded-for': address } })).status;
    expect([await ingestFrom('192.0.2.1'), await ingestFrom('192.0.2.2'), await ingestFrom('192.0.2.3'), await ingestFrom('192.0.2.4')]).toEqual([401, 401, 401, 429]);
  });
});
