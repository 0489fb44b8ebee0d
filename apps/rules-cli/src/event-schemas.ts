import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventSchemaFileNames, publishedEventSchema } from '@app/domain';

/**
 * `npm run docs:schemas`: the JSON Schema of every event type, as the ingest and query APIs
 * serve it at /schemas/<type>.json, written to docs/schemas/<type>.json (a schema of a type no
 * longer in the catalogue is removed). event-schemas.spec.ts fails when the files are stale.
 */
export function writeEventSchemas(outDir = 'docs/schemas'): string[] {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const names = eventSchemaFileNames();
  for (const stale of readdirSync(dir).filter((file) => file.endsWith('.json') && !names.includes(file))) rmSync(join(dir, stale));
  for (const name of names) writeFileSync(join(dir, name), publishedEventSchema(name)!.text);
  return names;
}
