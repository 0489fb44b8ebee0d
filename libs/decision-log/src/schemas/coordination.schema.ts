import { CoordinationOpenedRecord } from '../coordination.record';
import { COORDINATION_OPENED_KIND, COORDINATION_RECORD_SCHEMA_VERSION } from '../record-kinds';
import { calendarDate, closed, CODE, department, nonEmpty, uuid } from './schema-parts';

const bilingual = { type: 'object', additionalProperties: false, required: ['zh', 'en'], properties: { zh: nonEmpty(), en: nonEmpty() } };

/** JSON Schema of coordination.opened records (CoordinationOpenedRecord), closed like the others. */
export const COORDINATION_RECORD_SCHEMA = closed<CoordinationOpenedRecord>()(
  ['schemaVersion', 'recordId', 'kind', 'department', 'caseId', 'criterion', 'facts', 'cause', 'decisionIds', 'subjectId', 'subjectKind', 'departments', 'agenda', 'meetingOn', 'dueOn', 'links', 'openedAt', 'causeKey'],
  {
    schemaVersion: { type: 'integer', const: COORDINATION_RECORD_SCHEMA_VERSION },
    recordId: uuid('Id of this record (also ce_id).'),
    kind: { type: 'string', const: COORDINATION_OPENED_KIND },
    department: department('The department told: one the case concerns.'),
    caseId: uuid('Id of the coordination case.'),
    criterion: { type: 'object', additionalProperties: false, required: ['id', 'description'], properties: { id: { type: 'string', pattern: CODE }, description: bilingual }, description: 'The criterion of COORDINATION_FILE the event met.' },
    facts: { type: 'object', description: 'The facts the criteria read, as they were (severity, fineAmountYuan, listTypes, blacklistingsIn12Months…).' },
    cause: { type: 'string', description: 'The event behind the case (source/id).' },
    decisionIds: { type: 'array', items: uuid('A decision of the event.') },
    subjectId: { oneOf: [{ type: 'null' }, { type: 'string' }], description: "The organisation's code; null for a natural person (known by the decisions)." },
    subjectKind: { type: 'string' },
    departments: { type: 'array', items: { type: 'string', pattern: CODE }, description: 'Every department the case concerns: the decisions\' addressees, those the criterion invites, and the credit office.' },
    agenda: { type: 'array', items: nonEmpty() },
    meetingOn: calendarDate('The coordination meeting, so many working days after the case opened.'),
    dueOn: calendarDate('What the meeting decides is due by this day (working days).'),
    links: { type: 'object', additionalProperties: false, required: ['case', 'acknowledgement'], properties: { case: nonEmpty(), acknowledgement: nonEmpty() } },
    openedAt: { type: 'string', format: 'date-time' },
    causeKey: { type: 'string' },
  },
  'A major dishonesty event opened a coordination case (召开工作协调会) that concerns the receiving department.',
);
