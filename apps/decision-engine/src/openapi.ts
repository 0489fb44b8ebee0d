import 'reflect-metadata';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadAppConfig } from '@app/config';
import { OpenApiInfo, openApiDocumentOf, writeOpenApiDocument } from '@app/http';
import { DecisionEngineModule } from './decision-engine.module';

export const DECISION_ENGINE_OPENAPI: OpenApiInfo = {
  title: 'Credit engine — decision engine',
  description: 'Decides the credit events; over HTTP it answers health and metrics only.',
  server: 'http://127.0.0.1:3003',
};

/** The document of the defaults (an empty environment), so it does not change with the machine that writes it. */
export function decisionEngineOpenApi(): Promise<OpenAPIObject> {
  return openApiDocumentOf(DecisionEngineModule.forRoot(loadAppConfig({})), DECISION_ENGINE_OPENAPI);
}

// `npm run docs:openapi` runs this file (scripts/node-app.js sets argv[1] to it): it writes docs/openapi/decision-engine.json.
if (process.argv[1] === __filename) writeOpenApiDocument(decisionEngineOpenApi, process.argv[2] ?? 'docs/openapi/decision-engine.json');
