/** The two kinds of credit identifier, alone in a file so masking and parsing can both name them without a loop. */
export const IDENTIFIER_TYPES = ['USCC', 'RESIDENT_ID'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export function isIdentifierType(value: unknown): value is IdentifierType {
  return (IDENTIFIER_TYPES as readonly unknown[]).includes(value);
}
