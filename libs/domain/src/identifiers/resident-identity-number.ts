import { InvalidIdentifierError } from '../domain.errors';
import { maskIdentifier } from './identifier-masking';

const LENGTH = 18;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';
// Birth dates are calendar dates in China (UTC+8, no daylight saving); judging "today" in UTC
// would reject people born in the first eight hours of the current day.
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

// Province-level prefixes of GB/T 2260, plus 83 used by residence permits for Taiwan residents.
const PROVINCE_PREFIXES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '),
);

export type Sex = 'male' | 'female';

export interface ResidentIdentityValidationOptions {
  /** Reference instant for rejecting future birth dates; defaults to now. */
  today?: Date;
}

export interface ParsedResidentIdentityNumber {
  /** Normalised number (trimmed, trailing x upper-cased). */
  value: string;
  divisionCode: string;
  /** ISO calendar date, YYYY-MM-DD. */
  birthDate: string;
  sex: Sex;
}

/** Check character for the first 17 digits. */
export function computeResidentIdentityCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_CHARACTER',
      'The check character is computed from the first 17 digits of a resident identity number.',
      { idType: 'RESIDENT_ID', length: first17.length },
    );
  }
  let sum = 0;
  for (let i = 0; i < first17.length; i++) {
    sum += Number(first17[i]) * WEIGHTS[i];
  }
  return CHECK_CHARACTERS[sum % 11];
}

export function parseResidentIdentityNumber(
  raw: string,
  options: ResidentIdentityValidationOptions = {},
): ParsedResidentIdentityNumber {
  const value = raw.trim().toUpperCase();
  if (value.length !== LENGTH) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_LENGTH',
      `A resident identity number has ${LENGTH} characters; ${value.length} were given.` +
        (value.length === 15 ? ' Old 15-digit numbers must first be converted to the 18-digit form.' : ''),
      { idType: 'RESIDENT_ID', expected: LENGTH, actual: value.length },
    );
  }
  const masked = maskIdentifier('RESIDENT_ID', value);

  if (!/^\d{17}[\dX]$/.test(value)) {
    const inBody = value.slice(0, LENGTH - 1).search(/\D/);
    const position = (inBody >= 0 ? inBody : LENGTH - 1) + 1;
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_CHARACTER',
      `Character ${position} of resident identity number ${masked} is not allowed; ` +
        'only digits are used, and X only as the last character.',
      { idType: 'RESIDENT_ID', masked, position },
    );
  }

  const divisionCode = value.slice(0, 6);
  if (!PROVINCE_PREFIXES.has(divisionCode.slice(0, 2))) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_DIVISION',
      `Resident identity number ${masked} does not start with a valid administrative division code.`,
      { idType: 'RESIDENT_ID', masked },
    );
  }

  const birthDate = readBirthDate(value, options.today ?? new Date(), masked);

  if (value[LENGTH - 1] !== computeResidentIdentityCheckCharacter(value.slice(0, LENGTH - 1))) {
    throw new InvalidIdentifierError(
      'SUBJECT.BAD_CHECK_DIGIT',
      `Resident identity number ${masked} fails its check character; please verify it was copied correctly.`,
      { idType: 'RESIDENT_ID', masked },
    );
  }

  return { value, divisionCode, birthDate, sex: Number(value[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Returns the normalised number or throws `InvalidIdentifierError`. */
export function validateResidentIdentityNumber(
  raw: string,
  options: ResidentIdentityValidationOptions = {},
): string {
  return parseResidentIdentityNumber(raw, options).value;
}

function readBirthDate(value: string, today: Date, masked: string): string {
  const iso = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  const todayInChina = new Date(today.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
  // Date rolls impossible days over (Feb 30 becomes Mar 2), so only a round trip catches them.
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) {
    throw badBirthDate(masked, 'not-a-calendar-date', 'is not a real calendar date');
  }
  if (iso < EARLIEST_BIRTH_DATE) {
    throw badBirthDate(masked, 'before-1900', 'is before 1900');
  }
  if (iso > todayInChina) {
    throw badBirthDate(masked, 'in-the-future', 'is in the future');
  }
  return iso;
}

function badBirthDate(masked: string, reason: string, explanation: string): InvalidIdentifierError {
  return new InvalidIdentifierError(
    'SUBJECT.BAD_BIRTH_DATE',
    `The birth date in resident identity number ${masked} (characters 7 to 14) ${explanation}.`,
    { idType: 'RESIDENT_ID', masked, reason },
  );
}
