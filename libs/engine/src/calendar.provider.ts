import { readFileSync } from 'node:fs';
import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import { CalendarError, DomainError, WORKING_DAY_CALENDAR_SCHEMA, WorkingDayCalendar, WorkingDayCalendarDefinition } from '@app/domain';

const validateFile = new Ajv2020({ allErrors: true, strict: false }).compile(WORKING_DAY_CALENDAR_SCHEMA);

/**
 * Read and validate a working-day calendar file: JSON, the schema, then the calendar's own
 * checks (consecutive years, dates inside their year, provisional marks). Every problem is
 * named after CALENDAR_FILE: due dates counted on a wrong calendar would be silently wrong.
 */
export function loadWorkingDayCalendar(file: string): WorkingDayCalendar {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CalendarError('CALENDAR.INVALID', `CALENDAR_FILE=${file}: cannot read the working-day calendar: ${(error as Error).message}`, { file });
  }
  if (!validateFile(parsed)) {
    // A failed oneOf also reports each branch's failure; its own message says it better.
    const problems = (validateFile.errors ?? []).filter((e) => !e.schemaPath.includes('/oneOf/')).map(formatSchemaError);
    throw new CalendarError('CALENDAR.INVALID', `CALENDAR_FILE=${file}: ${problems.join('; ')}`, { file, problems });
  }
  try {
    return new WorkingDayCalendar(parsed as WorkingDayCalendarDefinition);
  } catch (error) {
    if (error instanceof DomainError) error.message = `CALENDAR_FILE=${file}: ${error.message}`;
    throw error;
  }
}

function formatSchemaError(error: ErrorObject): string {
  // Array positions as [n]; year keys stay keys ($.years.2027.holidays[3]).
  const segments = error.instancePath.split('/').slice(1);
  const path = `$${segments.map((s, i) => (/^\d+$/.test(s) && segments[i - 1] !== 'years' ? `[${s}]` : `.${s}`)).join('')}`;
  if (error.keyword === 'additionalProperties') return `${path}: unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === 'oneOf') return `${path}: a year has either its notice or provisional ranges, not both and not neither`;
  return `${path}: ${error.message}`;
}
