import 'reflect-metadata';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadAppConfig } from '@app/config';
import { OpenApiInfo, openApiDocumentOf, writeOpenApiDocument } from '@app/http';
import { BULLETIN_RECORD_SCHEMA, COORDINATION_CLOSED_RECORD_SCHEMA, COORDINATION_RECORD_SCHEMA, CREDIT_CLASS_RECORD_SCHEMA, DECISION_RECORD_SCHEMA, LIFECYCLE_RECORD_SCHEMA, MEASURE_TERMS_SCHEMA, REFUSAL_RECORD_SCHEMA } from '@app/decision-log';
import { RECORD_SCHEMA_NAMES } from './openapi/feed.dto';
import { QueryApiModule } from './query-api.module';

export const QUERY_API_OPENAPI: OpenApiInfo = {
  title: 'Credit engine — query API',
  description: 'Feeds, credit checks, feedback, performance, situation bulletins, audit and public lists.',
  server: 'http://127.0.0.1:3002',
  schemas: {
    [RECORD_SCHEMA_NAMES.decision]: DECISION_RECORD_SCHEMA,
    [RECORD_SCHEMA_NAMES.lifecycle]: LIFECYCLE_RECORD_SCHEMA,
    [RECORD_SCHEMA_NAMES.refusal]: REFUSAL_RECORD_SCHEMA,
    [RECORD_SCHEMA_NAMES.creditClass]: CREDIT_CLASS_RECORD_SCHEMA,
    [RECORD_SCHEMA_NAMES.bulletin]: BULLETIN_RECORD_SCHEMA,
    [RECORD_SCHEMA_NAMES.coordination]: COORDINATION_RECORD_SCHEMA,
    [RECORD_SCHEMA_NAMES.coordinationClosed]: COORDINATION_CLOSED_RECORD_SCHEMA,
    [RECORD_SCHEMA_NAMES.measureTerms]: MEASURE_TERMS_SCHEMA,
  },
};

/** The document of the defaults (an empty environment), so it does not change with the machine that writes it. */
export function queryApiOpenApi(): Promise<OpenAPIObject> {
  return openApiDocumentOf(QueryApiModule.forRoot(loadAppConfig({})), QUERY_API_OPENAPI);
}

// `npm run docs:openapi` runs this file (scripts/node-app.js sets argv[1] to it): it writes docs/openapi/query-api.json.
if (process.argv[1] === __filename) writeOpenApiDocument(queryApiOpenApi, process.argv[2] ?? 'docs/openapi/query-api.json');
