import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { InvalidIdentifierError } from '../domain.errors';
import { validateIdentifier } from './identifier-type';
import type { IdentifierType } from './identifier-types';

/**
 * Validates a string property as the identifier type named by a sibling
 * property, e.g. `@IsCreditIdentifier('idType') id: string`. Validation is
 * strict (no check-digit override). The value is not normalised here: store
 * `validateIdentifier(...).value`, not the raw property.
 *
 * class-validator copies the rejected value into `ValidationError.value`;
 * configure the pipe with `validationError: { value: false }` so a resident ID
 * is not echoed back.
 */
export function IsCreditIdentifier(idTypeProperty: string, validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCreditIdentifier',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [idTypeProperty],
      options: validationOptions,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => isCreditIdentifier(value, (args.object as Record<string, unknown>)[idTypeProperty]),
        // Recomputed rather than remembered from validate(): the validator instance is shared between objects.
        defaultMessage: (args: ValidationArguments) => {
          const error = explainRejection(args.value, (args.object as Record<string, unknown>)[args.constraints[0] as string]);
          return error ? `${args.property}: ${error.message} [${error.code}]` : `${args.property} is invalid`;
        },
      },
    });
  };
}

/** The check of @IsCreditIdentifier (also the compiled validator's): `value` is a valid identifier of type `idType`. */
export function isCreditIdentifier(value: unknown, idType: unknown): boolean {
  return explainRejection(value, idType) === undefined;
}

function explainRejection(value: unknown, idType: unknown): InvalidIdentifierError | undefined {
  if (typeof value !== 'string') {
    return new InvalidIdentifierError('SUBJECT.BAD_CHARACTER', 'The identifier must be given as text.', {});
  }
  try {
    validateIdentifier(idType as IdentifierType, value);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidIdentifierError) {
      return error;
    }
    throw error;
  }
}
