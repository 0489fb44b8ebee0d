import Ajv, { ValidateFunction } from 'ajv';
import { isISO8601, isUUID, length, max, min, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { isCreditIdentifier } from '../identifiers/is-credit-identifier.decorator';
import { CloudEventEnvelopeDto } from './cloud-event-envelope.dto';
import { EVENT_DATA_CLASSES } from './event-catalogue';
import { dataschemaFitsType } from './event-schema-url';
import { classSchemas, constraintName, JsonSchema, nestedClasses, SchemaClass, SchemaConverters, validationMetadataOf } from './event-json-schemas';
import { ALL_EVENT_TYPES, EventType } from './event-types';
import { isCalendarDate } from './is-calendar-date.decorator';
import { isNotBefore } from './is-not-before.decorator';
import { isUri } from './is-uri.decorator';
import { EXACTLY_ONE_OF, hasExactlyOneOf } from './lifecycle-target.decorator';

/**
 * The class-validator constraints of the event classes compiled into one ajv validator per
 * event type: it decides, fast, whether an event passes the envelope and payload checks of
 * parseCreditEvent, and nothing else (no error messages: a refused event is judged again by
 * class-validator, which words the refusal).
 */
export type CompiledEventCheck = (event: Record<string, unknown>, type: EventType) => boolean;

const DEFINITIONS = 'credit-events#/definitions/';

type Converter = (meta: ValidationMetadata) => JsonSchema;

/**
 * Every constraint the event classes use, written so that ajv accepts exactly what
 * class-validator accepts: standard keywords where their meaning is the same, otherwise a
 * keyword below calling class-validator's or the domain's own function. A constraint missing
 * here stops the compilation rather than being checked approximately.
 */
const EXACT_CONSTRAINTS: Readonly<Record<string, Converter>> = {
  equals: (meta) => ({ const: primitive(meta, meta.constraints[0]) }),
  isString: () => ({ type: 'string' }),
  // validator.js counts a surrogate pair, and a character with its variation selector, as one character.
  isLength: (meta) => ({ type: 'string', textLength: [meta.constraints[0], meta.constraints[1] ?? null] }),
  matches: (meta) => ({ type: 'string', pattern: flaglessSource(meta, meta.constraints[0], meta.constraints[1]) }),
  matchesWhenPresent: (meta) => ({ type: 'string', pattern: flaglessSource(meta, meta.constraints[0]) }),
  isIso8601: (meta) => ({ type: 'string', iso8601: meta.constraints[0] ?? {} }),
  isIn: (meta) => ({ enum: (meta.constraints[0] as unknown[]).map((value) => primitive(meta, value)) }),
  isObject: () => ({ type: 'object' }),
  isArray: () => ({ type: 'array' }),
  arrayMaxSize: (meta) => ({ type: 'array', maxItems: meta.constraints[0] }),
  // ajv-formats' uuid also takes a urn:uuid: prefix.
  isUuid: (meta) => ({ type: 'string', uuid: meta.constraints[0] ?? 'all' }),
  isNumber: (meta) => {
    const options = (meta.constraints[0] ?? {}) as { allowNaN?: boolean; allowInfinity?: boolean; maxDecimalPlaces?: number };
    // JSON has neither NaN nor Infinity (assertSafeJson refuses them in objects built in process).
    if (options.allowNaN || options.allowInfinity || options.maxDecimalPlaces !== undefined) unsupported(meta, 'only finite numbers of any precision');
    return { type: 'number' };
  },
  isInt: () => ({ type: 'integer' }),
  // class-validator's min and max also refuse non-numbers; JSON Schema's minimum and maximum pass them.
  min: (meta) => ({ atLeast: meta.constraints[0] }),
  max: (meta) => ({ atMost: meta.constraints[0] }),
  isCalendarDate: () => ({ type: 'string', calendarDate: true }),
  isNotBefore: (meta) => ({ notBefore: meta.constraints[0] }),
  isCreditIdentifier: (meta) => ({ type: 'string', creditIdentifier: meta.constraints[0] }),
  isUri: () => ({ type: 'string', rfc3986Uri: true }),
  // Checked on the object (classSchemas puts it there): ajv checks a property's schema only when it is present.
  [EXACTLY_ONE_OF]: () => ({}),
};

/** Validation types that are structure, not constraints: the derivation writes them (nested $ref, optional). */
const STRUCTURE: ReadonlySet<string> = new Set([ValidationTypes.NESTED_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION]);

/** Compile the check once (about a hundred milliseconds); it is pure and may be shared. */
export function compileCreditEventCheck(): CompiledEventCheck {
  const dataClasses = ALL_EVENT_TYPES.map((type) => EVENT_DATA_CLASSES[type] as SchemaClass);
  assertEveryConstraintExact([CloudEventEnvelopeDto, ...dataClasses]);
  const definitions = classSchemas([CloudEventEnvelopeDto, ...dataClasses], {
    refPointerPrefix: DEFINITIONS,
    converters: Object.fromEntries(Object.entries(EXACT_CONSTRAINTS).map(([name, convert]) => [name, (meta: ValidationMetadata) => convert(meta)])) as SchemaConverters,
    open: new Set([CloudEventEnvelopeDto]),
    exactlyOneOf: (fields) => ({ exactlyOneOf: fields }),
    // class-validator skips an @IsOptional property that is null as well as one that is absent.
    optional: (schema) => ({ anyOf: [{ type: 'null' }, schema] }),
  });
  const ajv = new Ajv({ strict: true, allErrors: false, unicodeRegExp: false });
  addClassValidatorKeywords(ajv);
  ajv.addSchema({ $id: 'credit-events', definitions });
  const byType = new Map<EventType, ValidateFunction>(
    ALL_EVENT_TYPES.map((type) => [
      type,
      ajv.compile({
        type: 'object',
        allOf: [{ $ref: `${DEFINITIONS}${CloudEventEnvelopeDto.name}` }],
        // A dataschema naming an engine schema names this type's (checked by parseCreditEvent once the type is known).
        properties: { data: { $ref: `${DEFINITIONS}${EVENT_DATA_CLASSES[type].name}` }, dataschema: { anyOf: [{ type: 'null' }, { type: 'string', dataschemaOf: type }] } },
        required: ['data'],
      }),
    ]),
  );
  return (event, type) => byType.get(type)!(event);
}

function addClassValidatorKeywords(ajv: Ajv): void {
  type Holder = Record<string, unknown>;
  const parentOf = (cxt: { parentData: unknown } | undefined) => (cxt?.parentData ?? {}) as Holder;
  ajv.addKeyword({ keyword: 'textLength', type: 'string', schemaType: 'array', errors: false, validate: ([from, to]: [number, number | null], value: string) => length(value, from, to ?? undefined) });
  ajv.addKeyword({ keyword: 'iso8601', type: 'string', schemaType: 'object', errors: false, validate: (options: object, value: string) => isISO8601(value, options) });
  ajv.addKeyword({ keyword: 'uuid', type: 'string', schemaType: 'string', errors: false, validate: (version: string, value: string) => isUUID(value, version as never) });
  ajv.addKeyword({ keyword: 'atLeast', schemaType: 'number', errors: false, validate: (bound: number, value: unknown) => min(value, bound) });
  ajv.addKeyword({ keyword: 'atMost', schemaType: 'number', errors: false, validate: (bound: number, value: unknown) => max(value, bound) });
  ajv.addKeyword({ keyword: 'calendarDate', type: 'string', schemaType: 'boolean', errors: false, validate: (_: boolean, value: string) => isCalendarDate(value) });
  ajv.addKeyword({ keyword: 'notBefore', schemaType: 'array', errors: false, validate: (fields: string[], value: unknown, _s?: unknown, cxt?: { parentData: unknown }) => isNotBefore(value, parentOf(cxt), fields) });
  ajv.addKeyword({
    keyword: 'creditIdentifier',
    type: 'string',
    schemaType: 'string',
    errors: false,
    validate: (idTypeField: string, value: string, _s?: unknown, cxt?: { parentData: unknown }) => isCreditIdentifier(value, parentOf(cxt)[idTypeField]),
  });
  ajv.addKeyword({ keyword: 'rfc3986Uri', type: 'string', schemaType: 'boolean', errors: false, validate: (_: boolean, value: string) => isUri(value) });
  ajv.addKeyword({ keyword: 'dataschemaOf', type: 'string', schemaType: 'string', errors: false, validate: (type: string, value: string) => dataschemaFitsType(value, type) });
  ajv.addKeyword({ keyword: 'exactlyOneOf', type: 'object', schemaType: 'array', errors: false, validate: (fields: string[], value: Holder) => hasExactlyOneOf(value, fields) });
}

/** Refuse to compile a class (or one it nests) whose constraints the table above does not translate exactly. */
export function assertEveryConstraintExact(roots: readonly SchemaClass[]): void {
  const seen = new Set<SchemaClass>();
  const queue = [...roots];
  for (let cls = queue.shift(); cls; cls = queue.shift()) {
    if (seen.has(cls)) continue;
    seen.add(cls);
    for (const meta of validationMetadataOf(cls)) {
      const name = constraintName(meta);
      if (meta.type !== ValidationTypes.CUSTOM_VALIDATION && !STRUCTURE.has(meta.type)) unsupported(meta, `validation type ${meta.type}`);
      if (meta.type === ValidationTypes.CUSTOM_VALIDATION && !(name in EXACT_CONSTRAINTS)) unsupported(meta, 'a JSON Schema with the same meaning');
      if (meta.each && meta.type !== ValidationTypes.NESTED_VALIDATION) unsupported(meta, '`each` on a constraint other than @ValidateNested');
      if ((meta.groups?.length ?? 0) > 0 || meta.always) unsupported(meta, 'validation groups');
    }
    queue.push(...nestedClasses(cls));
  }
}

function primitive(meta: ValidationMetadata, value: unknown): unknown {
  // class-validator compares with ===; JSON Schema's const and enum compare objects by value.
  if (value !== null && typeof value === 'object') unsupported(meta, 'comparison with a primitive');
  return value;
}

function flaglessSource(meta: ValidationMetadata, pattern: unknown, modifiers?: unknown): string {
  // Without flags a JavaScript RegExp and ajv's pattern (unicodeRegExp: false) are the same expression.
  if (!(pattern instanceof RegExp) || pattern.flags !== '' || modifiers !== undefined) unsupported(meta, 'a RegExp without flags');
  return (pattern as RegExp).source;
}

function unsupported(meta: ValidationMetadata, what: string): never {
  const owner = typeof meta.target === 'function' ? meta.target.name : String(meta.target);
  throw new Error(`${owner}.${meta.propertyName}: constraint ${constraintName(meta)} has no exact compiled form (supported: ${what}); add it to EXACT_CONSTRAINTS`);
}
