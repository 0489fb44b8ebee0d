import type { IdentifierType } from './identifier-types';

/**
 * Display form of an identifier for logs, messages and screens. Resident
 * identity numbers reveal a natural person's birth date and sex, so only the
 * division (first 6) and last 4 characters stay visible. USCCs identify legal
 * persons and are public, so they are shown as is.
 */
export function maskIdentifier(idType: IdentifierType, value: string): string {
  if (idType === 'USCC') {
    return value;
  }
  // Malformed input is hidden entirely: its layout is unknown, so partial masking could expose the birth date.
  if (value.length !== 18) {
    return '*'.repeat(value.length);
  }
  return `${value.slice(0, 6)}${'*'.repeat(8)}${value.slice(-4)}`;
}
