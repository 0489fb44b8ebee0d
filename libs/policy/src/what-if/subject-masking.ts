import { maskIdentifier, SubjectRef } from '@app/domain';

/** A subject as a what-if report shows it: identifier masked as everywhere else, name reduced to its first and last characters. */
export interface MaskedSubject {
  kind: SubjectRef['kind'];
  idType: SubjectRef['idType'];
  id: string;
  name: string;
}

export function maskSubject(subject: SubjectRef): MaskedSubject {
  return { kind: subject.kind, idType: subject.idType, id: maskIdentifier(subject.idType, subject.id), name: maskName(subject.name) };
}

/** 张三 → 张*, 广元市利州区某公司 → 广*******司: enough to tell examples apart, not to name a person. */
export function maskName(name: string): string {
  const characters = [...name];
  if (characters.length <= 1) return '*'.repeat(characters.length);
  if (characters.length === 2) return `${characters[0]}*`;
  return `${characters[0]}${'*'.repeat(characters.length - 2)}${characters[characters.length - 1]}`;
}
