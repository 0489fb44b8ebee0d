import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from '@app/config';
import { ALL_EVENT_TYPES, CloudEventEnvelopeDto, Department, DepartmentRegistry, documentedEventSchemas, EVENT_DATA_CLASSES, EVENT_DESCRIPTIONS, EVENT_TYPES, EventType } from '@app/domain';
import { BULLETIN_ISSUED_KIND, BULLETIN_RECORD_SCHEMA, CLOUD_EVENT_TYPE, COORDINATION_CLOSED_KIND, COORDINATION_CLOSED_RECORD_SCHEMA, COORDINATION_OPENED_KIND, COORDINATION_RECORD_SCHEMA, CREDIT_CLASS_CHANGED_KIND, CREDIT_CLASS_RECORD_SCHEMA, DECISION_ISSUED_KIND, DECISION_RECORD_SCHEMA, LIFECYCLE_KINDS, LIFECYCLE_RECORD_SCHEMA, MEASURE_TERMS_SCHEMA, RECORD_EVENT_SOURCE, REFUSAL_KINDS, REFUSAL_RECORD_SCHEMA } from '@app/decision-log';
import { readDepartmentsDocument } from '@app/engine';
import { EXCHANGE_PARAMETERS, TopicNames } from '@app/messaging';

/** W3C Trace Context, version 00. */
const TRACEPARENT_PATTERN = '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$';

/**
 * The AsyncAPI 3.0 description of the product's Kafka interface, generated from the code
 * that defines it: topics from TopicNames and their layout, message payloads from the
 * event catalogue's class-validator metadata, the decision record schema, and the
 * CloudEvents Kafka binding as the codec and the relay apply it. `npm run docs:asyncapi`
 * writes it to docs/asyncapi.json; asyncapi.spec.ts fails when that file is stale.
 */

type Json = Record<string, unknown>;
type Class = abstract new (...args: never[]) => unknown;

const ASYNCAPI_VERSION = '3.0.0';
const KAFKA_BINDING_VERSION = '0.5.0';
const SCHEMAS = '#/components/schemas/';

/** Decisions leave as binary-mode CloudEvents with these attributes (libs/messaging/src/outbox-relay.service.ts). */
export const DECISION_EVENT_SOURCE = RECORD_EVENT_SOURCE;
export const DECISION_EVENT_TYPE = CLOUD_EVENT_TYPE[DECISION_ISSUED_KIND];

export interface AsyncApiOptions {
  /** Repository root: package.json and, unless departmentsFile is given, config/departments.json. Default: the working directory. */
  rootDir?: string;
  /** The departments registry whose codes name the decision topics. */
  departmentsFile?: string;
}

export function buildAsyncApiDocument(options: AsyncApiOptions = {}): object {
  const rootDir = resolve(options.rootDir ?? '.');
  const departments = readDepartments(options.departmentsFile ?? join(rootDir, 'config/departments.json'));
  const { version } = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { version: string };
  const defaults = new AppConfig();
  const topics = new TopicNames();
  const layout = new Map(
    topics
      .layout({ departments: ['{department}'], inboundPartitions: defaults.KAFKA_INBOUND_PARTITIONS, decisionPartitions: defaults.KAFKA_DECISION_PARTITIONS, exchange: { deployment: EXCHANGE_PARAMETERS.from, peers: [EXCHANGE_PARAMETERS.to] } })
      .map((spec) => [spec.topic, spec]),
  );
  const topicBinding = (topic: string) => {
    const spec = layout.get(topic);
    if (!spec) throw new Error(`topic ${topic} is not in TopicNames.layout()`);
    return {
      kafka: {
        partitions: spec.numPartitions,
        ...(spec.configEntries.length > 0 ? { topicConfiguration: Object.fromEntries(spec.configEntries.map((c) => [c.name, Number(c.value)])) } : {}),
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    };
  };

  const events = ALL_EVENT_TYPES.map((type) => ({ type, id: messageIdOf(type), dataClass: EVENT_DATA_CLASSES[type] as Class }));
  const schemas: Json = {
    ...documentedClassSchemas([CloudEventEnvelopeDto, ...events.map((e) => e.dataClass)]),
    DecisionRecord: DECISION_RECORD_SCHEMA,
    LifecycleRecord: LIFECYCLE_RECORD_SCHEMA,
    RefusalRecord: REFUSAL_RECORD_SCHEMA,
    CreditClassChangedRecord: CREDIT_CLASS_RECORD_SCHEMA,
    BulletinIssuedRecord: BULLETIN_RECORD_SCHEMA,
    CoordinationOpenedRecord: COORDINATION_RECORD_SCHEMA,
    CoordinationClosedRecord: COORDINATION_CLOSED_RECORD_SCHEMA,
    // Not a message: what GET /v1/measure-terms/{ref} returns for a DecisionRecord measure's `terms`.
    MeasureTerms: MEASURE_TERMS_SCHEMA,
  };
  const publishers = (type: EventType) => departments.filter((d) => d.publishes.eventTypes.includes(type)).map((d) => d.code);

  const creditEventMessages = Object.fromEntries(
    events.map(({ type, id, dataClass }) => [
      id,
      {
        name: type,
        title: titleOf(type),
        summary: EVENT_DESCRIPTIONS[type],
        description: `${EVENT_DESCRIPTIONS[type]} Published by: ${publishers(type).join(', ') || 'no department yet'} (config/departments.json).`,
        contentType: 'application/cloudevents+json',
        headers: {
          type: 'object',
          properties: {
            'content-type': { type: 'string', const: 'application/cloudevents+json', description: 'CloudEvents structured mode.' },
            traceparent: { type: 'string', pattern: TRACEPARENT_PATTERN, description: 'W3C Trace Context (optional): the decision keeps it, and the records about it continue the trace. The ingest API sends the span that accepted the request; binary mode may send ce_traceparent instead.' },
            'x-request-id': { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$', description: 'Request id (optional; the ingest API sends the HTTP request\'s): kept with the decision and in the engine\'s log line for the event.' },
          },
        },
        payload: {
          allOf: [
            { $ref: `${SCHEMAS}${dataClassName(CloudEventEnvelopeDto)}` },
            {
              type: 'object',
              required: ['type', 'data'],
              properties: { type: { type: 'string', const: type }, data: { $ref: `${SCHEMAS}${dataClassName(dataClass)}` } },
            },
          ],
        },
        bindings: { kafka: { key: { type: 'string', description: 'The CloudEvents subject (the subject identifier): one subject, one partition, in order.' }, bindingVersion: KAFKA_BINDING_VERSION } },
      },
    ]),
  );

  /** Headers of every record the relay publishes to a department (CloudEvents binary mode). */
  const recordHeaders = (types: string[]) => ({
    type: 'object',
    required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'content-type', 'feed_cursor'],
    properties: {
      ce_specversion: { type: 'string', const: '1.0' },
      ce_id: { type: 'string', format: 'uuid', description: 'The recordId of the payload: a redelivered record has the same id, so consumers can drop duplicates.' },
      ce_source: { type: 'string', const: DECISION_EVENT_SOURCE },
      ce_type: types.length === 1 ? { type: 'string', const: types[0] } : { type: 'string', enum: types },
      ce_subject: { type: 'string', description: 'Identifier of the subject the record is about (also the message key); the decision id instead when the subject is a natural person the receiving department may not know (its record leaves out their resident ID and name).' },
      ce_time: { type: 'string', format: 'date-time', description: 'When the record was written to the outbox.' },
      'content-type': { type: 'string', const: 'application/json' },
      feed_cursor: { type: 'string', pattern: '^[0-9]+$', description: 'Position of the record on the HTTP feed: GET /v1/feed?after=<feed_cursor> continues from here, so a consumer can move between Kafka and the feed without gaps.' },
      traceparent: { type: 'string', pattern: TRACEPARENT_PATTERN, description: "W3C Trace Context: a span of the relay's in the trace of the request (or message) behind the record's decision; absent when none was kept." },
      ce_traceparent: { type: 'string', pattern: TRACEPARENT_PATTERN, description: 'The same, as the CloudEvents distributed-tracing extension attribute.' },
    },
  });
  const recordBindings = { kafka: { key: { type: 'string', description: 'ce_subject: the records about one subject (or, where its identifier is withheld, about one decision) stay in order.' }, bindingVersion: KAFKA_BINDING_VERSION } };

  const exchangeTopic = topics.exchangeBetween(EXCHANGE_PARAMETERS.from, EXCHANGE_PARAMETERS.to);
  const messages: Json = {
    ...creditEventMessages,
    exchangedCreditEvent: {
      name: 'exchanged-credit-event',
      title: 'A credit event sent to a peer deployment (市区失信信息互通)',
      summary: "A copy of an event that listed, removed, repaired or objected to entries of a memorandum the link sends, in CloudEvents binary mode, with where it was first published in data.provenance.",
      description:
        "Written by the sending deployment's exchange relay in the transaction-checkpointed way of the decision relay (exactly once on the topic); read by the receiving deployment's exchange bridge, which writes it unchanged but for ce_source (the local publisher of kind deployment standing for the sender) to that publisher's inbound topic. A removal or repair that named a local decision id carries the list code or the penalty's document number instead. The same origin event always has the same ce_id, so a resend is recognised where it arrives.",
      contentType: 'application/json',
      headers: {
        type: 'object',
        required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'content-type', 'exchange_seq'],
        properties: {
          ce_specversion: { type: 'string', const: '1.0' },
          ce_id: { type: 'string', format: 'uuid', description: 'UUIDv5 of the origin deployment, source and event id (data.provenance): one id per origin event whatever the route or the resends.' },
          ce_source: { type: 'string', pattern: '^/deployments/[a-z0-9]+(-[a-z0-9]+)*$', description: 'The sending deployment; the bridge replaces it with /departments/<publisher> of the receiving side.' },
          ce_type: { type: 'string', enum: events.map((e) => e.type) },
          ce_subject: { type: 'string', description: 'The subject identifier (also the message key).' },
          ce_time: { type: 'string', format: 'date-time', description: "The origin event's time." },
          'content-type': { type: 'string', const: 'application/json' },
          exchange_seq: { type: 'string', pattern: '^[0-9]+$', description: "The copy's place in the sender's exchange outbox." },
        },
      },
      payload: { oneOf: events.map(({ dataClass }) => ({ $ref: `${SCHEMAS}${dataClassName(dataClass)}` })), description: "The event's data, with data.provenance (origin deployment, department, source, event id, route)." },
      bindings: { kafka: { key: { type: 'string', description: 'The subject identifier: one subject, one partition, in order.' }, bindingVersion: KAFKA_BINDING_VERSION } },
    },
    deadLetter: {
      name: 'dead-letter',
      title: 'Refused credit event',
      summary: 'A message from the inbound topic that the engine could not accept, byte for byte, with the reason in headers.',
      description:
        'The value and key are those of the original message and its headers are kept (content-type, ce_* in binary mode); dlq_* headers say why and where it came from. The engine also records every refusal in PostgreSQL (dead_letter table). A dead letter too large to publish whole is truncated (dlq_truncated says why; the dead_letter row keeps it whole).',
      headers: {
        type: 'object',
        required: ['dlq_error_code', 'dlq_error_message', 'dlq_original_topic', 'dlq_original_partition', 'dlq_original_offset'],
        properties: {
          dlq_error_code: { type: 'string', description: 'Error code, e.g. EVENT.SCHEMA_VIOLATION, EVENT.UNKNOWN_TYPE, SUBJECT.BAD_CHECK_DIGIT, ENGINE.PROCESSING_FAILED.', examples: ['EVENT.SCHEMA_VIOLATION'] },
          dlq_error_message: { type: 'string', maxLength: 4000, description: 'Human-readable reason, cut to 4000 characters.' },
          dlq_original_topic: { type: 'string', description: 'Topic the message was read from.' },
          dlq_original_partition: { type: 'string', pattern: '^[0-9]+$', description: 'Its partition, as decimal text.' },
          dlq_original_offset: { type: 'string', pattern: '^[0-9]+$', description: 'Its offset, as decimal text.' },
          dlq_truncated: {
            type: 'string',
            description: 'Present when the dead letter was too large to publish whole: why. The value is then the start of the original (or absent) and only the ce_id, ce_source, ce_type, ce_specversion and content-type headers of the original are kept; the dead_letter table has the whole message.',
          },
          dlq_original_bytes: { type: 'string', pattern: '^[0-9]+$', description: 'With dlq_truncated: the size of the whole dead letter, in bytes.' },
        },
        additionalProperties: { type: 'string', description: 'Headers of the original message.' },
      },
      payload: { description: 'The original message value, unchanged: usually a structured-mode credit event, possibly malformed or not JSON at all.' },
      bindings: { kafka: { key: { type: 'string', description: 'The original message key.' }, bindingVersion: KAFKA_BINDING_VERSION } },
    },
    decisionIssued: {
      name: DECISION_EVENT_TYPE,
      title: 'Decision issued',
      summary: 'A joint reward or punishment decision addressed to one department.',
      description:
        "CloudEvents binary mode: the attributes are ce_* headers, the value is the decision record as JSON. A department receives a decision only if it identified it (published the event, or owns the list) or implements or cooperates in at least one of its measures, on its own topic: the listing, its own measures in full (yourRole) and the other signatories' as counts per measure code. A natural person's resident ID and name appear only in the records of departments that act on that person or published the listing. The same records, in the same order, are on the HTTP feed (GET /v1/feed); feed_cursor is their position there.",
      contentType: 'application/json',
      headers: recordHeaders([DECISION_EVENT_TYPE]),
      payload: { $ref: `${SCHEMAS}DecisionRecord` },
      bindings: recordBindings,
    },
    decisionChanged: {
      name: 'credit.decision.changed',
      title: 'Decision revoked, disputed or confirmed',
      summary: 'A change to an issued decision, sent to every department it was addressed to, under the same rule of what each receives.',
      description:
        'ce_type says which: credit.decision.revoked.v1 (expired, removed, repaired, revoked on objection, escalated, superseded: stop applying the listed tasks), credit.decision.disputed.v1 (an objection is pending: flag them), credit.decision.confirmed.v1 (the objection was rejected). Same headers and ordering as decision records.',
      contentType: 'application/json',
      headers: recordHeaders(LIFECYCLE_KINDS.map((kind) => CLOUD_EVENT_TYPE[kind])),
      payload: { $ref: `${SCHEMAS}LifecycleRecord` },
      bindings: recordBindings,
    },
    requestRefused: {
      name: 'credit.request.refused',
      title: 'Repair or red-list grant refused',
      summary: 'Told to the department whose event asked for it: a credit repair the memorandum does not allow yet, or a red-list grant while the subject is blacklisted.',
      contentType: 'application/json',
      headers: recordHeaders(REFUSAL_KINDS.map((kind) => CLOUD_EVENT_TYPE[kind])),
      payload: { $ref: `${SCHEMAS}RefusalRecord` },
      bindings: recordBindings,
    },
    creditClassChanged: {
      name: CLOUD_EVENT_TYPE[CREDIT_CLASS_CHANGED_KIND],
      title: 'Credit class changed',
      summary: "An organisation's credit class (信用分类) changed under a classification model, told to the departments the model names (rules/classes/<id>.json, publishTo).",
      description:
        'Sent only when the class changes (a recomputation that keeps the class sends nothing), in the transaction of the decision, removal, repair, objection or expiry that changed the standing: previousClass (the default class when there was none), the new class, the rule that gave it and the facts it read. Natural persons\' classes are never broadcast. Same headers and ordering as decision records.',
      contentType: 'application/json',
      headers: recordHeaders([CLOUD_EVENT_TYPE[CREDIT_CLASS_CHANGED_KIND]]),
      payload: { $ref: `${SCHEMAS}CreditClassChangedRecord` },
      bindings: recordBindings,
    },
    bulletinIssued: {
      name: CLOUD_EVENT_TYPE[BULLETIN_ISSUED_KIND],
      title: 'Situation bulletin issued',
      summary: 'A situation bulletin (情况通报) for a month or quarter was issued, told to every government department with its own line (figures and place in the ranking).',
      description:
        'Written when the credit office (POST /v1/bulletins) or the schedule (BULLETIN_SCHEDULE) issues the bulletin; ce_subject and the key are the bulletin number, and links name where to read the whole bulletin (JSON, HTML, PDF, CSV). Same headers as decision records.',
      contentType: 'application/json',
      headers: recordHeaders([CLOUD_EVENT_TYPE[BULLETIN_ISSUED_KIND]]),
      payload: { $ref: `${SCHEMAS}BulletinIssuedRecord` },
      bindings: recordBindings,
    },
    coordinationOpened: {
      name: CLOUD_EVENT_TYPE[COORDINATION_OPENED_KIND],
      title: 'Coordination case opened',
      summary: 'A major dishonesty event met a criterion of COORDINATION_FILE and opened a coordination case (召开工作协调会), told to every department it concerns.',
      description:
        "Written in the transaction that decided the event: the criterion and the facts that met it, the decisions, the departments concerned (the decisions' addressees, those the criterion invites, the credit office), the agenda, the meeting and due dates in working days, and where to acknowledge it. A natural person is not named (subjectId null; ce_subject and the key are the case id). Same headers as decision records.",
      contentType: 'application/json',
      headers: recordHeaders([CLOUD_EVENT_TYPE[COORDINATION_OPENED_KIND]]),
      payload: { $ref: `${SCHEMAS}CoordinationOpenedRecord` },
      bindings: recordBindings,
    },
    coordinationClosed: {
      name: CLOUD_EVENT_TYPE[COORDINATION_CLOSED_KIND],
      title: 'Coordination case closed',
      summary: "The credit office closed a coordination case with its meeting's minutes (会议纪要) and the joint documents (联合发文) issued for it, told to every department the case concerns.",
      description: 'Written with the minutes (POST /v1/coordination/cases/{id}/minutes), once per case. Same key and headers as coordination.opened.',
      contentType: 'application/json',
      headers: recordHeaders([CLOUD_EVENT_TYPE[COORDINATION_CLOSED_KIND]]),
      payload: { $ref: `${SCHEMAS}CoordinationClosedRecord` },
      bindings: recordBindings,
    },
  };

  const ref = (channel: string, message: string) => ({ $ref: `#/channels/${channel}/messages/${message}` });
  const channels: Json = {
    creditEvents: {
      address: topics.inboundFor('{department}'),
      title: 'Inbound credit events of one department',
      description:
        'Credit events from one department, CloudEvents 1.0, keyed by subject identifier. Only that department (and the ingest API on its behalf) may write the topic, so the topic names the publisher: an event whose source names another department is dead-lettered (DEPARTMENT.SOURCE_MISMATCH). The ingest API (POST /v1/events) publishes each event it accepts on the authenticated department\'s topic in structured mode (content-type application/cloudevents+json, the whole event in the value); the engine also accepts binary mode (ce_* headers, data in the value). The engine validates each event again; what it refuses goes to the dead-letter topic.',
      parameters: {
        department: {
          enum: departments.map((d) => d.code),
          description: 'Code of the publishing department (config/departments.json).',
        },
      },
      messages: Object.fromEntries(events.map(({ id }) => [id, { $ref: `#/components/messages/${id}` }])),
      bindings: topicBinding(topics.inboundFor('{department}')),
    },
    deadLetters: {
      address: topics.deadLetters,
      title: 'Refused credit events',
      description: 'Inbound messages the engine could not accept, for operators to inspect and replay.',
      messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
      bindings: topicBinding(topics.deadLetters),
    },
    departmentDecisions: {
      address: topics.decisionsFor('{department}'),
      title: 'Decisions for one department',
      description:
        'One topic per department, so a broker ACL can let each department read only what is addressed to it. Records are published exactly once, in Kafka transactions: consumers should read with isolation.level=read_committed.',
      parameters: {
        department: {
          enum: departments.map((d) => d.code),
          description: 'Code of the receiving department (config/departments.json).',
        },
      },
      messages: {
        decisionIssued: { $ref: '#/components/messages/decisionIssued' },
        decisionChanged: { $ref: '#/components/messages/decisionChanged' },
        requestRefused: { $ref: '#/components/messages/requestRefused' },
        creditClassChanged: { $ref: '#/components/messages/creditClassChanged' },
        bulletinIssued: { $ref: '#/components/messages/bulletinIssued' },
        coordinationOpened: { $ref: '#/components/messages/coordinationOpened' },
        coordinationClosed: { $ref: '#/components/messages/coordinationClosed' },
      },
      bindings: topicBinding(topics.decisionsFor('{department}')),
    },
    exchange: {
      address: exchangeTopic,
      title: 'What one deployment sends a peer',
      description:
        "One topic a direction on the sending deployment's cluster (EXCHANGE_FILE's outbound links): its exchange relay writes it in Kafka transactions, and the peer's bridge reads it with the one user and group provisioned for it (npm run kafka:department -- exchange-reader <user>), isolation.level=read_committed.",
      parameters: {
        from: { description: "The sending deployment's code (EXCHANGE_FILE deployment)." },
        to: { description: "The receiving deployment's code (the link's peer)." },
      },
      messages: { exchangedCreditEvent: { $ref: '#/components/messages/exchangedCreditEvent' } },
      bindings: topicBinding(exchangeTopic),
    },
  };

  const operations: Json = {
    publishCreditEvent: {
      action: 'send',
      channel: { $ref: '#/channels/creditEvents' },
      title: 'Publish a credit event',
      summary: 'The ingest API puts each accepted event on the inbound topic (acks=all) before it answers 202.',
      messages: events.map(({ id }) => ref('creditEvents', id)),
    },
    consumeCreditEvents: {
      action: 'receive',
      channel: { $ref: '#/channels/creditEvents' },
      title: 'Decide on credit events',
      summary: 'The decision engine applies the cooperation memoranda in rules/ to each new event; a redelivered event is recognised and decided only once.',
      messages: events.map(({ id }) => ref('creditEvents', id)),
      bindings: {
        kafka: {
          groupId: { type: 'string', enum: [defaults.KAFKA_CONSUMER_GROUP], description: 'KAFKA_CONSUMER_GROUP' },
          clientId: { type: 'string', enum: [defaults.KAFKA_CLIENT_ID], description: 'KAFKA_CLIENT_ID' },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    },
    deadLetterCreditEvent: {
      action: 'send',
      channel: { $ref: '#/channels/deadLetters' },
      title: 'Dead-letter a refused event',
      summary: 'The engine moves a message it cannot accept (invalid, or failing on its own after retries) aside, so its partition moves on.',
      messages: [ref('deadLetters', 'deadLetter')],
    },
    publishDecision: {
      action: 'send',
      channel: { $ref: '#/channels/departmentDecisions' },
      title: 'Publish decisions',
      summary: 'The engine relays the decision records of its outbox (PostgreSQL) to the addressed departments, exactly once.',
      messages: [ref('departmentDecisions', 'decisionIssued'), ref('departmentDecisions', 'decisionChanged'), ref('departmentDecisions', 'requestRefused'), ref('departmentDecisions', 'creditClassChanged'), ref('departmentDecisions', 'bulletinIssued'), ref('departmentDecisions', 'coordinationOpened'), ref('departmentDecisions', 'coordinationClosed')],
    },
    sendToPeer: {
      action: 'send',
      channel: { $ref: '#/channels/exchange' },
      title: 'Send to a peer deployment',
      summary: "The engine's exchange relay publishes the copies of its exchange outbox (PostgreSQL), written in the deciding transaction, exactly once.",
      messages: [ref('exchange', 'exchangedCreditEvent')],
    },
    bridgeFromPeer: {
      action: 'receive',
      channel: { $ref: '#/channels/exchange' },
      title: "Carry a peer's copies in",
      summary: "The receiving deployment's exchange bridge writes each copy to its publisher's inbound topic, then commits the peer's offset: a restart resends, and the resent copy's id is already held.",
      messages: [ref('exchange', 'exchangedCreditEvent')],
      bindings: { kafka: { groupId: { type: 'string', description: '<prefix>credit.exchange.<from>.<to>.v1.bridge, on the sender\'s cluster' }, bindingVersion: KAFKA_BINDING_VERSION } },
    },
  };

  return {
    asyncapi: ASYNCAPI_VERSION,
    id: 'urn:credit-joint-engine',
    info: {
      title: 'Credit joint reward-and-punishment engine: Kafka interface',
      version,
      description: [
        'Departments publish credit events (CloudEvents 1.0); the engine applies the cooperation memoranda (合作备忘录) and publishes to every addressed department the decisions of joint incentives (守信联合激励) and joint punishment (失信联合惩戒).',
        '',
        `Topic names are shown without prefix: a deployment with KAFKA_TOPIC_PREFIX set puts it in front of every name. Partition counts are the defaults (KAFKA_INBOUND_PARTITIONS, KAFKA_DECISION_PARTITIONS). On a secured cluster the provisioning command creates the topics and their ACLs (npm run kafka:department -- setup, or -- add <code>); on a broker without ACLs the apps create those they use. ${topics.relayCheckpoints} carries no messages (its committed offsets record what the outbox relay has published) and is not described here.`,
        '',
        'Generated from the code by `npm run docs:asyncapi`; do not edit by hand.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: defaults.KAFKA_BROKERS.split(',')[0],
        protocol: 'kafka',
        title: 'Local broker',
        description: 'The single-node broker of docker-compose.yml (or scripts/kafka.sh). The apps connect to KAFKA_BROKERS.',
        bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}

/** Write the document as JSON (which is also YAML) to a file, or to stdout without one. */
export function writeAsyncApiDocument(outFile: string | undefined, options: AsyncApiOptions = {}): void {
  const text = `${JSON.stringify(buildAsyncApiDocument(options), null, 2)}\n`;
  if (!outFile) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(resolve(outFile)), { recursive: true });
  writeFileSync(outFile, text);
}

/** The event classes' documented schemas (libs/domain, also the per-type schemas of /schemas/), referenced under components. */
function documentedClassSchemas(roots: readonly Class[]): Json {
  return documentedEventSchemas(roots, SCHEMAS);
}

function readDepartments(file: string): Department[] {
  return new DepartmentRegistry(readDepartmentsDocument(file).departments).all();
}

/** The class's own name: a subclass that adds no fields (CommitmentBreachedData) still gets its own schema name. */
function dataClassName(cls: Class): string {
  return cls.name;
}

/** Message id of an event type: its key in EVENT_TYPES (listEntryAdded). */
function messageIdOf(type: EventType): string {
  return Object.entries(EVENT_TYPES).find(([, value]) => value === type)![0];
}

/** listEntryAdded → "List entry added". */
function titleOf(type: EventType): string {
  const words = messageIdOf(type).replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
