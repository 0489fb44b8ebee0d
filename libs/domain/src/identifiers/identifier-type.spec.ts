import { InvalidIdentifierError } from '../domain.errors';
import { validateIdentifier } from './identifier-type';
import { IDENTIFIER_TYPES, isIdentifierType, type IdentifierType } from './identifier-types';

describe('validateIdentifier', () => {
  it('dispatches on the identifier type', () => {
    expect(IDENTIFIER_TYPES).toEqual(['USCC', 'RESIDENT_ID']);
    expect(validateIdentifier('USCC', '91440101ma5cjq4n59')).toEqual({
      idType: 'USCC',
      value: '91440101MA5CJQ4N59',
      checkDigitOverridden: false,
    });
    expect(validateIdentifier('RESIDENT_ID', '11010519491231002x')).toEqual({
      idType: 'RESIDENT_ID',
      value: '11010519491231002X',
      checkDigitOverridden: false,
    });
  });

  it('does not accept one type for the other', () => {
    expect(() => validateIdentifier('RESIDENT_ID', '91350200776049653A')).toThrow(InvalidIdentifierError);
    expect(() => validateIdentifier('USCC', '510802199003071232')).toThrow(InvalidIdentifierError);
  });

  it('passes options through', () => {
    expect(validateIdentifier('USCC', '91350200776049653B', { allowBadCheckDigit: true }).checkDigitOverridden).toBe(true);
    expect(() => validateIdentifier('RESIDENT_ID', '510802199003071232', { today: new Date('1980-01-01') })).toThrow(
      expect.objectContaining({ code: 'SUBJECT.BAD_BIRTH_DATE' }),
    );
  });

  it('rejects unknown identifier types at run time', () => {
    expect(isIdentifierType('PASSPORT')).toBe(false);
    expect(() => validateIdentifier('PASSPORT' as IdentifierType, 'X')).toThrow(
      expect.objectContaining({ code: 'SUBJECT.UNKNOWN_ID_TYPE' }),
    );
  });
});
