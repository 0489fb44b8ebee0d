import { CoordinationClosedRecord, CoordinationOpenedRecord } from '../coordination.record';
import { COORDINATION_CLOSED_KIND, COORDINATION_OPENED_KIND, COORDINATION_RECORD_SCHEMA_VERSION } from '../record-kinds';
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

/** The minutes and joint documents of a closed case. */
export const COORDINATION_MINUTES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['heldOn', 'attendees', 'summary', 'jointDocuments'],
  properties: {
    heldOn: calendarDate('The day the coordination meeting was held.'),
    attendees: { type: 'array', minItems: 1, items: { type: 'string', pattern: CODE }, description: 'The departments that attended.' },
    summary: { ...nonEmpty(), maxLength: 10000, description: 'What the meeting agreed (会议纪要).' },
    jointDocuments: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['documentNumber', 'title', 'issuedBy'],
        properties: { documentNumber: { ...nonEmpty(), maxLength: 64 }, title: { ...nonEmpty(), maxLength: 200 }, issuedBy: { type: 'array', minItems: 1, items: { type: 'string', pattern: CODE } } },
      },
      description: 'Joint documents (联合发文) the departments issued for the case, with their document numbers.',
    },
  },
} as const;

/** JSON Schema of coordination.closed records (CoordinationClosedRecord). */
export const COORDINATION_CLOSED_RECORD_SCHEMA = closed<CoordinationClosedRecord>()(
  ['schemaVersion', 'recordId', 'kind', 'department', 'caseId', 'criterion', 'minutes', 'closedBy', 'closedAt', 'links', 'causeKey'],
  {
    schemaVersion: { type: 'integer', const: COORDINATION_RECORD_SCHEMA_VERSION },
    recordId: uuid('Id of this record (also ce_id).'),
    kind: { type: 'string', const: COORDINATION_CLOSED_KIND },
    department: department('The department told: one the case concerns.'),
    caseId: uuid('Id of the coordination case.'),
    criterion: { type: 'string', pattern: CODE },
    minutes: COORDINATION_MINUTES_SCHEMA,
    closedBy: department('The credit office that recorded the minutes.'),
    closedAt: { type: 'string', format: 'date-time' },
    links: { type: 'object', additionalProperties: false, required: ['case'], properties: { case: nonEmpty() } },
    causeKey: { type: 'string' },
  },
  'A coordination case that concerns the receiving department was closed by its meeting\'s minutes, with the joint documents issued for it.',
);
