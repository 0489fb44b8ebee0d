import { DomainError, RequestError } from '@app/domain';

/**
 * The page size a client asked for, or the endpoint's `fallback` when it asked for none:
 * refused unless an integer from 1 to `max`, as REQUEST.BAD_LIMIT unless the endpoint
 * `refuse`s with a code of its own family.
 */
export function pageLimit(limit: number | undefined, bounds: { fallback: number; max: number }, refuse: (message: string) => DomainError = (message) => new RequestError('REQUEST.BAD_LIMIT', message)): number {
  const size = limit ?? bounds.fallback;
  if (!Number.isInteger(size) || size < 1 || size > bounds.max) throw refuse(`limit must be an integer from 1 to ${bounds.max}`);
  return size;
}

/** A row's sequence number as text: at most 18 digits, so it always fits the bigint it is compared with. */
const SEQUENCE = /^\d{1,18}$/;

/**
 * The cursor of a log read in sequence order (feed, query log, dead letters): the last row's
 * sequence number, '0' before the first page. Anything else is refused before it reaches SQL.
 */
export function sequenceCursor(after: string | undefined): string {
  const cursor = after ?? '0';
  if (!SEQUENCE.test(cursor)) throw new RequestError('REQUEST.BAD_CURSOR', 'after must be a cursor returned by a previous read (a non-negative integer)');
  return cursor;
}
