import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadAppConfig } from '@app/config';
import { RELEASE_BODY_LIMIT, WHAT_IF_BODY_LIMIT } from '@app/policy';
import { createHttpApp, exitOnBootFailure, listen, managementOf, servingOf, serveOpenApi } from '@app/http';
import { QueryApiModule } from './query-api.module';
import { QUERY_API_OPENAPI } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const app = await createHttpApp(QueryApiModule.forRoot(config), config.LOG_LEVEL, { app: 'query-api', logFormat: config.LOG_FORMAT, platform: config.HTTP_PLATFORM, bodyLimits: [RELEASE_BODY_LIMIT, WHAT_IF_BODY_LIMIT], serving: servingOf(config), management: managementOf(config) });
  serveOpenApi(app, QUERY_API_OPENAPI);
  const url = await listen(app, config.QUERY_PORT, config.HTTP_HOST);
  new Logger('QueryApi').log(`query-api ready on ${url} (GET /v1/feed; HTTP on ${config.HTTP_PLATFORM})`);
}

bootstrap().catch(exitOnBootFailure('query-api'));
