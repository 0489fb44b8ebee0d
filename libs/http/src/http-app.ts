import { DynamicModule, INestApplication, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, RequestHandler, Response } from 'express';
import { readFileSync } from 'node:fs';
import helmet from 'helmet';
import { AppConfig, ConfigError } from '@app/config';
import { UNTRUSTED_JSON_LIMITS } from '@app/domain';
import { DomainErrorFilter } from './domain-error.filter';
import { MANAGEMENT_PATHS, ManagementAccess, managementGuard } from './management-access';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** A JSON body limit for the routes under `path` (an Express mount path), larger or smaller than the default. */
export interface BodyLimit {
  path: string;
  bytes: number;
}

/** How an app is reached: over TLS of its own, or behind the proxy that terminates it. */
export interface Serving {
  https?: { key: Buffer; cert: Buffer };
  trustProxy?: string;
}

/** The serving settings of the configuration, with the TLS files read (a missing one stops the boot naming it). */
export function servingOf(config: Pick<AppConfig, 'HTTPS_KEY_FILE' | 'HTTPS_CERT_FILE' | 'TRUSTED_PROXY'>): Serving {
  const read = (variable: 'HTTPS_KEY_FILE' | 'HTTPS_CERT_FILE') => {
    try {
      return readFileSync(config[variable]!);
    } catch (error) {
      throw new ConfigError([`${variable}=${config[variable]}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
    }
  };
  return {
    ...(config.HTTPS_KEY_FILE && config.HTTPS_CERT_FILE ? { https: { key: read('HTTPS_KEY_FILE'), cert: read('HTTPS_CERT_FILE') } } : {}),
    ...(config.TRUSTED_PROXY ? { trustProxy: config.TRUSTED_PROXY } : {}),
  };
}

/** Every JSON body is at most one credit event's size unless a route says otherwise. */
export const DEFAULT_BODY_LIMIT_BYTES = UNTRUSTED_JSON_LIMITS.maxEventBytes;

const JSON_TYPES = ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'];

/**
 * Create and configure an app the same way everywhere: CloudEvents' JSON media type
 * accepted with bounded bodies, one error filter, shutdown hooks so SIGTERM drains cleanly.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  logLevel: LogLevel = 'log',
  options: { bodyLimits?: readonly BodyLimit[]; serving?: Serving; management: ManagementAccess },
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    logger: LEVELS.slice(0, LEVELS.indexOf(logLevel) + 1),
    // A module that cannot be built (a refused configuration) reaches exitOnBootFailure's one line.
    abortOnError: false,
    ...(options.serving?.https ? { httpsOptions: options.serving.https } : {}),
  });
  if (options.serving?.trustProxy) app.set('trust proxy', options.serving.trustProxy);
  // Security headers (and no X-Powered-By); the API documents' page is the only HTML, its scripts are served from 'self'.
  app.use(helmet());
  // Answers carry personal data (feeds, checks, tasks, even masked public lists): no cache keeps a copy.
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  const filter = new DomainErrorFilter();
  // Before Swagger's routes and Nest's: /docs is plain Express, /metrics a controller.
  const management = managementGuard(options.management, filter);
  if (management) app.use([...MANAGEMENT_PATHS], management);
  // The first parser to read a body marks it read; later ones pass it on, so specific paths go first.
  for (const limit of options.bodyLimits ?? []) app.use(limit.path, jsonBody(limit.bytes, filter));
  app.use(jsonBody(DEFAULT_BODY_LIMIT_BYTES, filter));
  app.useGlobalFilters(filter);
  app.enableShutdownHooks();
  return app;
}

/**
 * body-parser's errors (413 over the limit, 400 unparseable) happen before routing: answered by
 * the same filter. An over-size body is left unread, so the connection is closed after the
 * answer rather than offered to the client again with the rest of that body still in it.
 */
function jsonBody(limitBytes: number, filter: DomainErrorFilter): RequestHandler {
  const parse = json({ type: JSON_TYPES, limit: limitBytes });
  return (request: Request, response: Response, next: NextFunction) =>
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
      if ((error as { type?: unknown }).type === 'entity.too.large') response.set('Connection', 'close');
      filter.send(error, response);
    });
}

/**
 * OpenAPI generated from the controllers, served at /docs (and /docs-json). Event payloads
 * are described by the AsyncAPI document (docs/asyncapi.json), generated from the same classes.
 */
export function serveOpenApi(app: INestApplication, title: string, description: string): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(
      `${description}\n\nDepartments authenticate with \`Authorization: Bearer <token>\`. Errors are \`{ "error": { "code", "message", "violations"? } }\`.` +
        '\n\nDates are China calendar dates (YYYY-MM-DD, Asia/Shanghai). `validTo` is the last day in force, inclusive (有效期至): ' +
        'a record with validTo 2028-11-18 applies until 2028-11-18 23:59:59 and no longer at 2028-11-19 00:00. `conductEndedOn` is the day the ' +
        'dishonest conduct ended; its information may be a basis of sanctions for five years (or a memorandum\'s shorter limit), through `lastUsableOn`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'docs-json' });
}

export async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  const url = await app.getUrl();
  return url.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
}

/** A failed boot prints one clear line (a ConfigError names the variable) and exits non-zero. */
export function exitOnBootFailure(app: string): (error: unknown) => never {
  return (error: unknown) => {
    console.error(`${app} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
}
