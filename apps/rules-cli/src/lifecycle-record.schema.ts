import { IDENTIFIER_TYPES, RELATED_PERSON_ROLES, SUBJECT_KINDS } from '@app/domain';
import { LIFECYCLE_KINDS, LIFECYCLE_RECORD_SCHEMA_VERSION, OUTCOME_CODES, REFUSAL_KINDS, REFUSAL_RECORD_SCHEMA_VERSION } from '@app/engine';
import { END_REASONS, RECORD_STATES } from '@app/persistence';
import { calendarDate, closed, CODE, department, MEASURE_CODE, uuid, VALID_TO } from './record-schema-parts';

/**
 * JSON Schemas of the records that follow a decision on a department's topic and feed:
 * lifecycle changes (`lifecycleRecords`) and refusals (`refusalRecord`), both in
 * libs/engine/src/lifecycle/lifecycle-records.ts. Closed objects, like the decision record's:
 * asyncapi.spec.ts validates records the engine builds against them.
 */

const state = { type: 'string', enum: [...RECORD_STATES], description: 'active, or how it ended.' };
const endReason = { type: ['string', 'null'], enum: [...END_REASONS, null], description: 'Why it ended; null while active.' };

export const LIFECYCLE_RECORD_SCHEMA = closed(
  ['schemaVersion', 'recordId', 'kind', 'department', 'decisionId', 'reason', 'occurredAt', 'listEntries', 'measures', 'otherMeasures'],
  {
    schemaVersion: { type: 'integer', const: LIFECYCLE_RECORD_SCHEMA_VERSION },
    recordId: uuid('Id of this record (also ce_id): one per change, decision and receiving department.'),
    kind: { type: 'string', enum: [...LIFECYCLE_KINDS], description: 'revoked: the entry and its measures end; disputed: an objection (异议) is pending; confirmed: an objection was rejected.' },
    department: department('The receiving department.'),
    decisionId: uuid('The decision this changes (see its decision.issued record).'),
    reason: { type: 'string', enum: [...END_REASONS, 'objection-filed', 'objection-confirmed'], description: 'limitation-reached: the conduct reached its five-year (or the memorandum\'s shorter) limit; the others as their names say.' },
    occurredAt: { type: 'string', format: 'date-time' },
    listEntries: {
      type: 'array',
      items: closed(['id', 'list', 'subject', 'state', 'endReason', 'disputed', 'validFrom', 'validTo'], {
        id: uuid('List entry id, as issued.'),
        list: closed(['code', 'type'], { code: { type: 'string', pattern: CODE }, type: { type: 'string', enum: ['black', 'red', 'key-attention'] } }),
        subject: closed(['kind', 'idType', 'id', 'name'], { kind: { type: 'string', enum: [...SUBJECT_KINDS] }, idType: { type: 'string', enum: [...IDENTIFIER_TYPES] }, id: { type: 'string' }, name: { type: 'string' } }),
        state,
        endReason,
        disputed: { type: 'boolean' },
        validFrom: calendarDate('First day in force.'),
        validTo: calendarDate(VALID_TO),
      }),
    },
    measures: {
      type: 'array',
      description: "The receiving department's tasks this change affects, by id: what it must stop applying or flag.",
      items: closed(['taskId', 'code', 'yourRole', 'implementingDepartment', 'target', 'state', 'endReason', 'disputed'], {
        taskId: uuid('Measure task id, as issued.'),
        code: { type: 'string', pattern: MEASURE_CODE },
        yourRole: { type: 'string', enum: ['implementing', 'cooperating'] },
        implementingDepartment: department('Department that applies the measure.'),
        target: closed(['role', 'id', 'name'], { role: { type: 'string', enum: ['subject', ...RELATED_PERSON_ROLES] }, id: { type: 'string' }, name: { type: 'string' } }),
        state,
        endReason,
        disputed: { type: 'boolean' },
      }),
    },
    otherMeasures: {
      type: 'array',
      description: "Other signatories' affected tasks, one line per measure code.",
      items: closed(['code', 'implementingDepartment', 'targets'], {
        code: { type: 'string', pattern: MEASURE_CODE },
        implementingDepartment: department('The signatory that applies it.'),
        targets: { type: 'integer', minimum: 1 },
      }),
    },
  },
  'A change to an issued decision (expiry, removal, repair, objection, escalation, supersession), sent to every department the decision was addressed to.',
);

export const REFUSAL_RECORD_SCHEMA = closed(
  ['schemaVersion', 'recordId', 'kind', 'department', 'subjectId', 'code', 'reason', 'occurredAt', 'causeKey'],
  {
    schemaVersion: { type: 'integer', const: REFUSAL_RECORD_SCHEMA_VERSION },
    recordId: uuid('Id of this record (also ce_id).'),
    kind: {
      type: 'string',
      enum: [...REFUSAL_KINDS],
      description:
        'repair.refused: credit repair not allowed or too early; removal.refused: the decision named belongs to another department; grant.refused: no red-list entry while the subject is blacklisted; ' +
        'sanction.refused: the conduct is past its limitation, so a memorandum imposes nothing; change.no-effect: a lifecycle event found nothing to change.',
    },
    department: department('The department told: the one that sent the event (and, for sanction.refused, the identifying department).'),
    subjectId: { type: 'string', description: 'The subject concerned.' },
    code: { type: 'string', enum: Object.values(OUTCOME_CODES), description: 'Stable code to switch on; the same as GET /v1/events/{source}/{id} reports.' },
    reason: { type: 'string', description: 'Why, in words a clerk can act on (the rule and the dates).' },
    occurredAt: { type: 'string', format: 'date-time' },
    causeKey: { type: 'string', description: 'The credit event (source/id) that asked for it.' },
    list: { type: 'string', pattern: CODE, description: 'The list concerned.' },
    entries: { type: 'array', items: uuid('A list entry concerned.') },
    tasks: { type: 'array', items: uuid('A measure task concerned (penalty-based measures).') },
    memorandum: { type: 'string', pattern: CODE, description: 'grant.refused, sanction.refused: the memorandum that refused.' },
    earliestRepairOn: calendarDate('repair.refused with REPAIR.TOO_EARLY: the first day a repair will be approved.'),
    lastUsableOn: calendarDate("sanction.refused: the last day the conduct's information could have been used."),
  },
  'A request the engine refused or that changed nothing, told to the department that made it.',
);
