import { CloudEventEnvelopeDto } from './cloud-event-envelope.dto';
import { EVENT_DATA_CLASSES } from './event-catalogue';
import { classSchemas, JsonSchema, SchemaClass, SchemaConverters } from './event-json-schemas';
import { dataschemaPatternFor, eventSchemaPath } from './event-schema-url';
import { ALL_EVENT_TYPES, EVENT_TYPES, EventType } from './event-types';

/**
 * The documented JSON Schemas of the credit events, derived from the class-validator metadata
 * of their classes: the AsyncAPI document's message payloads, and one standalone schema per
 * event type (the whole CloudEvent of that type), served at /schemas/<type>.json and written to
 * docs/schemas/. Standard keywords only, so any validator can use them; the engine's own checks
 * (check characters, date order, the limits of untrusted JSON) are stricter.
 */

/** The dialect of the per-type schemas. */
export const EVENT_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** What each event means, for readers of the documents; typed by the catalogue, so a new event type cannot go undescribed. */
export const EVENT_DESCRIPTIONS: Readonly<Record<EventType, string>> = {
  [EVENT_TYPES.listEntryAdded]: 'A department put a subject on a list it identifies (认定), e.g. a blacklist or a red list.',
  [EVENT_TYPES.listEntryRemoved]: 'A department took a subject off a list before the entry expired.',
  [EVENT_TYPES.penaltyImposed]: 'An administrative penalty (行政处罚) was imposed; its severity bounds which measures may follow.',
  [EVENT_TYPES.judgmentDebtorListed]: 'A court listed a dishonest judgment debtor (失信被执行人).',
  [EVENT_TYPES.ratingAssigned]: 'A credit rating was assigned, e.g. a tax credit grade (纳税信用等级).',
  [EVENT_TYPES.honourGranted]: 'An honour or commendation (表彰) was granted.',
  [EVENT_TYPES.commitmentMade]: 'A subject made a credit commitment (信用承诺).',
  [EVENT_TYPES.commitmentBreached]: 'A subject broke a credit commitment it had made. Also made by the engine, as from the recording department, for a commitment recorded through the query API (POST /v1/commitments) that was reported broken or not kept by its date: id `commitment-breach-<commitment id>`, documentNumber the department\'s commitment reference, commitmentType the approval item code.',
  [EVENT_TYPES.repairApproved]: 'Credit repair (信用修复) was approved: an entry ends early.',
  [EVENT_TYPES.objectionFiled]: 'A subject filed an objection (异议) against a list entry.',
  [EVENT_TYPES.objectionResolved]: 'An objection was decided: the entry is confirmed or revoked.',
  [EVENT_TYPES.associationSanction]:
    'An industry association sanctioned one of its members (行业自律): warning (警告), circulated criticism within the industry (行业内通报批评) or public condemnation (公开谴责), by severity.',
  [EVENT_TYPES.associationSanctionWithdrawn]:
    'An industry association withdrew (撤销) one of its own sanctions of a member, named by sanctionDocumentNumber: it leaves the member\'s self-discipline record, credit checks and classes, and the measures that followed it end (decision.revoked, reason removed).',
};

/**
 * What a field means where its name alone cannot say: written once here, because the domain
 * classes carry no schema annotations (they stay free of documentation libraries).
 */
const FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  validFrom: 'First day in force (China calendar date). Defaults to decidedOn.',
  validTo: 'Last day in force, inclusive (有效期至 D: D is still in force). Never beyond the memorandum\'s maximum term or the conduct\'s limitation.',
  conductEndedOn:
    'The day the dishonest conduct ended (for continuing conduct, the day it stopped). The five-year limit (or the memorandum\'s shorter one) counts from it. Leave it out when it cannot be known: the decision date decidedOn is used instead, the latest day the department established the conduct.',
  penaltyDocumentNumber: 'Removal or repair of the measures of one penalty decision without a list entry: its document number. Give exactly one of listCode, penaltyDocumentNumber, decisionId.',
  decisionId: 'Removal or repair of one decision of the engine (decisionId of its decision.issued record). Give exactly one of listCode, penaltyDocumentNumber, decisionId.',
  sanction: 'warning (警告), circulated-criticism (行业内通报批评) or public-condemnation (公开谴责); the association\'s registry entry names the ones it may impose (ASSOCIATION.SANCTION_NOT_ALLOWED otherwise).',
  industry: 'The publishing association\'s industry as its registry entry names it (ASSOCIATION.INDUSTRY_MISMATCH otherwise).',
  memberSince:
    'The day the subject joined the association. Required when the association keeps no member list (its registry entry admits declared members); otherwise the subject must be on its member list (SUBJECT.NOT_A_MEMBER).',
  dataschema:
    'Optional. An absolute URI (RFC 3986) of the schema the event follows. The engine serves each type\'s at /schemas/<type>.json on its ingest and query APIs; a dataschema whose path ends in /schemas/credit.<…>.json must name the event\'s own type, or the event is refused (EVENT.SCHEMA_VIOLATION). Any other URI is kept, not fetched.',
};

/** Custom class-validator constraints of the domain, as JSON Schema. */
const DOCUMENTED_CONSTRAINTS: SchemaConverters = {
  isCalendarDate: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A real calendar day written YYYY-MM-DD.' },
  isUuid: { type: 'string', format: 'uuid' },
  isUri: { type: 'string', format: 'uri' },
  exactlyOneOf: {},
  matchesWhenPresent: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
  isNotBefore: {},
  isCreditIdentifier: {
    type: 'string',
    description:
      'The identifier named by the sibling idType, check character included: an 18-character unified social credit code (USCC, GB 32100-2015) or resident identity number (RESIDENT_ID, GB 11643-1999). Stored upper case and trimmed.',
  },
};

/**
 * JSON Schemas of the given classes and of every class they nest, by class name, with the
 * descriptions a reader needs. Payload classes are closed (validated with whitelist +
 * forbidNonWhitelisted); the CloudEvents envelope, which may carry extension attributes, stays open.
 */
export function documentedEventSchemas(roots: readonly SchemaClass[], refPointerPrefix: string): Record<string, JsonSchema> {
  const schemas = classSchemas(roots, {
    refPointerPrefix,
    converters: DOCUMENTED_CONSTRAINTS,
    open: new Set<SchemaClass>([CloudEventEnvelopeDto]),
    // Removal and repair name exactly one target.
    exactlyOneOf: (fields) => ({ oneOf: fields.map((field) => ({ required: [field] })) }),
  });
  for (const [name, schema] of Object.entries(schemas)) {
    const properties = schema.properties as Record<string, JsonSchema>;
    for (const [field, description] of Object.entries(FIELD_DESCRIPTIONS)) {
      if (properties[field]) properties[field] = { ...properties[field], description };
    }
    // `data` has no envelope constraint of its own (its type's schema checks it, EVENT.SCHEMA_VIOLATION), yet every event carries one.
    if (name === CloudEventEnvelopeDto.name) {
      properties.data = { type: 'object', description: 'The payload: its schema is the one of `type`.' };
      schema.required = [...new Set([...((schema.required as string[] | undefined) ?? []), 'data'])];
    }
  }
  return schemas;
}

const DEFS = '#/$defs/';

/** The whole CloudEvent of one type (structured mode), as one self-contained JSON Schema (draft 2020-12). */
export function eventTypeSchema(type: EventType): JsonSchema {
  const dataClass = EVENT_DATA_CLASSES[type] as SchemaClass;
  return {
    $schema: EVENT_SCHEMA_DIALECT,
    title: type,
    description: `${EVENT_DESCRIPTIONS[type]} A CloudEvents 1.0 event of type ${type}, as published to POST /v1/events (application/cloudevents+json) or a department's inbound Kafka topic.`,
    $comment: `Served at ${eventSchemaPath(type)} by the ingest and query APIs; generated from the event classes (npm run docs:schemas).`,
    type: 'object',
    allOf: [{ $ref: `${DEFS}${CloudEventEnvelopeDto.name}` }],
    required: ['type', 'data'],
    properties: {
      type: { const: type },
      dataschema: dataschemaPatternFor(type),
      data: { $ref: `${DEFS}${dataClass.name}` },
    },
    $defs: documentedEventSchemas([CloudEventEnvelopeDto, dataClass], DEFS),
  };
}

let published: ReadonlyMap<string, { schema: JsonSchema; text: string }> | undefined;

/**
 * The schema of the type a file name (`<type>.json`) names, with its serialised text, or
 * undefined for any other name. Derived once; the text is what is served and written to docs/.
 */
export function publishedEventSchema(fileName: string): { schema: JsonSchema; text: string } | undefined {
  published ??= new Map(
    ALL_EVENT_TYPES.map((type) => {
      const schema = eventTypeSchema(type);
      return [`${type}.json`, { schema, text: `${JSON.stringify(schema, null, 2)}\n` }];
    }),
  );
  return published.get(fileName);
}

/** The file name of each type's schema, in catalogue order. */
export function eventSchemaFileNames(): string[] {
  return ALL_EVENT_TYPES.map((type) => `${type}.json`);
}
