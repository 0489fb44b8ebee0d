/** JSON Schema building blocks shared by the record schemas (decision, lifecycle, refusal). */

/** Codes of departments, memoranda and lists: lower-case words joined by hyphens. */
export const CODE = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** Measure codes: memorandum prefix and number, e.g. JD-03. */
export const MEASURE_CODE = '^[A-Z][A-Z0-9]*-\\d{2}$';

/** The one validity rule, as policy documents write it (有效期至 D). */
export const VALID_TO = 'Last day in force, inclusive: a record with validTo 2028-11-18 applies on 2028-11-18 and not on 2028-11-19 (China calendar dates). There are no lifetime entries.';
export const LAST_USABLE_ON =
  'Last day the conduct\'s information may be a basis of sanctions (five years, or the memorandum\'s shorter limit, from the end of the conduct); validTo never runs past it. Null where no limit applies.';

export const uuid = (description: string) => ({ type: 'string', format: 'uuid', description });
export const department = (description: string) => ({ type: 'string', pattern: CODE, description });
export const calendarDate = (description: string) => ({ type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
export const nonEmpty = (description?: string) => ({ type: 'string', minLength: 1, ...(description ? { description } : {}) });

/** An object with exactly these properties: a field added to or dropped from a record fails validation. */
export const closed = (required: string[], properties: Record<string, unknown>, description?: string) => ({
  type: 'object',
  ...(description ? { description } : {}),
  additionalProperties: false,
  required,
  properties,
});
