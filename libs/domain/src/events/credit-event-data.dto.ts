// class-transformer's @Type reads design-time metadata, which needs the Reflect polyfill.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCreditIdentifier } from '../identifiers/is-credit-identifier.decorator';
import { IDENTIFIER_TYPES, IdentifierType } from '../identifiers/identifier-type';
import { RELATED_PERSON_ROLES, RelatedPersonRole, SUBJECT_KINDS, SubjectKind } from '../subjects/subject';
import { IsCalendarDate } from './is-calendar-date.decorator';
import { PENALTY_SEVERITIES, PenaltySeverity } from './event-types';

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CODE_MESSAGE = '$property must be a kebab-case code such as "tax-evasion"';

export class SubjectDto {
  @IsIn(SUBJECT_KINDS)
  kind: SubjectKind;

  @IsIn(IDENTIFIER_TYPES)
  idType: IdentifierType;

  @IsCreditIdentifier('idType')
  id: string;

  @IsString()
  @Length(1, 200)
  name: string;
}

/** A natural person related to the subject (法定代表人, 主要负责人, 实际控制人): a subject in their own right. */
export class RelatedPersonDto {
  @IsIn(RELATED_PERSON_ROLES)
  role: RelatedPersonRole;

  @Equals('RESIDENT_ID', { message: 'related persons are natural persons: idType must be RESIDENT_ID' })
  idType: 'RESIDENT_ID';

  @IsCreditIdentifier('idType')
  id: string;

  @IsString()
  @Length(1, 100)
  name: string;
}

/** Fields every credit event carries: who, which document, when decided. */
export abstract class CreditEventDataBase {
  @ValidateNested()
  @Type(() => SubjectDto)
  subject: SubjectDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RelatedPersonDto)
  relatedPersons?: RelatedPersonDto[];

  @IsString()
  @Length(1, 120)
  documentNumber: string;

  @IsCalendarDate()
  decidedOn: string;
}

export class ListEntryAddedData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  listCode: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;

  @IsOptional()
  @IsCalendarDate()
  validFrom?: string;

  @IsOptional()
  @IsCalendarDate()
  validTo?: string;
}

export class ListEntryRemovedData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  listCode: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;
}

export class PenaltyImposedData extends CreditEventDataBase {
  @IsIn(PENALTY_SEVERITIES)
  severity: PenaltySeverity;

  @Matches(CODE, { message: CODE_MESSAGE })
  penaltyType: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  fineAmountYuan?: number;
}

export class JudgmentDebtorListedData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;

  @IsOptional()
  @IsCalendarDate()
  validTo?: string;
}

export class RatingAssignedData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  scheme: string;

  @IsString()
  @Length(1, 4)
  grade: string;

  @IsInt()
  @Min(1990)
  @Max(2100)
  ratingYear: number;

  @IsOptional()
  @IsCalendarDate()
  validTo?: string;
}

export class HonourGrantedData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  honourCode: string;

  @IsString()
  @Length(1, 200)
  title: string;

  @IsOptional()
  @IsCalendarDate()
  validTo?: string;
}

export class CommitmentMadeData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  commitmentType: string;

  @IsString()
  @Length(1, 500)
  matter: string;
}

export class CommitmentBreachedData extends CommitmentMadeData {}

export class RepairApprovedData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  listCode: string;
}

export class ObjectionFiledData extends CreditEventDataBase {
  @IsString()
  @Length(1, 64)
  objectionId: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  listCode: string;

  @IsString()
  @Length(1, 1000)
  reason: string;
}

export class ObjectionResolvedData extends CreditEventDataBase {
  @IsString()
  @Length(1, 64)
  objectionId: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  listCode: string;

  @IsIn(['confirmed', 'revoked'])
  outcome: 'confirmed' | 'revoked';
}
