import { IDENTIFIER_TYPES, RELATED_PERSON_ROLES, SUBJECT_KINDS } from '@app/domain';
import type { DecisionIssuedRecord, IssuedListEntry, IssuedMeasure, RecordSubject } from '../decision-issued.record';
import { MEASURE_TERMS_REF } from '../measure-terms';
import { DECISION_ISSUED_KIND, DECISION_RECORD_SCHEMA_VERSION } from '../record-kinds';
import { calendarDate, closed, CODE, department, JsonSchema, LAST_USABLE_ON, MEASURE_CODE, nonEmpty, uuid, VALID_TO, WITHHELD } from './schema-parts';

/**
 * JSON Schema of the decision record a department receives, on its Kafka topic and on the HTTP
 * feed alike (DecisionIssuedRecord). Written by hand, checked against the type by `closed<T>()`
 * and against real records planned from the rule cases by record-schemas.spec.ts; every object is
 * closed, so a field the record gains or loses fails that test until this schema says the same.
 */

export const MEASURE_CATEGORY: JsonSchema = {
  type: 'string',
  enum: ['restrict', 'deny', 'key-supervision', 'grade-downgrade', 'publicity', 'green-channel', 'accept-missing-materials', 'priority', 'simplified-procedure', 'fewer-inspections', 'commendation'],
};
export const LIST_TYPE: JsonSchema = { type: 'string', enum: ['black', 'red', 'key-attention'], description: 'black = 黑名单, red = 红名单, key-attention = 重点关注名单.' };
export const TARGET_ROLE: JsonSchema = { type: 'string', enum: ['subject', ...RELATED_PERSON_ROLES] };

const subjectProperties = {
  kind: { type: 'string', enum: [...SUBJECT_KINDS] },
  idType: { type: 'string', enum: [...IDENTIFIER_TYPES], description: 'USCC (统一社会信用代码) for organisations, RESIDENT_ID (公民身份号码) for natural persons.' },
  id: nonEmpty('The identifier in canonical form (upper case, trimmed).'),
  name: nonEmpty(),
};

/** A listed subject: in full, or without identifier and name (WITHHELD). */
export const RECORD_SUBJECT = closed<RecordSubject>()(['kind', 'idType'], subjectProperties, `The subject the decision is about (listed, or the target of its measures). id and name: ${WITHHELD}`);

const listEntry = closed<IssuedListEntry>()(
  ['id', 'list', 'reason', 'documentNumber', 'identifyingDepartment', 'validFrom', 'validTo', 'conductEndedOn', 'lastUsableOn', 'disputed'],
  {
    id: uuid('List entry id; the same event and memorandum always give the same id.'),
    list: closed<IssuedListEntry['list']>()(['code', 'type'], { code: { type: 'string', pattern: CODE }, type: LIST_TYPE }),
    reason: { type: ['string', 'null'], description: 'Reason code of the cause event, null when it gives none.' },
    documentNumber: nonEmpty('Number of the document (decision, judgment) behind the entry.'),
    identifyingDepartment: department('Department that decides who is on the list (认定部门).'),
    validFrom: calendarDate('First day in force.'),
    validTo: calendarDate(VALID_TO),
    conductEndedOn: { ...calendarDate('The day the conduct ended, as the identifying department stated it, or its decision date when it could not; null for red lists.'), type: ['string', 'null'] },
    lastUsableOn: { ...calendarDate(LAST_USABLE_ON), type: ['string', 'null'] },
    disputed: { type: 'boolean', description: 'Whether an objection (异议) is pending; false when the decision is issued.' },
  },
  'An entry on a credit list (名单) made by this decision.',
);

const relatedPerson = closed<Extract<IssuedMeasure['target'], { id: string }>>()(
  ['role', 'kind', 'idType', 'id', 'name'],
  { role: { type: 'string', enum: [...RELATED_PERSON_ROLES] }, ...subjectProperties },
  'A related natural person named in the event (legal representative, actual controller…), on whom the receiving department acts.',
);

const measure = closed<IssuedMeasure>()(
  ['taskId', 'code', 'category', 'terms', 'yourRole', 'implementingDepartment', 'cooperatingDepartments', 'target', 'validFrom', 'validTo', 'rule'],
  {
    taskId: uuid('Measure task id; the same event, memorandum, measure and target always give the same id.'),
    code: { type: 'string', pattern: MEASURE_CODE, description: 'Memorandum prefix and measure number, e.g. JD-03.' },
    category: MEASURE_CATEGORY,
    terms: {
      type: 'string',
      pattern: MEASURE_TERMS_REF.source,
      description:
        'What the measure says and rests on — memorandum heading, wording (zh, en) and legal basis in the instrument versions in force on the decision day — by reference: GET /v1/measure-terms/{terms} returns them; the reference is the first 32 hex digits of the SHA-256 of that response body, so a subscriber fetches each one once and can verify it. The same for every target and decision of the same memorandum version, measure and basis.',
    },
    implementingDepartment: department('Department that must apply the measure (实施部门).'),
    cooperatingDepartments: { type: 'array', items: department('A cooperating department.') },
    yourRole: { type: 'string', enum: ['implementing', 'cooperating'], description: 'How the receiving department takes part: it applies the measure (实施) or cooperates (配合).' },
    target: {
      oneOf: [closed<{ role: 'subject' }>()(['role'], { role: { type: 'string', const: 'subject' } }, "The record's subject."), relatedPerson],
      description: "Who the measure applies to: the record's subject, or a related natural person named in the event.",
    },
    validFrom: calendarDate('First day the measure applies.'),
    validTo: calendarDate(VALID_TO),
    rule: { type: 'string', pattern: CODE, description: "The rule that decided it (rules/<memorandum>.json); what it read of the event is the record's facts." },
  },
  'A measure (措施) of the memorandum that the receiving department implements or cooperates in, for one target person.',
);

/** Other signatories' measures, the same in every record family. */
export const OTHER_MEASURES = {
  type: 'object',
  description:
    "The other signatories' measures (or, on a change, their affected tasks): how many targets (the subject and related persons) each measure code applies to, e.g. {\"JD-01\": 1, \"JD-03\": 3} — never who they are. What a code is and who applies it is in its memorandum.",
  propertyNames: { pattern: MEASURE_CODE },
  additionalProperties: { type: 'integer', minimum: 1 },
} satisfies JsonSchema;

export const DECISION_RECORD_SCHEMA = closed<DecisionIssuedRecord>()(
  ['schemaVersion', 'recordId', 'kind', 'department', 'decisionId', 'issuedAt', 'memorandum', 'ruleSetRevision', 'ruleSetRelease', 'causeEvent', 'listEntries', 'measures', 'facts', 'otherMeasures'],
  {
    schemaVersion: { type: 'integer', const: DECISION_RECORD_SCHEMA_VERSION },
    recordId: uuid('Id of this record: one per decision and receiving department. Also the CloudEvents id (ce_id) on Kafka.'),
    kind: { type: 'string', const: DECISION_ISSUED_KIND },
    department: department('The receiving department: whose topic or feed carries this record.'),
    decisionId: uuid('The decision; every addressed department receives a record with the same decisionId.'),
    issuedAt: { type: 'string', format: 'date-time' },
    memorandum: closed<DecisionIssuedRecord['memorandum']>()(
      ['id', 'version'],
      {
        id: { type: 'string', pattern: CODE, description: 'The cooperation memorandum (合作备忘录) applied; its rule file is rules/<id>.json.' },
        version: nonEmpty(),
        kind: { type: 'string', enum: ['sanction', 'incentive'], description: 'sanction = 失信联合惩戒; incentive = 守信联合激励.' },
        documentNumber: nonEmpty('Document number (文号) of the memorandum, e.g. 发改财金〔2016〕141号; its title is in the measure terms.'),
      },
      'kind and documentNumber are absent only if the memorandum left the rule set between decision and publication.',
    ),
    ruleSetRevision: nonEmpty('Revision of the rule set that decided.'),
    ruleSetRelease: { type: ['integer', 'null'], minimum: 1, description: 'Version of the rule-set release that decided (README "Releases"); null when the rule set came from the rules/ files.' },
    causeEvent: closed<DecisionIssuedRecord['causeEvent']>()(['id', 'source'], { id: nonEmpty('CloudEvents id of the credit event.'), source: { type: 'string', pattern: '^/departments/[a-z0-9]+(-[a-z0-9]+)*$' } }, 'The credit event that caused the decision.'),
    subject: RECORD_SUBJECT,
    listEntries: { type: 'array', maxItems: 1, items: listEntry, description: 'The listing of the subject this decision makes, if any.' },
    measures: { type: 'array', items: measure, description: 'What the receiving department must act on; empty for a department that only identified the subject.' },
    facts: { type: 'object', description: "The facts of the cause event the rules behind this department's measures read, with the values they read (the why of the decision; the full condition trace is kept by the engine). Empty without measures." },
    otherMeasures: OTHER_MEASURES,
  },
  "A decision (joint reward or punishment) addressed to one department — one that identified it or implements or cooperates in one of its measures: the subject and its listing, this department's measures (terms by reference) and the other signatories' as counts per measure code.",
);
