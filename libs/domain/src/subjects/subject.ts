import { InvalidIdentifierError } from '../domain.errors';
import type { IdentifierType } from '../identifiers/identifier-types';

export const SUBJECT_KINDS = ['enterprise', 'individual', 'social-organisation', 'public-institution'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * Persons attached to a legal-person subject who can be named in a joint
 * punishment measure: 法定代表人 (legal representative), 主要负责人/相关责任人
 * (responsible manager) and 实际控制人 (actual controller).
 */
export const RELATED_PERSON_ROLES = ['legal-representative', 'responsible-manager', 'actual-controller'] as const;
export type RelatedPersonRole = (typeof RELATED_PERSON_ROLES)[number];

export interface SubjectRef {
  kind: SubjectKind;
  idType: IdentifierType;
  id: string;
  name: string;
}

export function isSubjectKind(value: unknown): value is SubjectKind {
  return (SUBJECT_KINDS as readonly unknown[]).includes(value);
}

/** Natural persons are identified by their resident ID; every organisation by its USCC. */
export function idTypeForSubjectKind(kind: SubjectKind): IdentifierType {
  return kind === 'individual' ? 'RESIDENT_ID' : 'USCC';
}

const ID_TYPE_NAMES: Record<IdentifierType, string> = {
  USCC: 'a unified social credit code',
  RESIDENT_ID: 'a resident identity number',
};

export function assertIdTypeMatchesKind(kind: SubjectKind, idType: IdentifierType): void {
  // Both values usually come straight from input, so unknown kinds are rejected here as well.
  const expected = isSubjectKind(kind) ? idTypeForSubjectKind(kind) : undefined;
  if (expected !== undefined && expected === idType) {
    return;
  }
  throw new InvalidIdentifierError(
    'SUBJECT.ID_TYPE_MISMATCH',
    expected
      ? `A subject of kind "${kind}" must be identified by ${ID_TYPE_NAMES[expected]}, not by ${ID_TYPE_NAMES[idType] ?? 'an unknown identifier type'}.`
      : `Unknown subject kind; expected one of ${SUBJECT_KINDS.join(', ')}.`,
    { kind: String(kind).slice(0, 40), idType: String(idType).slice(0, 40), expected },
  );
}
