import { isCalendarDate } from '@app/domain';

// YYYY-MM-DD[ T]HH:MM:SS[.ffffff][Z|±HH[:MM]], as PostgreSQL writes a timestamptz as text.
const INSTANT = /^(\d{4}-\d{2}-\d{2})[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](0\d|1[0-5])(:?[0-5]\d)?)$/;

/**
 * A page cursor carries the instant of the last row, and the query casts it to timestamptz: a
 * cursor a client altered must be refused here (400), never reach the cast (which would answer 500).
 */
export function isCursorInstant(text: string): boolean {
  const match = INSTANT.exec(text);
  return match !== null && isCalendarDate(match[1]);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
