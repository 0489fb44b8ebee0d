import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { ALL_EVENT_TYPES, EVENT_DATA_CLASSES, EVENT_TYPES, EventType, parseCreditEvent } from '@app/domain';
import { DECISION_RECORD_SCHEMA } from '@app/decision-log';
import { encodeBinaryCloudEvent } from '@app/messaging';
import { loadRuleCaseFiles } from '@app/rules';
import { buildAsyncApiDocument, DECISION_EVENT_SOURCE, DECISION_EVENT_TYPE } from './asyncapi';

type Json = Record<string, any>;

const ROOT = resolve(__dirname, '../../..');
const RULES_DIR = join(ROOT, 'rules');
const DOC_FILE = join(ROOT, 'docs/asyncapi.json');

const doc = buildAsyncApiDocument({ rootDir: ROOT }) as Json;
const departments = (JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: { code: string }[] }).departments.map((d) => d.code);

/** Resolve a local JSON pointer ($ref) of the document. */
function deref(ref: string): Json {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((node, key) => {
      expect(node).toHaveProperty([key]);
      return node[key];
    }, doc);
}

function channelByAddress(address: string): Json {
  const found = Object.values(doc.channels as Json).find((c: Json) => c.address === address);
  if (!found) throw new Error(`no channel with address ${address}`);
  return found;
}

function creditEventMessage(type: EventType): Json {
  const messages = Object.values(channelByAddress('credit.events.{department}.v1').messages as Json).map((m: Json) => deref(m.$ref));
  const message = messages.find((m) => m.name === type);
  if (!message) throw new Error(`no message for ${type} on credit.events.{department}.v1`);
  return message;
}

/** The payload schema (data) of an event type, as the document describes it. */
function dataSchemaOf(type: EventType): Json {
  const typed = (creditEventMessage(type).payload.allOf as Json[]).find((part) => part.properties?.data);
  return deref(typed!.properties.data.$ref);
}

/** Straight from class-validator: the fields a payload class validates, and those it requires (not @IsOptional). */
function fieldsOf(cls: new () => unknown): { all: string[]; required: string[] } {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const all = [...new Set(metas.map((m) => m.propertyName))];
  const optional = new Set(metas.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
  // A property under ExactlyOneOf is required only as one of its group (the schema's oneOf).
  const oneOf = new Set(metas.filter((m) => m.name === 'exactlyOneOf').flatMap((m) => (m.constraints[0] as string[])));
  return { all, required: all.filter((p) => !optional.has(p) && !oneOf.has(p)) };
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

const documentAjv = newAjv();
// Only the components: the document's root `id` is no JSON Schema keyword.
documentAjv.addSchema({ components: doc.components }, 'asyncapi.json');

/** A validator for a schema inside the document, with its $refs resolved against the document. */
function documentValidator(pointer: string): ValidateFunction {
  const validate = documentAjv.getSchema(`asyncapi.json${pointer}`);
  if (!validate) throw new Error(`the document has no schema at ${pointer}`);
  return validate;
}

const ruleCaseEvents = loadRuleCaseFiles(RULES_DIR).flatMap((file) => file.cases.map((c) => ({ file: file.file, note: c.note, event: c.event as Json })));

describe('AsyncAPI document', () => {
  it('is AsyncAPI 3.0 with a Kafka server', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(Object.values(doc.servers as Json).map((s: Json) => s.protocol)).toEqual(['kafka']);
  });

  it('has the inbound, dead-letter, per-department decision and exchange channels', () => {
    expect(Object.values(doc.channels as Json).map((c: Json) => c.address).sort()).toEqual(['credit.decisions.{department}.v1', 'credit.events.dead-letter.v1', 'credit.events.{department}.v1', 'credit.exchange.{from}.{to}.v1']);
    const exchange = channelByAddress('credit.exchange.{from}.{to}.v1');
    expect(Object.keys(exchange.parameters)).toEqual(['from', 'to']);
    expect(Object.keys(exchange.messages)).toEqual(['exchangedCreditEvent']);
    const decisions = channelByAddress('credit.decisions.{department}.v1');
    expect(decisions.parameters.department.enum).toEqual(departments);
    expect(channelByAddress('credit.events.{department}.v1').bindings.kafka.partitions).toBe(6);
    expect(decisions.bindings.kafka.partitions).toBe(3);
  });

  it('has a message on the inbound channel for every event type of the catalogue, and no other', () => {
    const names = Object.values(channelByAddress('credit.events.{department}.v1').messages as Json).map((m: Json) => deref(m.$ref).name);
    expect(names.sort()).toEqual([...ALL_EVENT_TYPES].sort());
  });

  it.each(ALL_EVENT_TYPES)('%s: structured-mode CloudEvent whose data schema has the payload class fields, required ones required', (type) => {
    const message = creditEventMessage(type);
    expect(message.contentType).toBe('application/cloudevents+json');
    const [envelope, typed] = message.payload.allOf as Json[];
    expect(deref(envelope.$ref).required).toEqual(expect.arrayContaining(['specversion', 'id', 'source', 'type', 'subject', 'time', 'data']));
    expect(typed.properties.type.const).toBe(type);

    const schema = dataSchemaOf(type);
    const { all, required } = fieldsOf(EVENT_DATA_CLASSES[type] as new () => unknown);
    expect(Object.keys(schema.properties).sort()).toEqual([...all].sort());
    expect([...schema.required].sort()).toEqual([...required].sort());
    expect(schema.required).toEqual(expect.arrayContaining(['subject', 'documentNumber', 'decidedOn']));
    expect(schema.additionalProperties).toBe(false);
  });

  it('says removal and repair name exactly one target, and what validTo and conductEndedOn mean', () => {
    for (const type of [EVENT_TYPES.listEntryRemoved, EVENT_TYPES.repairApproved]) {
      expect(dataSchemaOf(type).oneOf).toEqual([{ required: ['listCode'] }, { required: ['penaltyDocumentNumber'] }, { required: ['decisionId'] }]);
    }
    expect(dataSchemaOf(EVENT_TYPES.listEntryAdded).properties.validTo.description).toMatch(/inclusive/);
    expect(dataSchemaOf(EVENT_TYPES.penaltyImposed).properties.conductEndedOn.description).toMatch(/five-year limit/);
  });

  it('spells out the constraints of the payload classes', () => {
    const penalty = dataSchemaOf(EVENT_TYPES.penaltyImposed);
    expect(penalty.required).toEqual(expect.arrayContaining(['severity', 'penaltyType', 'reason']));
    expect(penalty.required).not.toContain('fineAmountYuan');
    expect(penalty.properties.severity.enum).toEqual(['minor', 'general', 'serious']);
    expect(penalty.properties.fineAmountYuan).toMatchObject({ type: 'number', minimum: 0 });
    expect(penalty.properties.decidedOn).toMatchObject({ type: 'string', format: 'date' });
    expect(dataSchemaOf(EVENT_TYPES.ratingAssigned).properties.ratingYear).toMatchObject({ type: 'integer', minimum: 1990, maximum: 2100 });
    expect(dataSchemaOf(EVENT_TYPES.objectionResolved).properties.outcome.enum).toEqual(['confirmed', 'revoked']);
    const subject = deref(penalty.properties.subject.$ref);
    expect(subject.required).toEqual(['kind', 'idType', 'id', 'name']);
    expect(deref(penalty.properties.relatedPersons.items.$ref).properties.idType.enum).toEqual(['RESIDENT_ID']);
  });

  it('accepts every event of the rule cases that the engine accepts, and refuses what it refuses', () => {
    let checked = 0;
    for (const { file, note, event } of ruleCaseEvents) {
      parseCreditEvent(event);
      const validate = documentValidator(`#/components/messages/${messageIdOf(event.type)}/payload`);
      if (!validate(event)) throw new Error(`${file} "${note}": ${JSON.stringify(validate.errors)}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);

    const [{ event }] = ruleCaseEvents;
    const validate = documentValidator(`#/components/messages/${messageIdOf(event.type)}/payload`);
    expect(validate({ ...event, data: { ...event.data, unexpected: true } })).toBe(false);
    expect(validate({ ...event, data: { ...event.data, decidedOn: '26 January 2026' } })).toBe(false);
    expect(validate({ ...event, data: { ...event.data, subject: { ...event.data.subject, kind: 'alien' } } })).toBe(false);
    expect(validate({ ...event, source: 'somewhere' })).toBe(false);
    expect(validate({ ...event, type: EVENT_TYPES.honourGranted })).toBe(false);
  });

  it('documents the decision messages: binary mode, ce_* headers and feed_cursor, the decision record as payload', () => {
    const decisions = channelByAddress('credit.decisions.{department}.v1');
    const [message] = Object.values(decisions.messages as Json).map((m: Json) => deref(m.$ref));
    expect(message.name).toBe('credit.decision.issued.v1');
    expect(message.headers.required).toEqual(expect.arrayContaining(['ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'feed_cursor']));
    expect(message.headers.properties.ce_source.const).toBe(DECISION_EVENT_SOURCE);
    expect(message.headers.properties.ce_type.const).toBe(DECISION_EVENT_TYPE);
    expect(deref(message.payload.$ref)).toEqual(DECISION_RECORD_SCHEMA);

    // The codec the outbox relay publishes with sets exactly the documented headers.
    const encoded = encodeBinaryCloudEvent({ id: 'r', source: DECISION_EVENT_SOURCE, type: DECISION_EVENT_TYPE, subject: 's', time: new Date(0).toISOString(), data: {} }, 's', { feed_cursor: '1' });
    expect(Object.keys(encoded.headers!).sort()).toEqual([...message.headers.required].sort());
  });

  it('documents the dead letters with their dlq_* headers', () => {
    const [message] = Object.values(channelByAddress('credit.events.dead-letter.v1').messages as Json).map((m: Json) => deref(m.$ref));
    expect([...message.headers.required].sort()).toEqual(['dlq_error_code', 'dlq_error_message', 'dlq_original_offset', 'dlq_original_partition', 'dlq_original_topic']);
  });

  it('has operations that only use messages of their own channel', () => {
    for (const [name, operation] of Object.entries(doc.operations as Json)) {
      const channelRef: string = operation.channel.$ref;
      for (const { $ref } of operation.messages as { $ref: string }[]) {
        expect({ name, ref: $ref.startsWith(`${channelRef}/messages/`) }).toEqual({ name, ref: true });
        deref($ref);
      }
    }
  });
});

describe('docs/asyncapi.json', () => {
  it('is the document the code generates', () => {
    let committed: unknown;
    try {
      committed = JSON.parse(readFileSync(DOC_FILE, 'utf8'));
    } catch (error) {
      throw new Error(`docs/asyncapi.json cannot be read (${(error as Error).message}): run \`npm run docs:asyncapi\` and commit the result`);
    }
    const fresh = JSON.parse(JSON.stringify(doc)) as unknown;
    if (!isDeepStrictEqual(committed, fresh)) {
      throw new Error(`docs/asyncapi.json is out of date with the code (first difference at ${firstDifference(committed, fresh)}): run \`npm run docs:asyncapi\` and commit the result`);
    }
  });
});

function messageIdOf(type: string): string {
  const entry = Object.entries(EVENT_TYPES).find(([, value]) => value === type);
  if (!entry) throw new Error(`unknown event type ${type}`);
  return entry[0];
}

function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const key = keys.find((k) => !isDeepStrictEqual((a as Json)[k], (b as Json)[k]));
  return key === undefined ? path : firstDifference((a as Json)[key], (b as Json)[key], `${path}.${key}`);
}
