import { InvalidIdentifierError } from '../domain.errors';
import {
  computeResidentIdentityCheckCharacter,
  parseResidentIdentityNumber,
  validateResidentIdentityNumber,
} from './resident-identity-number';

const TODAY = new Date('2024-06-01T12:00:00Z');
const VALID = ['11010519491231002X', '510802199003071232'];

function rejection(fn: () => unknown): InvalidIdentifierError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidIdentifierError) return error;
    throw error;
  }
  throw new Error('expected an InvalidIdentifierError');
}

/** Builds a number with a correct check character so only the part under test is wrong. */
function withCheck(first17: string): string {
  return first17 + computeResidentIdentityCheckCharacter(first17);
}

describe('resident identity number', () => {
  it.each(VALID)('accepts %s', (id) => {
    expect(validateResidentIdentityNumber(id, { today: TODAY })).toBe(id);
  });

  it('parses division, birth date and sex', () => {
    expect(parseResidentIdentityNumber('11010519491231002X', { today: TODAY })).toEqual({
      value: '11010519491231002X',
      divisionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    expect(parseResidentIdentityNumber('510802199003071232', { today: TODAY }).sex).toBe('male');
  });

  it('normalises a lower-case x and whitespace', () => {
    expect(validateResidentIdentityNumber(' 11010519491231002x ', { today: TODAY })).toBe('11010519491231002X');
  });

  it.each(['', '51080219900307123', '5108021990030712321', '510802900307123'])('rejects wrong length %j', (id) => {
    expect(rejection(() => validateResidentIdentityNumber(id)).code).toBe('SUBJECT.BAD_LENGTH');
  });

  it.each(['51080219900307123A', '5108021990030712X2', '510802 99003071232'])('rejects bad character in %s', (id) => {
    expect(rejection(() => validateResidentIdentityNumber(id, { today: TODAY })).code).toBe('SUBJECT.BAD_CHARACTER');
  });

  it('rejects an unknown division', () => {
    expect(rejection(() => validateResidentIdentityNumber(withCheck('99080219900307123'))).code).toBe(
      'SUBJECT.BAD_DIVISION',
    );
  });

  it.each([
    ['19900230', 'not-a-calendar-date'],
    ['19901301', 'not-a-calendar-date'],
    ['19900100', 'not-a-calendar-date'],
    ['19000229', 'not-a-calendar-date'],
    ['18991231', 'before-1900'],
    ['20240602', 'in-the-future'],
  ])('rejects birth date %s (%s)', (date, reason) => {
    const error = rejection(() => validateResidentIdentityNumber(withCheck(`510802${date}123`), { today: TODAY }));
    expect(error.code).toBe('SUBJECT.BAD_BIRTH_DATE');
    expect(error.context.reason).toBe(reason);
  });

  it('accepts leap days and a birth today', () => {
    expect(parseResidentIdentityNumber(withCheck('51080220000229123'), { today: TODAY }).birthDate).toBe('2000-02-29');
    expect(parseResidentIdentityNumber(withCheck('51080220240601123'), { today: TODAY }).birthDate).toBe('2024-06-01');
  });

  it('judges "today" by the calendar in China', () => {
    // 2024-06-01 17:00 UTC is already 2 June in Beijing.
    const lateUtc = new Date('2024-06-01T17:00:00Z');
    expect(validateResidentIdentityNumber(withCheck('51080220240602123'), { today: lateUtc })).toHaveLength(18);
  });

  it('rejects a wrong check character', () => {
    expect(rejection(() => validateResidentIdentityNumber('510802199003071233', { today: TODAY })).code).toBe(
      'SUBJECT.BAD_CHECK_DIGIT',
    );
  });

  it('detects every single-digit alteration', () => {
    for (const id of VALID) {
      for (let position = 0; position < 18; position++) {
        for (const replacement of '0123456789X') {
          if (replacement === id[position]) continue;
          const altered = id.slice(0, position) + replacement + id.slice(position + 1);
          if (position < 17 && replacement !== 'X') {
            expect(computeResidentIdentityCheckCharacter(altered.slice(0, 17))).not.toBe(id[17]);
          }
          expect(() => validateResidentIdentityNumber(altered, { today: TODAY })).toThrow(InvalidIdentifierError);
        }
      }
    }
  });

  it('never puts the full number in messages or context', () => {
    const id = '510802199003071233';
    const error = rejection(() => validateResidentIdentityNumber(id, { today: TODAY }));
    expect(error.message).toContain('510802********1233');
    expect(error.message).not.toContain(id);
    expect(JSON.stringify(error.context)).not.toContain(id);
    const dateError = rejection(() => validateResidentIdentityNumber(withCheck('51080219900230123'), { today: TODAY }));
    expect(dateError.message).not.toContain('19900230');
    expect(JSON.stringify(dateError.context)).not.toContain('19900230');
  });
});
