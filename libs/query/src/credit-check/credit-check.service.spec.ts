import { DomainError, InvalidIdentifierError } from '@app/domain';
import { parseSubjectIdentifier } from './credit-check.service';

const today = new Date('2026-11-27T00:00:00Z');

describe('parseSubjectIdentifier', () => {
  it('detects a USCC and a resident ID, normalised', () => {
    expect(parseSubjectIdentifier('91510802ma62xk0u3u', undefined, today)).toMatchObject({ idType: 'USCC', value: '91510802MA62XK0U3U' });
    expect(parseSubjectIdentifier('11010519491231002x', undefined, today)).toMatchObject({ idType: 'RESIDENT_ID', value: '11010519491231002X' });
    expect(parseSubjectIdentifier('510802199003071232', undefined, today)).toMatchObject({ idType: 'RESIDENT_ID' });
  });

  it('detects an all-digit USCC that is no valid resident ID', () => {
    expect(parseSubjectIdentifier('123502001549897397', undefined, today)).toMatchObject({ idType: 'USCC' });
  });

  it('reports an invalid identifier with the SUBJECT code of the type it resembles, masked', () => {
    const person = catchError(() => parseSubjectIdentifier('510802199003071233', undefined, today));
    expect(person).toBeInstanceOf(InvalidIdentifierError);
    expect(person.code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(person.message).not.toContain('510802199003071233');
    expect(catchError(() => parseSubjectIdentifier('91510802MA62XK0U3A', undefined, today)).code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(catchError(() => parseSubjectIdentifier('abc', undefined, today)).code).toBe('SUBJECT.BAD_LENGTH');
  });

  it('takes an explicit idType, and refuses an unknown one', () => {
    expect(parseSubjectIdentifier('123502001549897397', 'USCC', today)).toMatchObject({ idType: 'USCC' });
    expect(catchError(() => parseSubjectIdentifier('123502001549897397', 'PASSPORT', today)).code).toBe('SUBJECT.UNKNOWN_ID_TYPE');
    expect(catchError(() => parseSubjectIdentifier('510802199003071232', 'USCC', today)).code).toMatch(/^SUBJECT\./);
  });
});

function catchError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
}

describe('parseSubjectIdentifier with digit-only identifiers', () => {
  it('does not take a mistyped resident ID for a USCC even when the USCC check passes', () => {
    // 115102199003071040 is a valid USCC, and a resident ID (division 11, born 1990-03-07) with a wrong check character.
    expect(parseSubjectIdentifier('115102199003071040', 'USCC', today)).toMatchObject({ idType: 'USCC' });
    const error = catchError(() => parseSubjectIdentifier('115102199003071040', undefined, today));
    expect(error.code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(error.message).toContain('idType=USCC');
    expect(error.message).not.toContain('115102199003071040');
  });
});
