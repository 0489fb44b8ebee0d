import 'reflect-metadata';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadAppConfig } from '@app/config';
import { OpenApiInfo, openApiDocumentOf, writeOpenApiDocument } from '@app/http';
import { ConsoleAppModule } from './console-app.module';

export const CONSOLE_OPENAPI: OpenApiInfo = {
  title: 'Credit engine — policy console',
  description: "The console's own API, which its pages call: sign-in and sessions for console users (policy staff, the credit office, auditors), the memoranda in force rendered for a person, the district at a glance, rule-set releases (history, diffs, drafts, approval with four eyes, rollback) acted on by the signed-in user, what-if runs of a draft or a release over decided history.",
  server: 'http://127.0.0.1:3004',
};

/** The document of the defaults (an empty environment), so it does not change with the machine that writes it. */
export function consoleOpenApi(): Promise<OpenAPIObject> {
  return openApiDocumentOf(ConsoleAppModule.forRoot(loadAppConfig({})), CONSOLE_OPENAPI);
}

// `npm run docs:openapi` runs this file (scripts/node-app.js sets argv[1] to it): it writes docs/openapi/console.json.
if (process.argv[1] === __filename) writeOpenApiDocument(consoleOpenApi, process.argv[2] ?? 'docs/openapi/console.json');
