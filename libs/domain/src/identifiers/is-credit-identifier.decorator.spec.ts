import { validateSync } from 'class-validator';
import type { IdentifierType } from './identifier-types';
import { IsCreditIdentifier } from './is-credit-identifier.decorator';

class SubjectInput {
  idType: IdentifierType;

  @IsCreditIdentifier('idType')
  id: unknown;

  constructor(idType: string, id: unknown) {
    this.idType = idType as IdentifierType;
    this.id = id;
  }
}

function messages(input: SubjectInput): string[] {
  return validateSync(input).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('@IsCreditIdentifier', () => {
  it('accepts identifiers matching the sibling type', () => {
    expect(messages(new SubjectInput('USCC', '91350200776049653A'))).toEqual([]);
    expect(messages(new SubjectInput('RESIDENT_ID', '11010519491231002x'))).toEqual([]);
  });

  it('explains the rejection with the reason code', () => {
    const [message] = messages(new SubjectInput('USCC', '91350200776049653B'));
    expect(message).toMatch(/^id: .*check character.*\[SUBJECT\.BAD_CHECK_DIGIT\]$/);
  });

  it('validates against the sibling type, not a guess', () => {
    expect(messages(new SubjectInput('RESIDENT_ID', '91350200776049653A'))[0]).toContain('[SUBJECT.BAD_CHARACTER]');
  });

  it('never echoes an unmasked resident ID', () => {
    const [message] = messages(new SubjectInput('RESIDENT_ID', '510802199003071233'));
    expect(message).toContain('510802********1233');
    expect(message).not.toContain('510802199003071233');
    expect(message).toContain('[SUBJECT.BAD_CHECK_DIGIT]');
  });

  it('rejects unknown identifier types and non-text values', () => {
    expect(messages(new SubjectInput('PASSPORT', 'E12345678'))[0]).toContain('[SUBJECT.UNKNOWN_ID_TYPE]');
    expect(messages(new SubjectInput('USCC', 12345))[0]).toContain('[SUBJECT.BAD_CHARACTER]');
    expect(messages(new SubjectInput('USCC', undefined))).toHaveLength(1);
  });

  it('reports each object on its own', () => {
    const errors = [new SubjectInput('USCC', '91350200776049653B'), new SubjectInput('USCC', '9135')].map(messages);
    expect(errors[0][0]).toContain('SUBJECT.BAD_CHECK_DIGIT');
    expect(errors[1][0]).toContain('SUBJECT.BAD_LENGTH');
  });
});
