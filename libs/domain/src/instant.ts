/** RFC 3339's date-time with its offset (`Z` or ±hh:mm): an instant anyone reads the same way, whatever the server's time zone. */
const RFC3339_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant a caller's text names, or undefined when it is not an RFC 3339 date-time with its offset (or names no real time). */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !RFC3339_INSTANT.test(value)) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
