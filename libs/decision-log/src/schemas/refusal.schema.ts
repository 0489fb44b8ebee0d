import { REFUSAL_KINDS, REFUSAL_RECORD_SCHEMA_VERSION } from '../record-kinds';
import { OUTCOME_CODES, RefusalRecord } from '../refusal.record';
import { calendarDate, closed, CODE, department, uuid } from './schema-parts';

/** JSON Schema of refusal and no-effect records (RefusalRecord), closed like the others. */
export const REFUSAL_RECORD_SCHEMA = closed<RefusalRecord>()(
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
