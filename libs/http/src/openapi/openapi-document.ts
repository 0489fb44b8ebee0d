import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsDto, ViolationDto } from './problem-details.dto';
import { CONSOLE_SECURITY, DEPARTMENT_SECURITY, MANAGEMENT_SECURITY } from './security-schemes';

/** The introduction of one app's document. */
export interface OpenApiInfo {
  title: string;
  description: string;
  /** The app's default local address, as `npm start` serves it. */
  server: string;
  /** JSON Schemas kept elsewhere (the decision records'), put in `components.schemas` under these names. */
  schemas?: Record<string, object>;
}

const COMMON_DESCRIPTION =
  '\n\nDepartments authenticate with `Authorization: Bearer <token>`: an opaque token the credit office issues (`npm run token`), ' +
  'not a JWT. Errors are RFC 9457 Problem Details (`application/problem+json`) with the stable `code` as an extension member ' +
  'and `violations` (field paths) where a request was checked field by field.' +
  '\n\nDates are China calendar dates (YYYY-MM-DD, Asia/Shanghai). `validTo` is the last day in force, inclusive (有效期至): ' +
  'a record with validTo 2028-11-18 applies until 2028-11-18 23:59:59 and no longer at 2028-11-19 00:00. `conductEndedOn` is the day the ' +
  "dishonest conduct ended; its information may be a basis of sanctions for five years (or a memorandum's shorter limit), through `lastUsableOn`.";

/**
 * An app's OpenAPI document, from its controllers' decorators: served at /docs, and written to
 * docs/openapi/ by `npm run docs:openapi`. Event payloads are described per type by the AsyncAPI
 * document (docs/asyncapi.json), generated from the same classes.
 */
export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(info.title)
    .setDescription(info.description + COMMON_DESCRIPTION)
    .setVersion('1')
    .addServer(info.server, 'The local default (`npm start`)')
    .addSecurity(DEPARTMENT_SECURITY, { type: 'http', scheme: 'bearer', description: "A department's opaque bearer token, from the departments registry (`npm run token`)." })
    .addSecurity(MANAGEMENT_SECURITY, {
      type: 'http',
      scheme: 'bearer',
      description: 'The management token (MANAGEMENT_TOKEN_SHA256) for /metrics and /docs; open when none is configured. HTTP Basic with the token as password also works, for a browser.',
    })
    .addSecurity(CONSOLE_SECURITY, { type: 'apiKey', in: 'cookie', name: 'console_session', description: 'The policy console session (POST /api/v1/sign-in sets it); state-changing requests also send X-CSRF-Token.' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsDto, ViolationDto] });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...info.schemas } };
  return withTraceHeaders(withProblemTypes(withoutNullable(withUsedSecuritySchemes(document))));
}

/** GET /problems/{code}: served by every app on the platform's router (problem-types.route.ts), so described here. */
function withProblemTypes(document: OpenAPIObject): OpenAPIObject {
  const problemType = {
    type: 'object',
    required: ['type', 'title', 'status', 'code', 'kind'],
    properties: {
      type: { type: 'string', description: 'The URI reference error answers carry in `type`', example: '/problems/EVENT.SCHEMA_VIOLATION' },
      title: { type: 'string', example: 'Event: schema violation' },
      status: { type: 'integer', example: 422 },
      code: { type: 'string', example: 'EVENT.SCHEMA_VIOLATION' },
      kind: { type: 'string', description: 'The kind of error the code is (libs/domain/src/error-kind.ts)', example: 'unprocessable' },
    },
  };
  const operation = {
    tags: ['problems'],
    operationId: 'problemType',
    summary: 'What a problem type (the `type` of an error answer) means',
    security: [],
    parameters: [{ name: 'code', in: 'path', required: true, description: 'A stable error code', schema: { type: 'string' }, example: 'EVENT.SCHEMA_VIOLATION' }],
    responses: {
      '200': { description: 'The problem type', content: { 'application/json': { schema: { $ref: '#/components/schemas/ProblemType' } } } },
      '404': {
        description: 'REQUEST.NOT_FOUND: no such code',
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
            example: { type: '/problems/REQUEST.NOT_FOUND', title: 'Request: not found', status: 404, detail: "no such problem type; the types are /problems/<code> for the codes of the README's error table", code: 'REQUEST.NOT_FOUND' },
          },
        },
      },
    },
  };
  return {
    ...document,
    paths: { ...document.paths, '/problems/{code}': { get: operation } },
    components: { ...document.components, schemas: { ...document.components?.schemas, ProblemType: problemType } },
  } as OpenAPIObject;
}

/**
 * Every operation takes the request id and the W3C trace context (request-trace.ts), and every
 * answer echoes them: declared once in `components.parameters`, referenced by each operation.
 */
function withTraceHeaders(document: OpenAPIObject): OpenAPIObject {
  const parameters = {
    RequestId: {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description: "The caller's id for this request (1–128 characters of A-Za-z0-9._:-; anything else is replaced by a new UUID): echoed on the answer, on every log line of the request, and kept with the events it carries.",
      schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
      example: 'court-batch-2026-11-27-0001',
    },
    Traceparent: {
      name: 'traceparent',
      in: 'header',
      required: false,
      description: 'W3C Trace Context: the answer carries a traceparent in the same trace with the app\'s own span id; an invalid one starts a new trace.',
      schema: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' },
      example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    },
  };
  const refs = Object.keys(parameters).map((name) => ({ $ref: `#/components/parameters/${name}` }));
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => [
      path,
      Object.fromEntries(Object.entries(item).map(([method, operation]) => [method, { ...(operation as object), parameters: [...((operation as { parameters?: unknown[] }).parameters ?? []), ...refs] }])),
    ]),
  );
  return { ...document, paths, components: { ...document.components, parameters: { ...document.components?.parameters, ...parameters } } } as OpenAPIObject;
}

/** Serve the document at /docs (and /docs-json, /docs-yaml), behind the management token. */
export function serveOpenApi(app: INestApplication, info: OpenApiInfo): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, info), { jsonDocumentUrl: 'docs-json' });
}

/**
 * The document of an app module without a database, a broker or a port: Nest's preview mode
 * builds the module graph and instantiates nothing. Fastify, as the apps serve by default.
 */
export async function openApiDocumentOf(module: Type<unknown> | DynamicModule, info: OpenApiInfo): Promise<OpenAPIObject> {
  const app = await NestFactory.create(module, new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    // A JSON round trip, so the document compares equal to the file it is written to.
    return JSON.parse(JSON.stringify(buildOpenApiDocument(app, info))) as OpenAPIObject;
  } finally {
    await app.close();
  }
}

/** `npm run docs:openapi`'s step for one app: the document written as formatted JSON; a failure exits non-zero. */
export function writeOpenApiDocument(build: () => Promise<OpenAPIObject>, file: string): void {
  build()
    .then((document) => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
      console.log(`wrote ${file}`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
}

/**
 * OpenAPI 3.1 says "may be null" in JSON Schema's words (`type: [T, 'null']`); @nestjs/swagger
 * still writes 3.0's `nullable: true`, which 3.1 readers ignore or refuse.
 */
function withoutNullable<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutNullable) as T;
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, key === 'example' || key === 'examples' ? value : withoutNullable(value)]));
  if (nullable !== true) return converted as T;
  // A nested class comes as `type: object, allOf: [$ref]`: null must be an alternative to the reference, not a type beside it.
  const { type, allOf, $ref, ...annotations } = converted as { type?: unknown; allOf?: unknown[]; $ref?: string };
  if ($ref !== undefined || allOf !== undefined) {
    const target = $ref !== undefined ? { $ref } : allOf!.length === 1 ? allOf![0] : { allOf };
    return { ...annotations, oneOf: [target, { type: 'null' }] } as T;
  }
  if (typeof type === 'string') return { ...converted, type: [type, 'null'] } as T;
  return { ...annotations, oneOf: [{ type }, { type: 'null' }] } as T;
}

/** Only the schemes some operation requires: the decision engine has no department route. */
function withUsedSecuritySchemes(document: OpenAPIObject): OpenAPIObject {
  const operations = Object.values(document.paths).flatMap((path) => Object.values(path) as { security?: Record<string, string[]>[] }[]);
  const used = new Set(operations.flatMap((operation) => (operation.security ?? []).flatMap((requirement) => Object.keys(requirement))));
  const schemes = Object.entries(document.components?.securitySchemes ?? {}).filter(([name]) => used.has(name));
  return { ...document, components: { ...document.components, securitySchemes: Object.fromEntries(schemes) } };
}
