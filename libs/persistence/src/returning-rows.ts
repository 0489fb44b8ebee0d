/**
 * TypeORM's PostgreSQL driver answers UPDATE and DELETE with `[rows, rowCount]` rather than
 * the rows; INSERT and SELECT answer with the rows. This gives the rows in both cases.
 */
export function returningRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
