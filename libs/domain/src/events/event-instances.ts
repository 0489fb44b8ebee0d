import { ValidationTypes } from 'class-validator';
import { SchemaClass, transformerMetadata, validationMetadataOf } from './event-json-schemas';

type Instantiable = new () => object;

const NESTED = new Map<Function, ReadonlyMap<string, Instantiable>>();

/**
 * What class-transformer's plainToInstance makes of a payload the compiled check accepted,
 * without its generic walk (a third of the reference path's time): a new instance, then each
 * of the plain object's properties in order, nested classes by their @Type. Exact only for
 * values that passed the check (known properties, objects where a class is nested, no
 * @Expose, @Exclude or @Transform on the classes); the differential test holds it to
 * plainToInstance's result.
 */
export function instanceOfChecked<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  const instance = new cls() as Record<string, unknown>;
  const nested = nestedTypes(cls);
  for (const key of Object.keys(plain)) {
    const value = plain[key];
    const type = nested.get(key);
    if (type === undefined || value === null || value === undefined) instance[key] = value;
    else if (Array.isArray(value)) instance[key] = value.map((item: Record<string, unknown>) => instanceOfChecked(type, item));
    else instance[key] = instanceOfChecked(type, value as Record<string, unknown>);
  }
  return instance as T;
}

function nestedTypes(cls: Function): ReadonlyMap<string, Instantiable> {
  let types = NESTED.get(cls);
  if (!types) {
    types = new Map(
      validationMetadataOf(cls as SchemaClass)
        .filter((meta) => meta.type === ValidationTypes.NESTED_VALIDATION)
        .flatMap((meta) => {
          const type = transformerMetadata.findTypeMetadata(meta.target as Function, meta.propertyName)?.typeFunction() as Instantiable | undefined;
          return type ? [[meta.propertyName, type] as const] : [];
        }),
    );
    NESTED.set(cls, types);
  }
  return types;
}
