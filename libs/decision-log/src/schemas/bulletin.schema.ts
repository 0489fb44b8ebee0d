import { BulletinIssuedRecord } from '../bulletin.record';
import { BULLETIN_ISSUED_KIND, BULLETIN_RECORD_SCHEMA_VERSION } from '../record-kinds';
import { calendarDate, closed, department, nonEmpty, uuid } from './schema-parts';

const rate = (description: string) => ({ oneOf: [{ type: 'null' }, { type: 'number', minimum: 0, maximum: 1 }], description });
const count = (description: string) => ({ type: 'integer', minimum: 0, description });

/** JSON Schema of bulletin.issued records (BulletinIssuedRecord), closed like the others. */
export const BULLETIN_RECORD_SCHEMA = closed<BulletinIssuedRecord>()(
  ['schemaVersion', 'recordId', 'kind', 'department', 'bulletinId', 'number', 'period', 'links', 'own', 'ranked', 'issuedAt', 'causeKey'],
  {
    schemaVersion: { type: 'integer', const: BULLETIN_RECORD_SCHEMA_VERSION },
    recordId: uuid('Id of this record (also ce_id).'),
    kind: { type: 'string', const: BULLETIN_ISSUED_KIND },
    department: department('The department told: every government department.'),
    bulletinId: uuid('Id of the bulletin.'),
    number: { ...nonEmpty(), description: 'The bulletin number (e.g. 利信通〔2026〕11号), also ce_subject and the message key.' },
    period: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'label', 'from', 'to'],
      properties: {
        kind: { type: 'string', enum: ['month', 'quarter'] },
        label: { type: 'string', pattern: '^\\d{4}-(\\d{2}|Q[1-4])$', description: '2026-11 or 2026-Q4.' },
        from: calendarDate('First China date of the period.'),
        to: calendarDate('Last China date of the period, included.'),
      },
    },
    links: {
      type: 'object',
      additionalProperties: false,
      required: ['json', 'html', 'pdf', 'csv'],
      properties: { json: nonEmpty(), html: nonEmpty(), pdf: nonEmpty(), csv: nonEmpty() },
      description: 'Paths on the query API (a government department reads every bulletin).',
    },
    own: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['rank', 'score', 'events', 'onTimeRate', 'tasks', 'feedbackRate', 'overdue'],
          properties: {
            rank: { oneOf: [{ type: 'null' }, { type: 'integer', minimum: 1 }], description: 'Place in the ranking; null when the department had nothing to assess.' },
            score: rate('The ranking score: the mean of the rates it has (on-time publication, feedback), less a quarter of its share of overdue tasks.'),
            events: count('Events published in the period.'),
            onTimeRate: rate('Share published within the deadline.'),
            tasks: count('Measure tasks received in the period.'),
            feedbackRate: rate('Share of those reported on.'),
            overdue: count('Of those, overdue without feedback.'),
          },
        },
      ],
      description: "The receiving department's line of the bulletin.",
    },
    ranked: count('How many departments were ranked.'),
    issuedAt: { type: 'string', format: 'date-time' },
    causeKey: { type: 'string', description: 'bulletin/<number>.' },
  },
  'A situation bulletin (情况通报) was issued for a month or a quarter; the receiving department\'s own line is in `own`.',
);
