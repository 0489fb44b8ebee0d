import 'reflect-metadata';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { loadAppConfig } from '@app/config';
import { createHttpApp, exitOnBootFailure, listen, managementOf, servingOf, serveOpenApi } from '@app/http';
import { ConsoleAppModule } from './console-app.module';
import { CONSOLE_WEB_DIR } from './console-web';

/**
 * A draft's rule file and its cases (at most 256 KiB each, DRAFT_MAX_CHARS) in JSON strings, where
 * escaping may double them: the draft routes read up to 2 MiB, so the draft's own check answers
 * an oversized text (CONSOLE.INVALID_DRAFT) rather than the edge's 64 KiB default.
 */
const DRAFT_BODY_BYTES = 2 * 1024 * 1024;
const CONSOLE_BODY_LIMITS = [
  { path: '/api/v1/drafts', bytes: DRAFT_BODY_BYTES },
  { path: '/api/v1/releases/drafts', bytes: DRAFT_BODY_BYTES },
  { path: '/api/v1/what-if', bytes: DRAFT_BODY_BYTES },
];
import { CONSOLE_OPENAPI } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  // Fastify whatever HTTP_PLATFORM says: the pages' files are served by @fastify/static.
  const app = (await createHttpApp(ConsoleAppModule.forRoot(config), config.LOG_LEVEL, { app: 'console', logFormat: config.LOG_FORMAT, platform: 'fastify', bodyLimits: CONSOLE_BODY_LIMITS, serving: servingOf(config), management: managementOf(config) })) as NestFastifyApplication;
  // The build's hashed bundles; index.html is answered by PagesController for each page's address.
  await app.register(fastifyStatic, { root: join(CONSOLE_WEB_DIR, 'assets'), prefix: '/assets/', index: false });
  serveOpenApi(app, CONSOLE_OPENAPI);
  const url = await listen(app, config.CONSOLE_PORT, config.HTTP_HOST);
  new Logger('Console').log(`console ready on ${url}`);
}

bootstrap().catch(exitOnBootFailure('console'));
