import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsOptional, Matches, ValidateNested, validateSync, ValidationError } from 'class-validator';
import { assertSafeJson, EventValidationError, IDENTIFIER_TYPES, IdentifierType, IsCalendarDate, SUBJECT_KINDS, SubjectKind, Violation } from '@app/domain';
import { CommitmentError } from './commitment.errors';

/** Non-blank text of at most `max` characters. */
const text = (max: number) => new RegExp(`^(?=[\\s\\S]*\\S)[\\s\\S]{1,${max}}$`);
const CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export class CommitmentSubjectDto {
  @IsIn(SUBJECT_KINDS, { message: `subject.kind must be one of ${SUBJECT_KINDS.join(', ')}` })
  kind: SubjectKind;

  @IsIn(IDENTIFIER_TYPES, { message: `subject.idType must be one of ${IDENTIFIER_TYPES.join(', ')}` })
  idType: IdentifierType;

  // Checked as an identifier of idType after the shape: its errors are the SUBJECT.* codes of the intake.
  @Matches(text(40), { message: 'subject.id is required' })
  id: string;

  @Matches(text(200), { message: 'subject.name is required: a non-blank text of at most 200 characters' })
  name: string;
}

export class ApprovalItemRefDto {
  /** The approval system's own item code, kebab-case (e.g. food-business-licence). */
  @Matches(CODE, { message: 'approvalItem.code must be a kebab-case code of at most 64 characters such as "food-business-licence"' })
  @Matches(text(64), { message: 'approvalItem.code must be at most 64 characters' })
  code: string;

  @Matches(text(200), { message: 'approvalItem.name is required: a non-blank text of at most 200 characters' })
  name: string;
}

export class ApprovalGrantedDto {
  /** The approval's business reference (approval or licence number) in the department's system. */
  @Matches(text(120), { message: 'approval.reference is required: a non-blank text of at most 120 characters' })
  reference: string;

  @IsCalendarDate()
  grantedOn: string;
}

/** What an approval system records when an applicant makes a credit commitment (信用承诺, 告知承诺). */
export class CommitmentDto {
  /** The department's own reference of the commitment: a retry with it answers the same commitment. */
  @Matches(text(120), { message: 'reference (your own commitment reference) is required: a non-blank text of at most 120 characters' })
  reference: string;

  @ValidateNested()
  @Type(() => CommitmentSubjectDto)
  subject: CommitmentSubjectDto;

  @ValidateNested()
  @Type(() => ApprovalItemRefDto)
  approvalItem: ApprovalItemRefDto;

  /** What the applicant promises (e.g. to file the fire-safety acceptance before opening). */
  @Matches(text(2000), { message: 'promise is required: a non-blank text of at most 2000 characters' })
  promise: string;

  /** The promised date, inclusive, China time: kept in time through this day. */
  @IsCalendarDate()
  dueOn: string;

  @ValidateNested()
  @Type(() => ApprovalGrantedDto)
  approval: ApprovalGrantedDto;
}

/** The commitment was kept: on which day, and the evidence (a document or case reference). */
export class FulfilmentDto {
  @IsCalendarDate()
  fulfilledOn: string;

  @Matches(text(200), { message: 'evidenceReference is required: a non-blank text of at most 200 characters' })
  evidenceReference: string;
}

/**
 * The department corrects an automatic breach: the commitment was kept in time (on or before its
 * due date) and reported late. The evidence, and why the report came late.
 */
export class CorrectionDto extends FulfilmentDto {
  @Matches(text(2000), { message: 'reason is required: why the fulfilment was reported late, a non-blank text of at most 2000 characters' })
  reason: string;
}

/** The department reports the commitment broken: on which day, and why. */
export class BreachDto {
  @IsCalendarDate()
  breachedOn: string;

  @Matches(text(2000), { message: 'reason is required: a non-blank text of at most 2000 characters' })
  reason: string;

  /** A case number of the finding, if any. */
  @IsOptional()
  @Matches(text(120), { message: 'caseReference must be a non-blank text of at most 120 characters' })
  caseReference?: string;
}

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Validate an untrusted body as one of the DTOs; every violation named by its path. */
export function parseBody<T extends object>(dto: new () => T, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid([{ path: '', message: 'the body must be a JSON object (Content-Type: application/json)' }]);
  }
  // The intake's own check of untrusted JSON: a NUL PostgreSQL refuses (a 500), or a control character the breach's event would be refused for later, inside the lifecycle tick.
  try {
    assertSafeJson(body);
  } catch (error) {
    if (error instanceof EventValidationError) throw invalid(error.violations);
    throw error;
  }
  const parsed = plainToInstance(dto, body);
  const violations = flatten(validateSync(parsed, VALIDATION));
  if (violations.length > 0) throw invalid(violations);
  return parsed;
}

function invalid(violations: Violation[]): CommitmentError {
  return new CommitmentError('REQUEST.INVALID_COMMITMENT', `invalid commitment request: ${violations.map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join('; ')}`, { violations });
}

function flatten(errors: ValidationError[], prefix = ''): Violation[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [...Object.values(error.constraints ?? {}).map((message) => ({ path, message })), ...flatten(error.children ?? [], path)];
  });
}
