import { END_REASONS, RECORD_STATES } from '../lifecycle-state';
import type { LifecycleListEntry, LifecycleMeasure, LifecycleRecord } from '../lifecycle.record';
import { LIFECYCLE_KINDS, LIFECYCLE_RECORD_SCHEMA_VERSION } from '../record-kinds';
import { LIST_TYPE, OTHER_MEASURES, RECORD_SUBJECT, TARGET_ROLE } from './decision-issued.schema';
import { calendarDate, closed, CODE, department, MEASURE_CODE, uuid, VALID_TO } from './schema-parts';

/** JSON Schema of the records that follow a decision on a department's topic and feed (LifecycleRecord), closed like the decision record's. */

const state = { type: 'string', enum: [...RECORD_STATES], description: 'active, or how it ended.' };
const endReason = { type: ['string', 'null'], enum: [...END_REASONS, null], description: 'Why it ended; null while active.' };

export const LIFECYCLE_RECORD_SCHEMA = closed<LifecycleRecord>()(
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
      items: closed<LifecycleListEntry>()(['id', 'list', 'subject', 'state', 'endReason', 'disputed', 'validFrom', 'validTo'], {
        id: uuid('List entry id, as issued.'),
        list: closed<LifecycleListEntry['list']>()(['code', 'type'], { code: { type: 'string', pattern: CODE }, type: LIST_TYPE }),
        subject: RECORD_SUBJECT,
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
      items: closed<LifecycleMeasure>()(['taskId', 'code', 'yourRole', 'implementingDepartment', 'target', 'state', 'endReason', 'disputed'], {
        taskId: uuid('Measure task id, as issued.'),
        code: { type: 'string', pattern: MEASURE_CODE },
        yourRole: { type: 'string', enum: ['implementing', 'cooperating'] },
        implementingDepartment: department('Department that applies the measure.'),
        target: closed<LifecycleMeasure['target']>()(['role', 'id', 'name'], { role: TARGET_ROLE, id: { type: 'string' }, name: { type: 'string' } }),
        state,
        endReason,
        disputed: { type: 'boolean' },
      }),
    },
    otherMeasures: OTHER_MEASURES,
  },
  'A change to an issued decision (expiry, removal, repair, objection, escalation, supersession), sent to every department the decision was addressed to.',
);
