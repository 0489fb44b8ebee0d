import { maskIdentifier } from '@app/domain';

/** A report's subject as the public may see it: an organisation as it is registered, a natural person masked, or left out. */
export type PublicReportSubject =
  | { kind: string | null; idType: 'USCC'; id: string; name: string | null; masked: false }
  | { kind: 'individual'; idType: string; id: string; name: string | null; masked: true };

/** 张三 → 张*, 欧阳娜娜 → 欧***: the first character only (often the surname), never the whole given name. */
export function maskPersonName(name: string): string {
  const characters = [...name.trim()];
  if (characters.length === 0) return '';
  return `${characters[0]}${'*'.repeat(Math.max(characters.length - 1, 1))}`;
}

/**
 * The subject of a report in the public verification answer. A USCC names a legal person and is
 * public; anything else is treated as a natural person's: masked (the division and last four
 * characters of the number, the first character of the name), or null where natural persons
 * are not published (PUBLIC_HIDE_NATURAL_PERSONS).
 */
export function publicReportSubject(subject: { idType: string; id: string; kind: string | null; name: string | null }, hideNaturalPersons: boolean): PublicReportSubject | null {
  if (subject.idType === 'USCC') return { kind: subject.kind, idType: 'USCC', id: subject.id, name: subject.name, masked: false };
  if (hideNaturalPersons) return null;
  return { kind: 'individual', idType: subject.idType, id: maskIdentifier('RESIDENT_ID', subject.id), name: subject.name === null ? null : maskPersonName(subject.name), masked: true };
}
