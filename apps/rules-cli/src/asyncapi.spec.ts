import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { ALL_EVENT_TYPES, EVENT_DATA_CLASSES, EVENT_TYPES, EventType, parseCreditEvent } from '@app/domain';
import { DECISION_RECORD_SCHEMA_VERSION, lifecycleRecords, refusalRecord, toFeedRecords } from '@app/engine';
import type { EntryState, TaskState } from '@app/persistence';
import { encodeBinaryCloudEvent } from '@app/messaging';
import { decideCreditEvent, JsonRulesEngineEvaluator, loadRuleCaseFiles, loadRuleSet } from '@app/rules';
import { buildAsyncApiDocument, DECISION_EVENT_SOURCE, DECISION_EVENT_TYPE } from './asyncapi';
import { DECISION_RECORD_SCHEMA } from './decision-record.schema';
import { LIFECYCLE_RECORD_SCHEMA, REFUSAL_RECORD_SCHEMA } from './lifecycle-record.schema';

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

  it('has the inbound, dead-letter and per-department decision channels', () => {
    expect(Object.values(doc.channels as Json).map((c: Json) => c.address).sort()).toEqual(['credit.decisions.{department}.v1', 'credit.events.dead-letter.v1', 'credit.events.{department}.v1']);
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

describe('decision record schema', () => {
  it('describes every record the engine plans for the rule cases', async () => {
    const ruleSet = loadRuleSet(RULES_DIR, { knownDepartments: new Set(departments) });
    const evaluator = new JsonRulesEngineEvaluator(ruleSet);
    const memoranda = new Map(ruleSet.memoranda.map((m) => [m.id, m]));
    const validate = newAjv().compile(DECISION_RECORD_SCHEMA);
    const seen = { records: 0, listEntries: 0, measures: 0, otherMeasures: 0 };
    for (const { event } of ruleCaseEvents) {
      const decisions = await decideCreditEvent(parseCreditEvent(event), ruleSet, evaluator);
      for (const record of toFeedRecords(decisions, memoranda, new Date('2026-02-01T08:00:00Z'))) {
        // Through JSON, as the record is stored and published.
        const payload = JSON.parse(JSON.stringify(record.payload)) as {
          listEntries: unknown[];
          measures: { implementingDepartment: string; cooperatingDepartments: string[] }[];
          otherMeasures: { code: string; implementingDepartment: string; targets: number }[];
        };
        const valid = validate(payload);
        if (!valid) throw new Error(`record for ${record.department} (${event.id}): ${JSON.stringify(validate.errors)}`);
        seen.records++;
        seen.listEntries += payload.listEntries.length;
        seen.measures += payload.measures.length;
        seen.otherMeasures += payload.otherMeasures.length;
        // A department receives in full exactly the measures it implements or cooperates in.
        for (const m of payload.measures) expect([m.implementingDepartment, ...m.cooperatingDepartments]).toContain(record.department);
        for (const m of payload.otherMeasures) expect(m.implementingDepartment).not.toBe(record.department);
        // One line per measure code, and every task of the decision accounted for.
        expect(new Set(payload.otherMeasures.map((m) => m.code)).size).toBe(payload.otherMeasures.length);
        const decision = decisions.find((d) => d.id === record.decisionId)!;
        expect(payload.measures.length + payload.otherMeasures.reduce((n, m) => n + m.targets, 0)).toBe(decision.measureTasks.length);
      }
    }
    expect(seen.records).toBeGreaterThan(20);
    expect(seen.listEntries).toBeGreaterThan(0);
    expect(seen.measures).toBeGreaterThan(0);
    expect(seen.otherMeasures).toBeGreaterThan(0);
  });

  it('refuses a record with a field it does not describe', () => {
    const validate = newAjv().compile(DECISION_RECORD_SCHEMA);
    const record = {
      schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
      recordId: '00000000-0000-8000-8000-000000000000',
      kind: 'decision.issued',
      department: 'tax',
      decisionId: '00000000-0000-8000-8000-000000000001',
      issuedAt: '2026-02-01T08:00:00.000Z',
      memorandum: { id: 'm', version: '1' },
      ruleSetRevision: 'r',
      causeEvent: { id: 'e', source: '/departments/court' },
      listEntries: [],
      measures: [],
      otherMeasures: [],
    };
    expect(validate(record)).toBe(true);
    expect(validate({ ...record, surprise: 1 })).toBe(false);
    expect(validate({ ...record, memorandum: { ...record.memorandum, surprise: 1 } })).toBe(false);
  });

  it('uses the enums of the memorandum schema for list types and measure categories', () => {
    const memorandumSchema = JSON.parse(readFileSync(join(RULES_DIR, 'memorandum.schema.json'), 'utf8')) as Json;
    const record = DECISION_RECORD_SCHEMA as Json;
    expect(record.properties.listEntries.items.properties.list.properties.type.enum).toEqual(memorandumSchema.properties.list.properties.type.enum);
    expect(record.properties.measures.items.properties.category.enum).toEqual(memorandumSchema.$defs.measure.properties.category.enum);
    expect(record.properties.memorandum.properties.kind.enum).toEqual(memorandumSchema.properties.kind.enum);
  });
});

describe('lifecycle and refusal record schemas', () => {
  const entry: EntryState = {
    id: '00000000-0000-8000-8000-0000000000e1',
    decisionId: '00000000-0000-8000-8000-0000000000d1',
    memorandumId: 'judgment-debtors',
    memorandumVersion: '2016',
    listCode: 'judgment-debtor',
    listType: 'black',
    subjectKind: 'enterprise',
    subjectIdType: 'USCC',
    subjectId: '91510802MA62XK0U3U',
    subjectName: '广元市利州区某某建材有限公司',
    reason: null,
    documentNumber: '(2025)川0802执123号',
    identifyingDepartment: 'court',
    validFrom: '2026-01-05',
    validTo: '2028-01-05',
    state: 'repaired',
    disputed: false,
    objectionId: null,
    endReason: 'repaired',
    createdAt: '2026-01-05 10:00:00.123456+08',
    causeEventId: 'e1',
    causeEventSource: '/departments/court',
    addressees: ['court', 'finance', 'transport'],
  };
  const task = (id: string, code: string, implementingDepartment: string, targetRole: string): TaskState => ({
    id,
    decisionId: entry.decisionId,
    listEntryId: entry.id,
    memorandumId: entry.memorandumId,
    measureCode: code,
    category: 'restrict',
    text: { zh: '限制', en: 'restrict' },
    implementingDepartment,
    cooperatingDepartments: [],
    legalBasis: [],
    targetRole,
    targetIdType: targetRole === 'subject' ? 'USCC' : 'RESIDENT_ID',
    targetId: targetRole === 'subject' ? entry.subjectId : '510802197804150310',
    targetName: targetRole === 'subject' ? entry.subjectName : '王建国',
    validFrom: entry.validFrom,
    validTo: entry.validTo,
    // A repair revokes the entry's tasks (a task's states are active, expired and revoked).
    state: 'revoked',
    endedAt: '2026-06-01T02:00:00.000Z',
    endReason: 'repaired',
    disputed: false,
    feedbackDueOn: null,
    feedbackDueProvisional: false,
    createdAt: '2026-01-05T02:00:00.123Z',
  });

  it('describes the lifecycle records every addressee receives', () => {
    const validate = newAjv().compile(LIFECYCLE_RECORD_SCHEMA);
    const tasks = [task('00000000-0000-8000-8000-0000000000a1', 'JD-01', 'finance', 'subject'), task('00000000-0000-8000-8000-0000000000a2', 'JD-02', 'transport', 'subject'), task('00000000-0000-8000-8000-0000000000a3', 'JD-02', 'transport', 'legal-representative')];
    const records = lifecycleRecords({ kind: 'decision.revoked', reason: 'repaired', causeKey: 'repair/1', entries: [entry], tasks }, new Map([[entry.decisionId, entry.addressees]]), new Date('2026-06-01T02:00:00Z'));
    expect(records.map((r) => r.department)).toEqual(['court', 'finance', 'transport']);
    for (const record of records) {
      const payload = JSON.parse(JSON.stringify(record.payload)) as { measures: { code: string }[]; otherMeasures: { code: string; targets: number }[] };
      if (!validate(payload)) throw new Error(`${record.department}: ${JSON.stringify(validate.errors)}`);
      expect(payload.measures.length + payload.otherMeasures.reduce((n, m) => n + m.targets, 0)).toBe(tasks.length);
    }
    const finance = records.find((r) => r.department === 'finance')!.payload as { measures: { code: string }[]; otherMeasures: unknown[] };
    expect(finance.measures.map((m) => m.code)).toEqual(['JD-01']);
    expect(finance.otherMeasures).toEqual([{ code: 'JD-02', implementingDepartment: 'transport', targets: 2 }]);
    expect(validate({ ...(records[0].payload as object), surprise: 1 })).toBe(false);
  });

  it('describes every kind of refusal', () => {
    const validate = newAjv().compile(REFUSAL_RECORD_SCHEMA);
    const at = new Date('2026-06-01T02:00:00Z');
    const records = [
      refusalRecord({ kind: 'repair.refused', code: 'REPAIR.TOO_EARLY', reason: 'the minimum period before credit repair has not been served', detail: { list: 'judgment-debtor', entries: [entry.id], tasks: [], earliestRepairOn: '2027-06-01' } }, 'court', entry.subjectId, '/departments/court/r1', at),
      refusalRecord({ kind: 'removal.refused', code: 'LIFECYCLE.NOT_IDENTIFYING_DEPARTMENT', reason: 'published by another department', detail: { entries: [], tasks: [entry.id] } }, 'tax', entry.subjectId, '/departments/tax/x1', at),
      refusalRecord({ kind: 'grant.refused', code: 'GRANT.WHILE_BLACKLISTED', reason: 'no red-list entry is granted while the subject has an active blacklist entry', detail: { list: 'a-grade-taxpayer', memorandum: 'a-grade-taxpayers' } }, 'tax', entry.subjectId, '/departments/tax/g1', at),
      refusalRecord({ kind: 'sanction.refused', code: 'EVENT.CONDUCT_PAST_LIMIT', reason: 'older than five years', detail: { memorandum: 'judgment-debtors', lastUsableOn: '2025-05-31' } }, 'court', entry.subjectId, '/departments/court/s1', at),
      refusalRecord({ kind: 'change.no-effect', code: 'LIFECYCLE.NOTHING_ACTIVE', reason: 'no active entry', detail: { list: 'judgment-debtor' } }, 'court', entry.subjectId, '/departments/court/n1', at),
    ];
    for (const record of records) if (!validate(JSON.parse(JSON.stringify(record.payload)))) throw new Error(`${record.kind}: ${JSON.stringify(validate.errors)}`);
    expect(validate({ ...(records[0].payload as object), surprise: 1 })).toBe(false);
    expect(validate({ ...(records[0].payload as object), code: 'NOT.A_CODE' })).toBe(false);
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
