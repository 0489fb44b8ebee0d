/**
 * JSON Schema of the working-day calendar file (CALENDAR_FILE). config/calendar.schema.json
 * is this object written out, for editors; a unit test keeps the two equal. What a schema
 * cannot say (consecutive years, dates inside their year, notice or provisional marks) the
 * WorkingDayCalendar constructor checks.
 */
export const WORKING_DAY_CALENDAR_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://credit-engine.local/schemas/calendar.schema.json',
  title: 'Working-day calendar',
  description:
    'Public holidays and make-up working days (调休) per covered year, from the State Council General Office notices on holiday arrangements. Past the last covered year due dates count weekends only and are marked provisional.',
  type: 'object',
  required: ['weekend', 'years'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    weekend: {
      description: 'Days of the week normally off, 0 = Sunday … 6 = Saturday.',
      type: 'array',
      items: { type: 'integer', minimum: 0, maximum: 6 },
      uniqueItems: true,
    },
    years: {
      description: 'Covered years, consecutive, keyed by the four-digit year.',
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^\\d{4}$' },
      additionalProperties: { $ref: '#/$defs/year' },
    },
  },
  $defs: {
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    year: {
      type: 'object',
      required: ['holidays', 'workdays'],
      additionalProperties: false,
      properties: {
        $comment: { type: 'string' },
        notice: {
          description: 'The notice the days were copied from (title, document number, date). Absent while it is not published; then provisional is required.',
          type: 'string',
          minLength: 1,
        },
        holidays: { description: 'Days off even on a weekday.', type: 'array', items: { $ref: '#/$defs/date' }, uniqueItems: true },
        workdays: { description: 'Make-up working days (调休 上班) worked even on a weekend.', type: 'array', items: { $ref: '#/$defs/date' }, uniqueItems: true },
        provisional: {
          description: 'Days the notice may still change (补假 for statutory days on a weekend, 调休 swaps): due dates on or across them are marked provisional. Remove once the notice is copied in.',
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['from', 'to'],
            additionalProperties: false,
            properties: { from: { $ref: '#/$defs/date' }, to: { $ref: '#/$defs/date' }, note: { type: 'string' } },
          },
        },
      },
      oneOf: [
        { required: ['notice'], not: { required: ['provisional'] } },
        { required: ['provisional'], not: { required: ['notice'] } },
      ],
    },
  },
} as const;
