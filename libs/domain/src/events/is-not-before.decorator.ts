import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { isCalendarDate } from './is-calendar-date.decorator';

/** The check of @IsNotBefore on `value`, a property of `holder` (also the compiled validator's). */
export function isNotBefore(value: unknown, holder: Record<string, unknown>, properties: readonly string[]): boolean {
  const start = properties.map((p) => holder[p]).find((v) => v !== undefined);
  return value === undefined || !isCalendarDate(value) || !isCalendarDate(start) || value >= start;
}

/**
 * A calendar date not before the first present of `properties` (e.g. validTo not before validFrom,
 * else decidedOn): an entry cannot end before it begins. Absent values pass (other rules require them).
 */
export function IsNotBefore(properties: readonly string[], options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName,
      options: { message: `$property must not be before ${properties.join(' (or, when absent, ')}${properties.length > 1 ? ')' : ''}`, ...options },
      constraints: [properties],
      validator: {
        validate: (value: unknown, args: ValidationArguments) => isNotBefore(value, args.object as Record<string, unknown>, properties),
      },
    });
}
