import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** The name @ExactlyOneOf registers: schema derivations find the constraint by it. */
export const EXACTLY_ONE_OF = 'exactlyOneOf';

/** The check of @ExactlyOneOf (also the compiled validator's): null counts as absent. */
export function hasExactlyOneOf(holder: Record<string, unknown>, properties: readonly string[]): boolean {
  return properties.filter((p) => holder[p] !== undefined && holder[p] !== null).length === 1;
}

/**
 * Exactly one of `properties` must be present on the object. Put it on the first of them: the
 * violation is reported on that property's path, naming all of them.
 */
export function ExactlyOneOf(properties: readonly string[], options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: EXACTLY_ONE_OF,
      target: target.constructor,
      propertyName,
      options: { message: `exactly one of ${properties.join(', ')} must be given`, ...options },
      constraints: [properties],
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => hasExactlyOneOf(args.object as Record<string, unknown>, properties),
      },
    });
}

/** Like @Matches, but an absent value passes: for a property that must stay validated when absent. */
export function MatchesWhenPresent(pattern: RegExp, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'matchesWhenPresent',
      target: target.constructor,
      propertyName,
      options: { message: `$property must match ${pattern}`, ...options },
      // Kept as a constraint so that schemas derived from the metadata can name the pattern.
      constraints: [pattern],
      validator: { validate: (value: unknown) => value === undefined || (typeof value === 'string' && pattern.test(value)) },
    });
}
