import { InvalidIdentifierError } from '../domain.errors';
import { parseResidentIdentityNumber, type ResidentIdentityValidationOptions } from './resident-identity-number';
import { parseUnifiedSocialCreditCode, type UsccValidationOptions } from './unified-social-credit-code';
import { IDENTIFIER_TYPES, IdentifierType } from './identifier-types';


export type IdentifierValidationOptions = UsccValidationOptions & ResidentIdentityValidationOptions;

export interface ValidatedIdentifier {
  idType: IdentifierType;
  /** Normalised identifier, to be stored instead of the raw input. */
  value: string;
  /** See `ParsedUnifiedSocialCreditCode.checkDigitOverridden`; always false for resident IDs. */
  checkDigitOverridden: boolean;
}

/**
 * Validates `raw` as an identifier of `idType`. `idType` is re-checked at run
 * time because it usually arrives with the identifier in untrusted input.
 */
export function validateIdentifier(
  idType: IdentifierType,
  raw: string,
  options: IdentifierValidationOptions = {},
): ValidatedIdentifier {
  switch (idType) {
    case 'USCC': {
      const { value, checkDigitOverridden } = parseUnifiedSocialCreditCode(raw, options);
      return { idType, value, checkDigitOverridden };
    }
    case 'RESIDENT_ID':
      return { idType, value: parseResidentIdentityNumber(raw, options).value, checkDigitOverridden: false };
    default:
      throw new InvalidIdentifierError(
        'SUBJECT.UNKNOWN_ID_TYPE',
        `Unknown identifier type; expected one of ${IDENTIFIER_TYPES.join(', ')}.`,
        { idType: typeof idType === 'string' ? (idType as string).slice(0, 40) : typeof idType },
      );
  }
}
