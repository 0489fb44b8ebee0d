import { DomainError, InvalidIdentifierError, isDomainError, toDomainErrorPayload } from './domain.errors';

describe('DomainError', () => {
  it('keeps code, message and context, and is recognisable through subclasses', () => {
    const error = new InvalidIdentifierError('SUBJECT.BAD_LENGTH', 'too short', { actual: 3 });
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidIdentifierError');
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(toDomainErrorPayload(error)).toEqual({ code: 'SUBJECT.BAD_LENGTH', message: 'too short', context: { actual: 3 } });
  });

  it('defaults context to an empty object', () => {
    expect(toDomainErrorPayload(new DomainError('X.Y', 'm'))).toEqual({ code: 'X.Y', message: 'm', context: {} });
  });
});
