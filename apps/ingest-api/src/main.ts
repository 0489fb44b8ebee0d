import 'reflect-metadata';
import { loadAppConfig } from '@app/config';
import { createHttpApp, exitOnBootFailure, listen } from '@app/http';
import { IngestApiModule } from './ingest-api.module';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const app = await createHttpApp(IngestApiModule.forRoot(config), config.LOG_LEVEL);
  const url = await listen(app, config.INGEST_PORT, config.HTTP_HOST);
  console.log(`ingest-api ready on ${url} (POST /v1/events)`);
}

bootstrap().catch(exitOnBootFailure('ingest-api'));
