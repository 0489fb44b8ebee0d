import { describeFailure, DomainError, InvalidIdentifierError, isDomainError, toDomainErrorPayload } from './domain.errors';

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
    class Example extends DomainError {}
    expect(toDomainErrorPayload(new Example('X.Y', 'm'))).toEqual({ code: 'X.Y', message: 'm', context: {} });
  });
});

describe('describeFailure', () => {
  it('names an error by class and SQLSTATE or Kafka type, never by its message', () => {
    const pg = Object.assign(new Error('invalid input syntax for type uuid: "510802199003071232 王建国"'), { code: '22P02' });
    expect(describeFailure(pg)).toBe('Error (SQLSTATE 22P02)');
    const kafka = Object.assign(new Error('This server is not the leader'), { name: 'KafkaJSProtocolError', type: 'NOT_LEADER_FOR_PARTITION' });
    expect(describeFailure(kafka)).toBe('KafkaJSProtocolError (NOT_LEADER_FOR_PARTITION)');
    expect(describeFailure('a string')).toBe('Error');
  });
});
