import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ALL_EVENT_TYPES, EVENT_SCHEMA_DIALECT, eventSchemaFileNames, EventType, parseCreditEvent, publishedEventSchema } from '@app/domain';
import { loadRuleCaseFiles } from '@app/rules';
import { CreditEventGenerator } from '@app/rules/testing';

type Json = Record<string, any>;

const ROOT = resolve(__dirname, '../../..');
const DOCS_DIR = join(ROOT, 'docs/schemas');

// An integrator's validator: draft 2020-12 with formats asserted, strict about unknown keywords and
// untyped constraints; `required` inside oneOf naming the parent's properties is standard JSON Schema.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validators = new Map(ALL_EVENT_TYPES.map((type) => [type, ajv.compile(publishedEventSchema(`${type}.json`)!.schema)]));

function accepts(type: EventType, event: unknown): boolean {
  return validators.get(type)!(event) as boolean;
}

/** Events the engine accepts, by type: the rule cases, the test fixture and seeded generated events (every type). */
function acceptedEvents(): Map<EventType, Json[]> {
  const ruleCases = loadRuleCaseFiles(join(ROOT, 'rules')).flatMap((file) => file.cases.map((c) => c.event as Json));
  const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/judgment-debtor-listed.json'), 'utf8')) as Json;
  const generated = new CreditEventGenerator({ seed: 20261201, strayPublisherRate: 0 }).take(400) as unknown as Json[];
  const byType = new Map<EventType, Json[]>(ALL_EVENT_TYPES.map((type) => [type, []]));
  for (const event of [...ruleCases, fixture, ...generated]) {
    try {
      parseCreditEvent(structuredClone(event));
    } catch {
      continue;
    }
    byType.get(event.type as EventType)!.push(event);
  }
  return byType;
}

describe('per-event JSON Schemas (/schemas/<type>.json, docs/schemas/)', () => {
  const events = acceptedEvents();

  it('has one draft 2020-12 schema for every event type of the catalogue, none for other names', () => {
    expect(eventSchemaFileNames()).toEqual(ALL_EVENT_TYPES.map((type) => `${type}.json`));
    for (const type of ALL_EVENT_TYPES) {
      const { schema } = publishedEventSchema(`${type}.json`)!;
      expect(schema.$schema).toBe(EVENT_SCHEMA_DIALECT);
      expect((schema.properties as Json).type).toEqual({ const: type });
    }
    for (const name of ['credit.unicorn.sighted.v1.json', 'credit.penalty.imposed.v1', '../package.json', '']) expect(publishedEventSchema(name)).toBeUndefined();
  });

  it.each(ALL_EVENT_TYPES)('%s: accepts every event of its type the engine accepts', (type) => {
    const own = events.get(type)!;
    expect(own.length).toBeGreaterThan(2);
    for (const event of own) {
      if (!accepts(type, event)) throw new Error(`${type} ${event.id}: ${JSON.stringify(validators.get(type)!.errors)}`);
    }
  });

  it.each(ALL_EVENT_TYPES)('%s: refuses the event mutated as the engine refuses it', (type) => {
    const [event] = events.get(type)!;
    const other = ALL_EVENT_TYPES.find((t) => t !== type)!;
    const mutations: Json[] = [
      { ...event, data: { ...event.data, unexpected: true } },
      { ...event, data: { ...event.data, decidedOn: '26 January 2026' } },
      { ...event, data: { ...event.data, subject: { ...event.data.subject, kind: 'alien' } } },
      { ...event, source: 'somewhere' },
      { ...event, dataschema: 'not a uri' },
      { ...event, dataschema: `https://credit.example/schemas/${other}.json` },
    ];
    for (const mutated of mutations) {
      expect(() => parseCreditEvent(structuredClone(mutated))).toThrow();
      expect({ mutated, accepted: accepts(type, mutated) }).toEqual({ mutated, accepted: false });
    }
    // Another type's event, even one with the same fields, is not one of this type.
    expect(accepts(type, { ...event, type: other })).toBe(false);
    expect(accepts(type, { ...event, dataschema: `https://credit.example/schemas/${type}.json` })).toBe(true);
    expect(accepts(type, { ...event, dataschema: 'urn:example:registry:schema:7' })).toBe(true);
  });
});

describe('docs/schemas', () => {
  it('holds exactly the schemas the code generates', () => {
    let files: string[];
    try {
      files = readdirSync(DOCS_DIR).filter((file) => file.endsWith('.json')).sort();
    } catch (error) {
      throw new Error(`docs/schemas cannot be read (${(error as Error).message}): run \`npm run docs:schemas\` and commit the result`);
    }
    expect(files).toEqual([...eventSchemaFileNames()].sort());
    const stale = files.filter((file) => readFileSync(join(DOCS_DIR, file), 'utf8') !== publishedEventSchema(file)!.text);
    if (stale.length > 0) throw new Error(`docs/schemas is out of date with the code (${stale.join(', ')}): run \`npm run docs:schemas\` and commit the result`);
  });
});
