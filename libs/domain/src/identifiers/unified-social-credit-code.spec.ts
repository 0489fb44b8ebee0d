import { InvalidIdentifierError } from '../domain.errors';
import {
  computeUsccCheckCharacter,
  describeUscc,
  parseUnifiedSocialCreditCode,
  validateUnifiedSocialCreditCode,
} from './unified-social-credit-code';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const VALID = ['91350200776049653A', '91440101MA5CJQ4N59', '123502001549897397'];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidIdentifierError) return error.code;
    throw error;
  }
  return undefined;
}

describe('unified social credit code', () => {
  it.each(VALID)('accepts %s', (code) => {
    expect(validateUnifiedSocialCreditCode(code)).toBe(code);
    expect(computeUsccCheckCharacter(code.slice(0, 17))).toBe(code[17]);
  });

  // Listed as invalid in the brief, but it satisfies the GB 32100 check as specified (Σ mod 31 gives '3').
  it('accepts 91350100M000100Y43, whose check character is in fact correct', () => {
    expect(computeUsccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(validateUnifiedSocialCreditCode('91350100M000100Y43')).toBe('91350100M000100Y43');
  });

  it('normalises surrounding whitespace and lower case', () => {
    expect(validateUnifiedSocialCreditCode('  91440101ma5cjq4n59 ')).toBe('91440101MA5CJQ4N59');
  });

  it.each(['', '91350200776049653', '91350200776049653AA'])('rejects wrong length %j', (code) => {
    expect(codeOf(() => validateUnifiedSocialCreditCode(code))).toBe('SUBJECT.BAD_LENGTH');
  });

  it.each(['I', 'O', 'S', 'V', 'Z', '-', ' '])('rejects forbidden character %j', (character) => {
    const code = `9135020077604965${character}A`;
    expect(codeOf(() => validateUnifiedSocialCreditCode(code))).toBe('SUBJECT.BAD_CHARACTER');
  });

  it('reports the position of a forbidden character', () => {
    try {
      validateUnifiedSocialCreditCode('91350200776O49653A');
      throw new Error('expected rejection');
    } catch (error) {
      expect((error as InvalidIdentifierError).context).toMatchObject({ position: 12, character: 'O' });
    }
  });

  it('rejects a registration authority outside the GB set', () => {
    const first17 = 'P1350200776049653';
    expect(codeOf(() => validateUnifiedSocialCreditCode(first17 + computeUsccCheckCharacter(first17)))).toBe(
      'SUBJECT.BAD_CHARACTER',
    );
  });

  it.each(['99', '00', 'AB'])('rejects division prefix %s', (prefix) => {
    const first17 = `91${prefix}0200776049653`;
    expect(codeOf(() => validateUnifiedSocialCreditCode(first17 + computeUsccCheckCharacter(first17)))).toBe(
      'SUBJECT.BAD_DIVISION',
    );
  });

  it('rejects a wrong check character', () => {
    expect(codeOf(() => validateUnifiedSocialCreditCode('91350200776049653B'))).toBe('SUBJECT.BAD_CHECK_DIGIT');
  });

  it('detects every single-character alteration', () => {
    for (const code of VALID) {
      for (let position = 0; position < 18; position++) {
        for (const replacement of ALPHABET) {
          if (replacement === code[position]) continue;
          const altered = code.slice(0, position) + replacement + code.slice(position + 1);
          if (position < 17) {
            expect(computeUsccCheckCharacter(altered.slice(0, 17))).not.toBe(code[17]);
          }
          expect(codeOf(() => validateUnifiedSocialCreditCode(altered))).toBeDefined();
        }
      }
    }
  });

  describe('check-digit override', () => {
    it('returns the code with an auditable flag instead of throwing', () => {
      expect(parseUnifiedSocialCreditCode('91350200776049653b', { allowBadCheckDigit: true })).toEqual({
        value: '91350200776049653B',
        checkDigitValid: false,
        checkDigitOverridden: true,
        expectedCheckCharacter: 'A',
      });
    });

    it('does not flag valid codes', () => {
      expect(parseUnifiedSocialCreditCode(VALID[0], { allowBadCheckDigit: true })).toMatchObject({
        checkDigitValid: true,
        checkDigitOverridden: false,
      });
    });

    it('still enforces the structure', () => {
      expect(codeOf(() => parseUnifiedSocialCreditCode('9135020077604965IA', { allowBadCheckDigit: true }))).toBe(
        'SUBJECT.BAD_CHARACTER',
      );
    });
  });

  it('describes the structure of a code', () => {
    expect(describeUscc('91350200776049653A')).toEqual({
      registrationAuthorityCode: '9',
      registrationAuthority: 'market-regulation',
      entityTypeCode: '1',
      divisionCode: '350200',
      organisationCode: '776049653',
    });
    expect(describeUscc('123502001549897397').registrationAuthority).toBe('establishment-office');
  });

  it('rejects check computation on malformed input', () => {
    expect(codeOf(() => computeUsccCheckCharacter('9135'))).toBe('SUBJECT.BAD_LENGTH');
    expect(codeOf(() => computeUsccCheckCharacter('9135020077604965O'))).toBe('SUBJECT.BAD_CHARACTER');
  });
});
