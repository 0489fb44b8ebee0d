import { fullFormats } from 'ajv-formats/dist/formats';
import { registerDecorator, ValidationOptions } from 'class-validator';

// ajv-formats' RFC 3986 check, the one an integrator's ajv applies to `format: "uri"` in the
// published event schemas: the engine and those schemas then accept the same values.
const rfc3986Uri = fullFormats.uri as (value: string) => boolean;

/** An absolute URI (RFC 3986 §3: a scheme, then the rest; a fragment allowed), as CloudEvents' `dataschema` must be. */
export function isUri(value: unknown): value is string {
  return typeof value === 'string' && rfc3986Uri(value);
}

export function IsUri(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isUri',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an absolute URI (RFC 3986), such as https://credit.example/schemas/<type>.json', ...options },
      validator: { validate: isUri },
    });
}
