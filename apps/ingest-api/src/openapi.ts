import 'reflect-metadata';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadAppConfig } from '@app/config';
import { OpenApiInfo, openApiDocumentOf, writeOpenApiDocument } from '@app/http';
import { IngestApiModule } from './ingest-api.module';

export const INGEST_API_OPENAPI: OpenApiInfo = {
  title: 'Credit engine — ingest API',
  description: 'Departments publish credit events (CloudEvents 1.0 over HTTP: structured, binary or batch mode).',
  server: 'http://127.0.0.1:3001',
};

/** The document of the defaults (an empty environment), so it does not change with the machine that writes it. */
export function ingestApiOpenApi(): Promise<OpenAPIObject> {
  return openApiDocumentOf(IngestApiModule.forRoot(loadAppConfig({})), INGEST_API_OPENAPI);
}

// `npm run docs:openapi` runs this file (scripts/node-app.js sets argv[1] to it): it writes docs/openapi/ingest-api.json.
if (process.argv[1] === __filename) writeOpenApiDocument(ingestApiOpenApi, process.argv[2] ?? 'docs/openapi/ingest-api.json');
