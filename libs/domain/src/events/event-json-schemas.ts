import 'reflect-metadata';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { EXACTLY_ONE_OF } from './lifecycle-target.decorator';

/**
 * JSON Schemas of the event classes, derived from their class-validator metadata: one
 * derivation for the AsyncAPI document (what the contract says) and for the compiled event
 * validator (what the engine checks), each with its own converters for the constraints.
 */

// class-transformer keeps its @Type metadata here; it exports the storage only from this path.
export const { defaultMetadataStorage: transformerMetadata } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

export type JsonSchema = Record<string, unknown>;
export type SchemaClass = abstract new (...args: never[]) => unknown;
export type SchemaConverters = NonNullable<NonNullable<Parameters<typeof targetConstructorToSchema>[1]>['additionalConverters']>;

export interface ClassSchemaOptions {
  /** Where a nested class's schema is referenced: `${refPointerPrefix}${ClassName}`. */
  refPointerPrefix: string;
  /** Schemas of constraints by their registered name (custom ones, and built-in ones to override). */
  converters: SchemaConverters;
  /**
   * Classes that may carry properties they do not declare (the CloudEvents envelope: its
   * extension attributes). The others are closed, as parseCreditEvent whitelists them.
   */
  open: ReadonlySet<SchemaClass>;
  /** What an object gets whose properties name exactly one of `fields` (a converter sees one property only). */
  exactlyOneOf(fields: readonly string[]): JsonSchema;
  /** How an @IsOptional property is written; default: as converted. */
  optional?(schema: JsonSchema): JsonSchema;
}

/** Schemas of the given classes and of every class they nest (@ValidateNested with @Type), by class name. */
export function classSchemas(roots: readonly SchemaClass[], options: ClassSchemaOptions): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  const queue = [...roots];
  for (let cls = queue.shift(); cls; cls = queue.shift()) {
    if (cls.name in schemas) continue;
    const schema = targetConstructorToSchema(cls, {
      refPointerPrefix: options.refPointerPrefix,
      classTransformerMetadataStorage: transformerMetadata,
      additionalConverters: options.converters,
    }) as JsonSchema;
    if (!schema.properties) throw new Error(`${cls.name} has no class-validator metadata to describe`);
    const metadata = validationMetadataOf(cls);
    if (options.optional) {
      const properties = schema.properties as Record<string, JsonSchema>;
      for (const field of optionalProperties(metadata)) properties[field] = options.optional(properties[field]);
    }
    // The constraint stands on one of its fields, yet that field is required only when the others are absent.
    const exactlyOne = metadata.find((meta) => constraintName(meta) === EXACTLY_ONE_OF);
    if (exactlyOne) {
      const fields = exactlyOne.constraints[0] as string[];
      schema.required = ((schema.required as string[] | undefined) ?? []).filter((field) => !fields.includes(field));
      Object.assign(schema, options.exactlyOneOf(fields));
    }
    schemas[cls.name] = options.open.has(cls) ? schema : { ...schema, additionalProperties: false };
    queue.push(...nestedClasses(cls));
  }
  return schemas;
}

/** Every class-validator constraint on the class and the classes it extends. */
export function validationMetadataOf(cls: SchemaClass): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(cls as Function, '', true, false);
}

/** The name a constraint is registered under (`isLength`, `isCalendarDate`), or its validation type (`nestedValidation`). */
export function constraintName(meta: ValidationMetadata): string {
  if (meta.type !== ValidationTypes.CUSTOM_VALIDATION || !meta.constraintCls) return meta.type;
  return getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls)[0]?.name ?? meta.type;
}

/** Properties marked @IsOptional: class-validator skips every other constraint on them when null or absent. */
export function optionalProperties(metadata: readonly ValidationMetadata[]): Set<string> {
  return new Set(metadata.filter((meta) => meta.type === ValidationTypes.CONDITIONAL_VALIDATION).map((meta) => meta.propertyName));
}

/** The classes a class nests, by the @Type of its @ValidateNested properties. */
export function nestedClasses(cls: SchemaClass): SchemaClass[] {
  return validationMetadataOf(cls)
    .filter((meta) => meta.type === ValidationTypes.NESTED_VALIDATION)
    .map((meta) => transformerMetadata.findTypeMetadata(meta.target as Function, meta.propertyName)?.typeFunction())
    .filter((child): child is SchemaClass => typeof child === 'function');
}
