/** JSON Schema building blocks shared by the record schemas (decision, lifecycle, refusal). */

export type JsonSchema = { readonly [keyword: string]: unknown };

/** The keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Compiles only when `R` lists every required key of T (the error names the missing ones). */
type AllRequired<T, R extends readonly unknown[]> = [Exclude<RequiredKeys<T>, R[number]>] extends [never] ? unknown : { missingRequired: Exclude<RequiredKeys<T>, R[number]> };

/**
 * An object schema with exactly the properties of the TypeScript type T: `properties` must name
 * every key of T and no other, `required` exactly T's required keys, so a field added to the type
 * and not to its schema fails the typecheck. additionalProperties: false makes the same hold at
 * run time for the records themselves (the schema specs validate real records).
 */
export function closed<T>() {
  return <const R extends readonly RequiredKeys<T>[]>(required: R & AllRequired<T, R>, properties: { readonly [K in keyof T]-?: JsonSchema }, description?: string): JsonSchema => ({
    type: 'object',
    ...(description ? { description } : {}),
    additionalProperties: false,
    required: [...required],
    properties,
  });
}

/** Codes of departments, memoranda and lists: lower-case words joined by hyphens. */
export const CODE = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** Measure codes: memorandum prefix and number, e.g. JD-03. */
export const MEASURE_CODE = '^[A-Z][A-Z0-9]*-\\d{2}$';

/** The one validity rule, as policy documents write it (有效期至 D). */
export const VALID_TO = 'Last day in force, inclusive: a record with validTo 2028-11-18 applies on 2028-11-18 and not on 2028-11-19 (China calendar dates). There are no lifetime entries.';
export const LAST_USABLE_ON =
  'Last day the conduct\'s information may be a basis of sanctions (five years, or the memorandum\'s shorter limit, from the end of the conduct); validTo never runs past it. Null where no limit applies.';
export const WITHHELD =
  'Absent when the subject is a natural person (RESIDENT_ID) on whom the receiving department acts in no measure of this decision and whose listing it did not publish: its resident ID and name are not the department\'s to know (PIPL 最小必要).';

export const uuid = (description: string): JsonSchema => ({ type: 'string', format: 'uuid', description });
export const department = (description: string): JsonSchema => ({ type: 'string', pattern: CODE, description });
export const calendarDate = (description: string): JsonSchema => ({ type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
export const nonEmpty = (description?: string): JsonSchema => ({ type: 'string', minLength: 1, ...(description ? { description } : {}) });
