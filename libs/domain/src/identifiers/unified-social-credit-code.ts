import { InvalidIdentifierError } from '../domain.errors';

// GB 32100-2015 drops I, O, S, V and Z so that codes survive being read aloud and copied by hand.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const LENGTH = 18;

// The standard reserves 1-9, A-N and Y for registration authorities; only some are assigned so far.
const REGISTRATION_AUTHORITY_CHARACTERS = '123456789ABCDEFGHJKLMNY';

export type UsccRegistrationAuthority =
  | 'establishment-office' // 机构编制
  | 'foreign-affairs'
  | 'judicial-administration'
  | 'culture'
  | 'civil-affairs' // 民政
  | 'tourism'
  | 'religious-affairs'
  | 'trade-union'
  | 'market-regulation' // 工商 / 市场监管
  | 'military-establishment-office'
  | 'agriculture'
  | 'other'
  | 'reserved';

const REGISTRATION_AUTHORITIES: Readonly<Record<string, UsccRegistrationAuthority>> = {
  '1': 'establishment-office',
  '2': 'foreign-affairs',
  '3': 'judicial-administration',
  '4': 'culture',
  '5': 'civil-affairs',
  '6': 'tourism',
  '7': 'religious-affairs',
  '8': 'trade-union',
  '9': 'market-regulation',
  A: 'military-establishment-office',
  N: 'agriculture',
  Y: 'other',
};

// Province-level prefixes of GB/T 2260; '100000' is used for organisations registered at central level.
const PROVINCE_PREFIXES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '),
);
const CENTRAL_DIVISION = '100000';

export interface UsccValidationOptions {
  /**
   * Accept a code whose check character does not match. Some codes in real
   * registries were issued that way; callers must record the override
   * (see `checkDigitOverridden`) rather than silently trusting the code.
   */
  allowBadCheckDigit?: boolean;
}

export interface ParsedUnifiedSocialCreditCode {
  /** Normalised code (trimmed, upper-case). */
  value: string;
  checkDigitValid: boolean;
  /** True only when the check failed and the caller asked to accept it anyway: worth an audit entry. */
  checkDigitOverridden: boolean;
  expectedCheckCharacter: string;
}

export interface UsccDescription {
  registrationAuthorityCode: string;
  registrationAuthority: UsccRegistrationAuthority;
  entityTypeCode: string;
  divisionCode: string;
  organisationCode: string;
}

/** Check character for the first 17 characters of a code (already upper-case). */
export function computeUsccCheckCharacter(first17: string): string {
  if (first17.length !== LENGTH - 1) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_LENGTH',
      `The check character is computed from the first ${LENGTH - 1} characters; ${first17.length} were given.`,
      { idType: 'USCC', expected: LENGTH - 1, actual: first17.length },
    );
  }
  assertAlphabet(first17);
  let sum = 0;
  for (let i = 0; i < first17.length; i++) {
    sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export function parseUnifiedSocialCreditCode(
  raw: string,
  options: UsccValidationOptions = {},
): ParsedUnifiedSocialCreditCode {
  const value = raw.trim().toUpperCase();
  if (value.length !== LENGTH) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_LENGTH',
      `A unified social credit code has ${LENGTH} characters; ${value.length} were given.`,
      { idType: 'USCC', expected: LENGTH, actual: value.length },
    );
  }
  assertAlphabet(value);

  if (!REGISTRATION_AUTHORITY_CHARACTERS.includes(value[0])) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_CHARACTER',
      `The unified social credit code ${value} starts with "${value[0]}", which is not a registration authority code.`,
      { idType: 'USCC', value, position: 1 },
    );
  }

  const divisionCode = value.slice(2, 8);
  if (!isDivisionCode(divisionCode)) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_DIVISION',
      `The unified social credit code ${value} has "${divisionCode}" in characters 3 to 8, which is not an administrative division code.`,
      { idType: 'USCC', value, divisionCode },
    );
  }

  const expectedCheckCharacter = computeUsccCheckCharacter(value.slice(0, LENGTH - 1));
  const checkDigitValid = value[LENGTH - 1] === expectedCheckCharacter;
  if (!checkDigitValid && !options.allowBadCheckDigit) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_CHECK_DIGIT',
      `The unified social credit code ${value} fails its check character; please verify it was copied correctly.`,
      { idType: 'USCC', value, expectedCheckCharacter },
    );
  }
  return { value, checkDigitValid, checkDigitOverridden: !checkDigitValid, expectedCheckCharacter };
}

/** Strict validation: returns the normalised code or throws `InvalidIdentifierError`. */
export function validateUnifiedSocialCreditCode(raw: string): string {
  return parseUnifiedSocialCreditCode(raw).value;
}

/** Describes a code's structure; the check character is not enforced so overridden codes can be described too. */
export function describeUscc(code: string): UsccDescription {
  const { value } = parseUnifiedSocialCreditCode(code, { allowBadCheckDigit: true });
  return {
    registrationAuthorityCode: value[0],
    registrationAuthority: REGISTRATION_AUTHORITIES[value[0]] ?? 'reserved',
    entityTypeCode: value[1],
    divisionCode: value.slice(2, 8),
    organisationCode: value.slice(8, 17),
  };
}

function isDivisionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && (PROVINCE_PREFIXES.has(code.slice(0, 2)) || code === CENTRAL_DIVISION);
}

function assertAlphabet(code: string): void {
  for (let i = 0; i < code.length; i++) {
    if (!ALPHABET.includes(code[i])) {
      throw new InvalidIdentifierError(
        'SUBJECT.BAD_CHARACTER',
        `Character ${i + 1} of the unified social credit code ("${code[i]}") is not allowed; ` +
          'only digits and capital letters other than I, O, S, V and Z are used.',
        { idType: 'USCC', position: i + 1, character: code[i] },
      );
    }
  }
}
