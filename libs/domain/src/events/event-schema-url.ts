import type { EventType } from './event-types';

/**
 * Where the engine serves the JSON Schema of an event type, below any host it answers on
 * (GET /schemas/<type>.json on the ingest and query APIs), and the rule it applies to a
 * `dataschema` that points there: it must be the schema of the event's own type.
 */
export function eventSchemaPath(type: EventType): string {
  return `/schemas/${type}.json`;
}

/**
 * A URI names one of the engine's schemas when its path (query and fragment aside) ends in
 * /schemas/credit.<…>.json: the host is not compared, because behind proxies an app cannot know
 * every name it is reached by, and a schema at that path elsewhere naming another credit type
 * is the same mistake.
 */
const ENGINE_SCHEMA_URI = /^[^?#]*\/schemas\/(credit\.[^/?#]*)\.json(?:[?#].*)?$/;

/** The event type whose engine schema the URI names, or undefined when it names none (another registry's schema). */
export function engineSchemaNamedBy(uri: string): string | undefined {
  return ENGINE_SCHEMA_URI.exec(uri)?.[1];
}

/** Whether `dataschema` (a URI) may accompany an event of `type`: any schema but the engine's, or the engine's of this type. */
export function dataschemaFitsType(dataschema: string, type: string): boolean {
  const named = engineSchemaNamedBy(dataschema);
  return named === undefined || named === type;
}

/** The same rule as JSON Schema, for the published schema of `type` (each pattern typed, as strict validators want). */
export function dataschemaPatternFor(type: EventType): { type: 'string'; anyOf: [{ not: { type: 'string'; pattern: string } }, { type: 'string'; pattern: string }] } {
  const escaped = type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const anyEngineSchema = ENGINE_SCHEMA_URI.source.replace(/\\\//g, '/');
  return { type: 'string', anyOf: [{ not: { type: 'string', pattern: anyEngineSchema } }, { type: 'string', pattern: `^[^?#]*/schemas/${escaped}\\.json(?:[?#].*)?$` }] };
}
