import 'reflect-metadata';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { loadAppConfig } from '@app/config';
import { createHttpApp, exitOnBootFailure, listen, managementOf, servingOf, serveOpenApi } from '@app/http';
import { ConsoleAppModule } from './console-app.module';
import { CONSOLE_WEB_DIR } from './console-web';
import { CONSOLE_OPENAPI } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  // Fastify whatever HTTP_PLATFORM says: the pages' files are served by @fastify/static.
  const app = (await createHttpApp(ConsoleAppModule.forRoot(config), config.LOG_LEVEL, { app: 'console', logFormat: config.LOG_FORMAT, platform: 'fastify', serving: servingOf(config), management: managementOf(config) })) as NestFastifyApplication;
  // The build's hashed bundles; index.html is answered by PagesController for each page's address.
  await app.register(fastifyStatic, { root: join(CONSOLE_WEB_DIR, 'assets'), prefix: '/assets/', index: false });
  serveOpenApi(app, CONSOLE_OPENAPI);
  const url = await listen(app, config.CONSOLE_PORT, config.HTTP_HOST);
  new Logger('Console').log(`console ready on ${url}`);
}

bootstrap().catch(exitOnBootFailure('console'));
