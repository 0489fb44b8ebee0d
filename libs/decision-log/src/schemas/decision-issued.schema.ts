import { IDENTIFIER_TYPES, RELATED_PERSON_ROLES, SUBJECT_KINDS } from '@app/domain';
import { INSTRUMENT_LEVELS, RecordedLegalBasis } from '@app/rules';
import type { DecisionIssuedRecord, IssuedListEntry, IssuedMeasure, RecordSubject } from '../decision-issued.record';
import type { OtherMeasures } from '../measure-summary';
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

const bilingualText = (description: string) =>
  closed<{ zh: string; en: string }>()(['zh', 'en'], { zh: nonEmpty('Authoritative Chinese text.'), en: nonEmpty('English text for integrators.') }, description);

const subjectProperties = {
  kind: { type: 'string', enum: [...SUBJECT_KINDS] },
  idType: { type: 'string', enum: [...IDENTIFIER_TYPES], description: 'USCC (统一社会信用代码) for organisations, RESIDENT_ID (公民身份号码) for natural persons.' },
  id: nonEmpty('The identifier in canonical form (upper case, trimmed).'),
  name: nonEmpty(),
};

/** A listed subject: in full, or without identifier and name (WITHHELD). */
export const RECORD_SUBJECT = closed<RecordSubject>()(['kind', 'idType'], subjectProperties, `The listed subject. id and name: ${WITHHELD}`);

const legalBasis = closed<RecordedLegalBasis>()(
  ['instrument', 'article'],
  {
    instrument: closed<RecordedLegalBasis['instrument']>()(
      ['id', 'title', 'documentNumber', 'level', 'version'],
      {
        id: { type: 'string', pattern: CODE, description: 'Id of the instrument in the published catalogue (rules/instruments.json).' },
        title: nonEmpty('Official Chinese title, e.g. 《中华人民共和国政府采购法》.'),
        documentNumber: { type: ['string', 'null'], minLength: 1, description: 'Document number (文号), e.g. 国发〔2016〕33号; null for a law, which is cited by its title.' },
        level: { type: 'string', enum: [...INSTRUMENT_LEVELS], description: 'law = 法律, administrative-regulation = 行政法规, judicial-interpretation = 司法解释, departmental-rule = 部门规章, central-normative-document / local-normative-document = 中央 / 地方规范性文件.' },
        version: nonEmpty('The version relied on, e.g. 2014年修正.'),
      },
      'The catalogued instrument, in the version in force on the day of the decision.',
    ),
    article: nonEmpty('Article (条) or clause relied on.'),
  },
  'A citation in force on the day of the decision: an instrument repealed by then is left out, and a measure left with none is not decided.',
);

const listEntry = closed<IssuedListEntry>()(
  ['id', 'list', 'subject', 'reason', 'documentNumber', 'identifyingDepartment', 'validFrom', 'validTo', 'conductEndedOn', 'lastUsableOn', 'disputed'],
  {
    id: uuid('List entry id; the same event and memorandum always give the same id.'),
    list: closed<IssuedListEntry['list']>()(['code', 'type'], { code: { type: 'string', pattern: CODE }, type: LIST_TYPE }),
    subject: RECORD_SUBJECT,
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

const measure = closed<IssuedMeasure>()(
  ['taskId', 'code', 'category', 'text', 'yourRole', 'implementingDepartment', 'cooperatingDepartments', 'target', 'legalBasis', 'validFrom', 'validTo', 'explanation'],
  {
    taskId: uuid('Measure task id; the same event, memorandum, measure and target always give the same id.'),
    code: { type: 'string', pattern: MEASURE_CODE, description: 'Memorandum prefix and measure number, e.g. JD-03.' },
    category: MEASURE_CATEGORY,
    text: bilingualText('The measure as the memorandum words it.'),
    implementingDepartment: department('Department that must apply the measure (实施部门).'),
    cooperatingDepartments: { type: 'array', items: department('A cooperating department.') },
    yourRole: { type: 'string', enum: ['implementing', 'cooperating'], description: 'How the receiving department takes part: it applies the measure (实施) or cooperates (配合).' },
    target: closed<IssuedMeasure['target']>()(['role', 'kind', 'idType', 'id', 'name'], { role: TARGET_ROLE, ...subjectProperties }, 'Who the measure applies to: the subject or a related natural person named in the event.'),
    legalBasis: { type: 'array', minItems: 1, items: legalBasis },
    validFrom: calendarDate('First day the measure applies.'),
    validTo: calendarDate(VALID_TO),
    explanation: closed<IssuedMeasure['explanation']>()(
      ['rule', 'facts'],
      {
        rule: closed<IssuedMeasure['explanation']['rule']>()(['name'], { name: { type: 'string', pattern: CODE } }),
        facts: { type: 'object', description: 'The facts of the cause event the rule matched on.' },
      },
      'Why the measure applies, with the record\'s memorandum (id, version) and ruleSetRevision: enough to answer an objection or an auditor.',
    ),
  },
  'A measure (措施) of the memorandum that the receiving department implements or cooperates in, for one target person.',
);

/** Other signatories' measures, the same in every record family. */
export const OTHER_MEASURES = {
  type: 'array',
  description: "The other signatories' measures (or, on a change, their affected tasks), one line per measure code: what kind, who applies it, in which roles and to how many targets, never who they are.",
  items: closed<OtherMeasures>()(['code', 'category', 'implementingDepartment', 'targetRoles', 'targets'], {
    code: { type: 'string', pattern: MEASURE_CODE },
    category: MEASURE_CATEGORY,
    implementingDepartment: department('The signatory that applies it.'),
    targetRoles: { type: 'array', minItems: 1, uniqueItems: true, items: TARGET_ROLE, description: 'In which roles its targets are named.' },
    targets: { type: 'integer', minimum: 1, description: 'How many targets (the subject and related persons) it applies to.' },
  }),
} satisfies JsonSchema;

export const DECISION_RECORD_SCHEMA = closed<DecisionIssuedRecord>()(
  ['schemaVersion', 'recordId', 'kind', 'department', 'decisionId', 'issuedAt', 'memorandum', 'ruleSetRevision', 'causeEvent', 'listEntries', 'measures', 'otherMeasures'],
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
        documentNumber: nonEmpty(),
        title: bilingualText('Title of the memorandum.'),
      },
      'kind, documentNumber and title are absent only if the memorandum left the rule set between decision and publication.',
    ),
    ruleSetRevision: nonEmpty('Revision of the rule set that decided.'),
    causeEvent: closed<DecisionIssuedRecord['causeEvent']>()(['id', 'source'], { id: nonEmpty('CloudEvents id of the credit event.'), source: { type: 'string', pattern: '^/departments/[a-z0-9]+(-[a-z0-9]+)*$' } }, 'The credit event that caused the decision.'),
    listEntries: { type: 'array', maxItems: 1, items: listEntry },
    measures: { type: 'array', items: measure, description: 'What the receiving department must act on; empty for a department that only identified the subject.' },
    otherMeasures: OTHER_MEASURES,
  },
  "A decision (joint reward or punishment) addressed to one department — one that identified it or implements or cooperates in one of its measures: the listing, this department's measures in full and the other signatories' as counts.",
);
