import { InvalidIdentifierError } from '../domain.errors';
import {
  assertIdTypeMatchesKind,
  idTypeForSubjectKind,
  isSubjectKind,
  RELATED_PERSON_ROLES,
  SUBJECT_KINDS,
  type SubjectKind,
} from './subject';

describe('subject', () => {
  it('lists kinds and related-person roles', () => {
    expect(SUBJECT_KINDS).toEqual(['enterprise', 'individual', 'social-organisation', 'public-institution']);
    expect(RELATED_PERSON_ROLES).toEqual(['legal-representative', 'responsible-manager', 'actual-controller']);
    expect(isSubjectKind('enterprise')).toBe(true);
    expect(isSubjectKind('company')).toBe(false);
  });

  it('identifies individuals by resident ID and organisations by USCC', () => {
    expect(idTypeForSubjectKind('individual')).toBe('RESIDENT_ID');
    for (const kind of SUBJECT_KINDS.filter((k) => k !== 'individual')) {
      expect(idTypeForSubjectKind(kind)).toBe('USCC');
      expect(() => assertIdTypeMatchesKind(kind, 'USCC')).not.toThrow();
      expect(() => assertIdTypeMatchesKind(kind, 'RESIDENT_ID')).toThrow(
        expect.objectContaining({ code: 'SUBJECT.ID_TYPE_MISMATCH' }),
      );
    }
    expect(() => assertIdTypeMatchesKind('individual', 'RESIDENT_ID')).not.toThrow();
    expect(() => assertIdTypeMatchesKind('individual', 'USCC')).toThrow(InvalidIdentifierError);
  });

  it('rejects unknown kinds', () => {
    expect(() => assertIdTypeMatchesKind('company' as SubjectKind, 'USCC')).toThrow(
      expect.objectContaining({ code: 'SUBJECT.ID_TYPE_MISMATCH' }),
    );
  });
});
