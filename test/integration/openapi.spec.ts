import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { OpenAPIObject } from '@nestjs/swagger';
import { decisionEngineOpenApi } from '../../apps/decision-engine/src/openapi';
import { ingestApiOpenApi } from '../../apps/ingest-api/src/openapi';
import { queryApiOpenApi } from '../../apps/query-api/src/openapi';
import { consoleOpenApi } from '../../apps/console/src/openapi';

type Json = Record<string, any>;

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const APPS = { 'ingest-api': ingestApiOpenApi, 'query-api': queryApiOpenApi, 'decision-engine': decisionEngineOpenApi, console: consoleOpenApi } as const;
const NAMES = Object.keys(APPS) as (keyof typeof APPS)[];
const REGENERATE = 'run `npm run docs:openapi` and commit the result';

const committed = (app: string): Json => JSON.parse(readFileSync(join(ROOT, `docs/openapi/${app}.json`), 'utf8'));
const operations = (doc: Json) => Object.entries(doc.paths as Json).flatMap(([path, item]) => Object.entries(item as Json).map(([method, operation]) => ({ path, method, operation: operation as Json })));

describe('OpenAPI documents (docs/openapi)', () => {
  const fresh: Partial<Record<keyof typeof APPS, OpenAPIObject>> = {};
  beforeAll(async () => {
    for (const app of NAMES) fresh[app] = await APPS[app]();
  });

  it.each(NAMES)('docs/openapi/%s.json is what the code generates', (app) => {
    if (!isDeepStrictEqual(committed(app), fresh[app])) throw new Error(`docs/openapi/${app}.json is out of date with the controllers: ${REGENERATE}`);
  });

  it.each(NAMES)('packages/client/src/generated/%s.ts is what openapi-typescript makes of the document', (app) => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-client-'));
    try {
      execFileSync(join(BIN, 'openapi-typescript'), [join(ROOT, `docs/openapi/${app}.json`), '-o', join(dir, 'out.ts')], { stdio: 'pipe' });
      const expected = readFileSync(join(dir, 'out.ts'), 'utf8');
      if (readFileSync(join(ROOT, `packages/client/src/generated/${app}.ts`), 'utf8') !== expected) throw new Error(`the client types of ${app} are out of date: ${REGENERATE}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(NAMES)('docs/openapi/%s.json passes Redocly CLI (recommended ruleset, redocly.yaml) with no error and no warning', (app) => {
    // Redocly's telemetry and update check would reach out to the network; neither is wanted in a test.
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const run = spawnSync(join(BIN, 'redocly'), ['lint', `docs/openapi/${app}.json`, '--format=json'], { cwd: ROOT, env, encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    expect(report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(run.status).toBe(0);
  });

  it('declares opaque bearer tokens, not JWTs, and the management token only where a route needs it', () => {
    for (const app of NAMES.filter((name) => name !== 'console')) {
      const schemes = committed(app).components.securitySchemes as Json;
      for (const scheme of Object.values(schemes)) {
        expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
        expect(scheme.bearerFormat).toBeUndefined();
      }
      expect(Object.keys(schemes).sort()).toEqual(app === 'decision-engine' ? ['management'] : ['department', 'management']);
    }
    // The console's people sign in with a session cookie, not a department's token.
    expect(committed('console').components.securitySchemes).toEqual({
      consoleSession: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'console_session' }),
      management: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    const metrics = committed('query-api').paths['/metrics'].get;
    expect(metrics.security).toEqual([{ management: [] }]);
  });

  it('answers every error with the one ProblemDetails schema as application/problem+json', () => {
    for (const app of NAMES) {
      const doc = committed(app);
      expect(doc.components.schemas.ProblemDetailsDto.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
      for (const { path, method, operation } of operations(doc)) {
        for (const [status, response] of Object.entries(operation.responses as Json)) {
          if (Number(status) < 400 || path.startsWith('/health')) continue;
          expect({ at: `${method} ${path} ${status}`, content: Object.keys(response.content) }).toEqual({ at: `${method} ${path} ${status}`, content: ['application/problem+json'] });
          expect(response.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDetailsDto' });
          expect(response.content['application/problem+json'].example.status).toBe(Number(status));
        }
      }
    }
  });

  it('lets every operation carry X-Request-Id and traceparent, declared once', () => {
    for (const app of NAMES) {
      const doc = committed(app);
      expect(Object.keys(doc.components.parameters)).toEqual(expect.arrayContaining(['RequestId', 'Traceparent']));
      for (const { path, method, operation } of operations(doc)) {
        const refs = (operation.parameters ?? []).map((p: Json) => p.$ref).filter(Boolean);
        expect({ at: `${method} ${path}`, refs }).toEqual({ at: `${method} ${path}`, refs: expect.arrayContaining(['#/components/parameters/RequestId', '#/components/parameters/Traceparent']) });
      }
    }
  });

  it('describes every request body, every parameter and every successful answer with a schema', () => {
    for (const app of NAMES) {
      const doc = committed(app);
      expect(Object.keys(doc.components.schemas).length).toBeGreaterThan(3);
      for (const { path, method, operation } of operations(doc)) {
        expect({ at: `${method} ${path}`, summary: typeof operation.summary }).toEqual({ at: `${method} ${path}`, summary: 'string' });
        for (const parameter of (operation.parameters ?? []).map((p: Json) => resolvedParameter(doc, p))) expect({ at: `${method} ${path} ${parameter.name}`, described: Boolean(parameter.description && parameter.schema) }).toEqual({ at: `${method} ${path} ${parameter.name}`, described: true });
        if (method === 'post') expect(Object.values(operation.requestBody?.content ?? {}).length + (path === '/metrics' ? 1 : 0)).toBeGreaterThan(0);
        const success = Object.entries(operation.responses as Json).filter(([status]) => Number(status) < 300);
        expect(success.length).toBeGreaterThan(0);
        for (const [, response] of success) for (const media of Object.values(response.content as Json)) expect(media.schema).toBeDefined();
      }
    }
    const check = committed('query-api').paths['/v1/subjects/{id}/check'].get;
    expect(check.parameters.map((p: Json) => resolvedParameter(committed('query-api'), p)).map((p: Json) => `${p.in}:${p.name}:${p.required}`).sort()).toEqual(['header:X-Request-Id:false', 'header:traceparent:false', 'header:x-user-id:false', 'path:id:true', 'query:approvalItem:true', 'query:idType:false', 'query:purpose:false']);
    const feed = committed('query-api').paths['/v1/feed'].get;
    expect(feed.parameters.find((p: Json) => p.name === 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
  });
});

/** A parameter as written, or the one its $ref names in components.parameters. */
function resolvedParameter(doc: Json, parameter: Json): Json {
  if (typeof parameter.$ref !== 'string') return parameter;
  return doc.components.parameters[parameter.$ref.replace('#/components/parameters/', '')];
}
