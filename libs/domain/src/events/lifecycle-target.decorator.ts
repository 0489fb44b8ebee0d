import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * Exactly one of `properties` must be present on the object. Put it on the first of them: the
 * violation is reported on that property's path, naming all of them.
 */
export function ExactlyOneOf(properties: readonly string[], options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'exactlyOneOf',
      target: target.constructor,
      propertyName,
      options: { message: `exactly one of ${properties.join(', ')} must be given`, ...options },
      constraints: [properties],
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => {
          const holder = args.object as Record<string, unknown>;
          return properties.filter((p) => holder[p] !== undefined && holder[p] !== null).length === 1;
        },
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
      validator: { validate: (value: unknown) => value === undefined || (typeof value === 'string' && pattern.test(value)) },
    });
}
