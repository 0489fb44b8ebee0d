import { DynamicModule, INestApplication, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DomainErrorFilter } from './domain-error.filter';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Create and configure an app the same way everywhere: CloudEvents' JSON media type
 * accepted, one error filter, shutdown hooks so SIGTERM drains cleanly.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, logLevel: LogLevel = 'log'): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    logger: LEVELS.slice(0, LEVELS.indexOf(logLevel) + 1),
  });
  app.useBodyParser('json', { type: ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'], limit: '5mb' });
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
  return app;
}

/**
 * OpenAPI generated from the controllers, served at /docs (and /docs-json). Event payloads
 * are described by the AsyncAPI document (docs/asyncapi.json), generated from the same classes.
 */
export function serveOpenApi(app: INestApplication, title: string, description: string): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(`${description}\n\nDepartments authenticate with \`Authorization: Bearer <token>\`. Errors are \`{ "error": { "code", "message", "violations"? } }\`.`)
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
