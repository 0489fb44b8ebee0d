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
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCreditIdentifier } from '../identifiers/is-credit-identifier.decorator';
import { IDENTIFIER_TYPES, IdentifierType } from '../identifiers/identifier-types';
import { RELATED_PERSON_ROLES, RelatedPersonRole, SUBJECT_KINDS, SubjectKind } from '../subjects/subject';
import { IsCalendarDate } from './is-calendar-date.decorator';
import { IsNotBefore } from './is-not-before.decorator';
import { ExactlyOneOf, MatchesWhenPresent } from './lifecycle-target.decorator';
import { ASSOCIATION_SANCTIONS, AssociationSanction, PENALTY_SEVERITIES, PenaltySeverity } from './event-types';

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

/**
 * Where a relayed event was first published (issue 16, the city ↔ district exchange): the
 * deployment of this engine and its department, and the event's identity there. Accepted only from
 * a publisher of kind "deployment" (a peer's exchange bridge), which must send it; the rules read the
 * original department as the event's source department.
 */
export class ProvenanceDto {
  @Matches(CODE, { message: CODE_MESSAGE })
  deployment: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  department: string;

  @IsString()
  @Length(1, 200)
  source: string;

  @IsString()
  @Length(1, 128)
  eventId: string;

  /** The deployments it passed, origin first, joined by ">" (e.g. "lizhou>guangyuan"): a link never sends an event back along its route. */
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*(>[a-z0-9]+(-[a-z0-9]+)*){0,7}$/, { message: '$property lists deployment codes joined by ">", origin first, at most 8' })
  route: string;
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

  /** Set by a peer deployment's exchange bridge on what it relays; refused from anyone else. */
  @IsOptional()
  @ValidateNested()
  @Type(() => ProvenanceDto)
  provenance?: ProvenanceDto;
}

/**
 * Events that record dishonest conduct. Its information may be a basis of sanctions for five
 * years from the day the conduct ended (DOMAIN §4), so the event says when that was.
 */
export abstract class ConductEventData extends CreditEventDataBase {
  /**
   * The day the conduct ended (for continuing conduct, the day it stopped). When the department
   * cannot know it, leave it out: the decision date `decidedOn` is used, the latest day the
   * department established the conduct, so the limit is never counted from a day it did not see.
   */
  @IsOptional()
  @IsCalendarDate()
  conductEndedOn?: string;
}

export class ListEntryAddedData extends ConductEventData {
  @Matches(CODE, { message: CODE_MESSAGE })
  listCode: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;

  @IsOptional()
  @IsCalendarDate()
  validFrom?: string;

  /** The last day in force, inclusive (有效期至 D: D is still in force). */
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore(['validFrom', 'decidedOn'])
  validTo?: string;
}

/**
 * What a removal or a repair ends: the subject's entry on a list (`listCode`), the measures of
 * one penalty decision without a list entry (`penaltyDocumentNumber`, the penalty decision's
 * document number), or one decision of the engine (`decisionId`). Exactly one is given.
 */
export abstract class LifecycleTargetData extends CreditEventDataBase {
  // Neither @IsOptional nor @ValidateIf here: either would skip the ExactlyOneOf check when listCode is the one left out.
  @ExactlyOneOf(['listCode', 'penaltyDocumentNumber', 'decisionId'])
  @MatchesWhenPresent(CODE, { message: CODE_MESSAGE })
  listCode?: string;

  @IsOptional()
  @IsString()
  @Length(1, 120)
  penaltyDocumentNumber?: string;

  @IsOptional()
  @IsUUID()
  decisionId?: string;
}

export class ListEntryRemovedData extends LifecycleTargetData {
  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;
}

export class PenaltyImposedData extends ConductEventData {
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

export class JudgmentDebtorListedData extends ConductEventData {
  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;

  /** The last day in force, inclusive. */
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore(['decidedOn'])
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

  /** The last day in force, inclusive. */
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore(['decidedOn'])
  validTo?: string;
}

export class HonourGrantedData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  honourCode: string;

  @IsString()
  @Length(1, 200)
  title: string;

  /** The last day in force, inclusive. */
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore(['decidedOn'])
  validTo?: string;
}

export class CommitmentMadeData extends CreditEventDataBase {
  @Matches(CODE, { message: CODE_MESSAGE })
  commitmentType: string;

  @IsString()
  @Length(1, 500)
  matter: string;
}

export class CommitmentBreachedData extends ConductEventData {
  @Matches(CODE, { message: CODE_MESSAGE })
  commitmentType: string;

  @IsString()
  @Length(1, 500)
  matter: string;

  /**
   * The first day the measures count from: the day the commitment was broken (the memoranda say
   * "for one year from the broken commitment"). Left out, the decision date `decidedOn`.
   */
  @IsOptional()
  @IsCalendarDate()
  validFrom?: string;
}

/**
 * An industry association's self-discipline sanction (行业自律惩戒) of one of its members. The
 * association publishes it like a department publishes a penalty; the registry keeps it to its own
 * members, its own industry and the sanctions it may impose.
 */
export class AssociationSanctionData extends ConductEventData {
  @IsIn(ASSOCIATION_SANCTIONS)
  sanction: AssociationSanction;

  /** The association's industry as the registry names it (e.g. construction): a rule routes measures by it. */
  @Matches(CODE, { message: CODE_MESSAGE })
  industry: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;

  /**
   * The day the subject joined, as the association states it: required of an association whose
   * registry entry admits declared members (no member list kept), checked against the list otherwise.
   */
  @IsOptional()
  @IsCalendarDate()
  memberSince?: string;
}

/**
 * An association withdraws (撤销) one of its own sanctions of a member, named by the sanction's
 * document number: it leaves the member's self-discipline record, checks and classes, and every
 * measure that followed it ends. `documentNumber` is the withdrawal's own.
 */
export class AssociationSanctionWithdrawnData extends CreditEventDataBase {
  @IsString()
  @Length(1, 120)
  sanctionDocumentNumber: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  reason: string;
}

export class RepairApprovedData extends LifecycleTargetData {}

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
