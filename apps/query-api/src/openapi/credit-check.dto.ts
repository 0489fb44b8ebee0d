import { DEPARTMENT_CALL_PROBLEMS } from '@app/http';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ASSOCIATION_SANCTIONS, AssociationSanction, IDENTIFIER_TYPES, IdentifierType } from '@app/domain';
import { INSTRUMENT_LEVELS, InstrumentLevel } from '@app/rules';
import { ACCOUNTABILITY_SCOPES, AccountabilityScope, ApprovalItem, CheckedAssociationSanctions, CheckedCreditClass, CheckedSelfDiscipline, CheckOutcome, CreditCheckResult, OUTCOME_PRECEDENCE, ClassSupervision, FREQUENCIES, Frequency, UnplannedClassSupervision } from '@app/query';
import { BilingualTextDto, DepartmentRefDto, ListRefDto } from './common.dto';
import { CheckedCommitmentsDto } from './commitments.dto';

export class ApprovalItemDto implements ApprovalItem {
  @ApiProperty({ example: 'government-procurement' })
  code: string;

  @ApiProperty({ type: BilingualTextDto })
  name: BilingualTextDto;

  @ApiProperty({ type: [String], description: 'Departments that decide this item.', example: ['finance'] })
  departments: string[];

  @ApiProperty({ type: [String], description: 'Measure codes a check for this item looks at.', example: ['JD-01'] })
  measures: string[];

  @ApiProperty({ enum: ACCOUNTABILITY_SCOPES, description: 'Checks of which subjects need `X-User-Id`.' })
  requireUserId: AccountabilityScope;

  @ApiProperty({ enum: ACCOUNTABILITY_SCOPES, description: 'Checks of which subjects need `purpose`.' })
  requirePurpose: AccountabilityScope;
}

export class ApprovalItemsDto {
  @ApiProperty({ type: [ApprovalItemDto] })
  items: readonly ApprovalItemDto[];
}

class InstrumentRefDto {
  @ApiProperty({ example: 'joint-memorandum-2016-141' }) id: string;
  @ApiProperty({ example: '关于对失信被执行人实施联合惩戒的合作备忘录' }) title: string;
  @ApiProperty({ type: String, nullable: true, example: '发改财金〔2016〕141号' }) documentNumber: string | null;
  @ApiProperty({ enum: INSTRUMENT_LEVELS }) level: InstrumentLevel;
  @ApiProperty({ example: '2016-01-20' }) version: string;
}

export class LegalBasisDto {
  @ApiProperty({ type: InstrumentRefDto }) instrument: InstrumentRefDto;
  @ApiProperty({ example: '第二条第（一）项' }) article: string;
}

export class CheckedApprovalItemDto {
  @ApiProperty({ example: 'government-procurement' }) code: string;
  @ApiProperty({ type: BilingualTextDto }) name: BilingualTextDto;
}

export class CheckedSubjectDto {
  @ApiProperty({ description: 'The identifier as checked (a natural person\'s masked when the caller sees nothing on them).', example: '91510802MA6XQ1234L' }) id: string;
  @ApiProperty({ enum: IDENTIFIER_TYPES }) idType: IdentifierType;
  @ApiProperty({ type: String, nullable: true, example: 'legal-person' }) kind: string | null;
  @ApiProperty({ type: String, nullable: true, example: '广元某某建筑工程有限公司' }) name: string | null;
}

class MemorandumRefDto {
  @ApiProperty({ example: 'judgment-debtors' }) id: string;
  @ApiProperty({ example: '2016' }) version: string;
}

export class CheckedListMembershipDto {
  @ApiProperty({ type: ListRefDto }) list: ListRefDto;
  @ApiProperty({ type: MemorandumRefDto }) memorandum: MemorandumRefDto;
  @ApiProperty({ type: DepartmentRefDto }) identifyingDepartment: DepartmentRefDto;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ example: '（2026）川0802执1234号' }) documentNumber: string;
  @ApiProperty({ format: 'date', example: '2026-01-26' }) validFrom: string;
  @ApiProperty({ format: 'date', description: 'Last day in force, inclusive.', example: '2031-01-25' }) validTo: string;
  @ApiProperty({ description: 'An objection against the entry is pending.' }) disputed: boolean;
}

class ViaDto {
  @ApiProperty() list: string;
  @ApiProperty() kind: string;
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

class CheckTargetDto {
  @ApiProperty({ example: 'subject', description: '`subject`, or e.g. `legal-representative` of the listed organisation in `via`.' }) role: string;
  @ApiProperty({ type: ViaDto, nullable: true }) via: ViaDto | null;
}

class ExplanationDto {
  @ApiProperty({ format: 'uuid' }) decisionId: string;
  @ApiProperty({ description: 'The memorandum the decision applied (id, version).', type: 'object', additionalProperties: true }) memorandum: unknown;
  @ApiProperty({ description: 'The rule that matched.', type: 'object', additionalProperties: true }) rule: unknown;
  @ApiProperty({ description: 'The rule-set revision (content hash) of the decision.', type: 'string', example: 'sha256:3f0c…' }) ruleSetRevision: unknown;
}

export class CheckedMeasureDto {
  @ApiProperty({ example: 'JD-01' }) code: string;
  @ApiProperty({ example: 'restriction' }) category: string;
  @ApiProperty({ type: BilingualTextDto }) text: BilingualTextDto;
  @ApiProperty({ type: [LegalBasisDto] }) legalBasis: LegalBasisDto[];
  @ApiProperty({ example: 'finance' }) implementingDepartment: string;
  @ApiProperty({ type: [String] }) cooperatingDepartments: string[];
  @ApiProperty({ enum: ['implementing', 'cooperating'] }) yourRole: 'implementing' | 'cooperating';
  @ApiProperty({ type: CheckTargetDto }) target: CheckTargetDto;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
  @ApiProperty() disputed: boolean;
  @ApiProperty({ type: ExplanationDto }) explanation: ExplanationDto;
}

class CreditClassModelRefDto {
  @ApiProperty({ example: 'market-credit-class' }) id: string;
  @ApiProperty({ type: BilingualTextDto }) title: BilingualTextDto;
  @ApiProperty({ example: 'market-regulation', description: 'The department whose supervision the classes serve.' }) owner: string;
  @ApiProperty({ example: '1.0.0' }) version: string;
  @ApiProperty({ example: 'sha256:5d2c0e81a7f4b936', description: "Content hash of the model's file the class was given under." }) revision: string;
}

class CreditClassRuleRefDto {
  @ApiProperty({ example: 'blacklisted' }) name: string;
  @ApiProperty({ type: BilingualTextDto }) description: BilingualTextDto;
}

/** A department's spot-check ratio and frequency for one class of a model. */
export class ClassSupervisionDto implements ClassSupervision {
  @ApiProperty({ enum: [true], description: 'The plan has the class.' }) planned: true;
  @ApiProperty({ minimum: 0, maximum: 1, description: "Fraction of the class's subjects each period's sample takes (ceil(ratio × stratum size)).", example: 0.2 }) inspectionRatio: number;
  @ApiProperty({ enum: FREQUENCIES, description: 'One sample per period of this length.', example: 'quarter' }) frequency: Frequency;
  @ApiProperty({ description: 'inspectionRatio × periods a year: how often a subject of the class is inspected on average.', example: 0.8 }) expectedInspectionsPerYear: number;
}

/** The department's plan for the model lacks the class: one given under an earlier revision of the model's file, until the engine reclassifies it. */
export class UnplannedClassSupervisionDto implements UnplannedClassSupervision {
  @ApiProperty({ enum: [false] }) planned: false;
  @ApiProperty({ enum: ['class-not-in-plan'], description: "Spot-check draws meeting the class are refused (503 SUPERVISION.CLASSES_STALE) until the engine's revision sweep reclassifies the subject." }) reason: 'class-not-in-plan';
}

@ApiExtraModels(ClassSupervisionDto, UnplannedClassSupervisionDto)
export class CheckedCreditClassDto implements CheckedCreditClass {
  @ApiProperty({ type: CreditClassModelRefDto }) model: CreditClassModelRefDto;
  @ApiProperty({ example: 'D' }) class: string;
  @ApiProperty({ type: BilingualTextDto }) label: BilingualTextDto;
  @ApiProperty({ enum: ['rule', 'otherwise', 'default'], description: "rule: the first rule of the model that matched gave it; otherwise: on record and no rule matched; default: nothing on record, the model's default class." })
  basis: 'rule' | 'otherwise' | 'default';
  @ApiProperty({ type: CreditClassRuleRefDto, nullable: true }) rule: CreditClassRuleRefDto | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The facts the rule read, with their values.', example: { 'lists.black': 1 } }) matchedFacts: Record<string, unknown>;
  @ApiProperty({ type: BilingualTextDto, description: 'The class and why, in one line.' }) explanation: BilingualTextDto;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Since when the subject has had this class; null for the default.' }) since: string | null;
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(ClassSupervisionDto) }, { $ref: getSchemaPath(UnplannedClassSupervisionDto) }, { type: 'null' }],
    description: "Your department's spot-check plan for this class (信用分类监管, SUPERVISION_FILE): `planned: true` with its ratio; `planned: false` when your plan for the model lacks the class (a stale class); null only when you have no plan for the model.",
  })
  supervision: ClassSupervisionDto | UnplannedClassSupervisionDto | null;
}

class SanctionCountsDto {
  @ApiProperty({ description: 'Warnings (警告) within their publicity period.' }) warning: number;
  @ApiProperty({ description: 'Circulated criticisms within the industry (行业内通报批评) within their publicity period.' }) 'circulated-criticism': number;
  @ApiProperty({ description: 'Public condemnations (公开谴责) within their publicity period.' }) 'public-condemnation': number;
}

class AssociationSanctionDto {
  @ApiProperty({ enum: ASSOCIATION_SANCTIONS }) sanction: AssociationSanction;
  @ApiProperty({ example: 'bid-rigging' }) reason: string;
  @ApiProperty({ example: '利建协〔2026〕7号' }) documentNumber: string;
  @ApiProperty({ format: 'date' }) decidedOn: string;
  @ApiProperty({ format: 'date', description: 'Last day it is shown, inclusive: the end of its publicity period (the association\'s months for this sanction from decidedOn), or the last day of the five-year limit of its conduct if that comes first. A sanction the engine refused or the association withdrew is never shown.' }) publicUntil: string;
}

class CheckedAssociationSanctionsDto implements CheckedAssociationSanctions {
  @ApiProperty({ type: DepartmentRefDto, description: 'The association (行业协会), a registry entry of kind association.' }) association: DepartmentRefDto;
  @ApiProperty({ example: 'construction' }) industry: string;
  @ApiProperty({ type: [AssociationSanctionDto] }) sanctions: AssociationSanctionDto[];
}

export class CheckedSelfDisciplineDto implements CheckedSelfDiscipline {
  @ApiProperty({ type: SanctionCountsDto }) counts: SanctionCountsDto;
  @ApiProperty({ type: [CheckedAssociationSanctionsDto] }) associations: CheckedAssociationSanctionsDto[];
}

export class CreditCheckResultDto implements CreditCheckResult {
  @ApiProperty({ description: 'The id of the check\'s audit row (query_audit).', example: '1842' }) checkId: string;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
  @ApiProperty({ format: 'date', description: 'The China calendar date the check applies to: records in force on it count.' }) asOf: string;
  @ApiProperty({ example: 'finance' }) department: string;
  @ApiProperty({ type: CheckedApprovalItemDto }) approvalItem: CheckedApprovalItemDto;
  @ApiProperty({ type: CheckedSubjectDto }) subject: CheckedSubjectDto;
  @ApiProperty({ description: 'False: nothing in force about the subject (无记录) that the caller may see.' }) record: boolean;
  @ApiProperty({ enum: OUTCOME_PRECEDENCE, description: 'The strongest bearing of the measures on the item; `clear` when none bears on it.' }) outcome: CheckOutcome;
  @ApiProperty({ type: [CheckedListMembershipDto] }) listMemberships: CheckedListMembershipDto[];
  @ApiProperty({ type: [CheckedMeasureDto] }) measures: CheckedMeasureDto[];
  @ApiProperty({ type: CheckedCommitmentsDto, description: 'Credit commitments (信用承诺): your open ones of the subject and its record.' }) commitments: CheckedCommitmentsDto;
  @ApiProperty({
    type: [CheckedCreditClassDto],
    description: "The subject's credit class (信用分类) under each model that classifies it. A natural person's only under the caller's own models (any other would tell whether the person is on file).",
  })
  creditClasses: CheckedCreditClassDto[];
  @ApiProperty({
    type: CheckedSelfDisciplineDto,
    nullable: true,
    description: 'Self-discipline record (行业自律记录): industry associations\' sanctions within their publicity period, by association. Null for a natural person.',
  })
  selfDiscipline: CheckedSelfDisciplineDto | null;
}

/** Only to say what `idType` is, for the query parameter's schema. */
export const ID_TYPE_QUERY = { name: 'idType', required: false, enum: IDENTIFIER_TYPES, description: 'Only when the identifier is valid as both.' } as const;


/** A check that found the listing and the procurement ban (typed, so it keeps the DTO's shape). */
export const CREDIT_CHECK_EXAMPLE: CreditCheckResultDto = {
  checkId: '1842',
  checkedAt: '2026-11-23T02:15:04.118Z',
  asOf: '2026-11-23',
  department: 'finance',
  approvalItem: { code: 'government-procurement', name: { zh: '政府采购供应商资格审查', en: 'Government procurement supplier review' } },
  subject: { id: '91510802MA62XK0U3U', idType: 'USCC', kind: 'enterprise', name: '广元市利州区某某建材有限公司' },
  record: true,
  outcome: 'restrict',
  listMemberships: [
    {
      list: { code: 'judgment-debtor', type: 'black', name: { zh: '失信被执行人名单', en: 'Dishonest judgment debtors' } },
      memorandum: { id: 'judgment-debtors', version: '2016' },
      identifyingDepartment: { code: 'court', name: { zh: '人民法院', en: "People's Court" } },
      reason: 'evading-execution',
      documentNumber: '（2026）川0802执1234号',
      validFrom: '2026-11-20',
      validTo: '2031-11-19',
      disputed: false,
    },
  ],
  measures: [
    {
      code: 'JD-01',
      category: 'restrict',
      text: { zh: '限制参与政府采购活动', en: 'Restricted from government procurement' },
      legalBasis: [{ instrument: { id: 'government-procurement-law', title: '《中华人民共和国政府采购法》', documentNumber: null, level: 'law', version: '2014年修正' }, article: '第二十二条第一款' }],
      implementingDepartment: 'finance',
      cooperatingDepartments: [],
      yourRole: 'implementing',
      target: { role: 'subject', via: null },
      validFrom: '2026-11-20',
      validTo: '2031-11-19',
      disputed: false,
      explanation: { decisionId: '0b9f6a52-3c1d-4e8a-9f27-6d5c4b3a2e10', memorandum: { id: 'judgment-debtors', version: '2016' }, rule: { id: 'JD-01' }, ruleSetRevision: 'sha256:3f0c2a9d4b6e8f1a' },
    },
  ],
  commitments: { open: [], record: { open: 0, kept: 1, broken: 1 } },
  creditClasses: [
    {
      model: { id: 'market-credit-class', title: { zh: '市场监管企业信用风险分类', en: 'Market regulation enterprise credit risk classes' }, owner: 'market-regulation', version: '1.0.0', revision: 'sha256:5d2c0e81a7f4b936' },
      class: 'D',
      label: { zh: 'D类（信用风险高）', en: 'Class D (high credit risk)' },
      basis: 'rule',
      rule: { name: 'blacklisted', description: { zh: '列入严重失信主体名单（黑名单）', en: 'on a blacklist of seriously dishonest subjects' } },
      matchedFacts: { 'lists.black': 1 },
      explanation: { zh: 'D类（信用风险高）：列入严重失信主体名单（黑名单）（lists.black=1）', en: 'Class D (high credit risk): on a blacklist of seriously dishonest subjects (lists.black=1)' },
      since: '2026-11-20T01:00:03.512Z',
      // finance has no spot-check plan for the model; market-regulation's check would show { planned: true, inspectionRatio: 1, frequency: 'quarter', expectedInspectionsPerYear: 4 }.
      supervision: null,
    },
  ],
  selfDiscipline: {
    counts: { warning: 1, 'circulated-criticism': 0, 'public-condemnation': 0 },
    associations: [
      {
        association: { code: 'construction-association', name: { zh: '利州区建筑业协会', en: 'Lizhou District Construction Industry Association' } },
        industry: 'construction',
        sanctions: [{ sanction: 'warning', reason: 'late-contract-performance', documentNumber: '利建协〔2026〕8号', decidedOn: '2026-09-20', publicUntil: '2026-12-19' }],
      },
    ],
  },
};

/** What a check of one subject for an approval item may answer besides its result: the credit check's and the applicant review's. */
export const SUBJECT_CHECK_PROBLEMS = [
  ...DEPARTMENT_CALL_PROBLEMS,
  'CHECK.MISSING_APPROVAL_ITEM', 'CHECK.UNKNOWN_APPROVAL_ITEM', 'CHECK.USER_ID_REQUIRED', 'CHECK.PURPOSE_REQUIRED', 'CHECK.BAD_PURPOSE', 'AUDIT.BAD_USER_ID', 'REQUEST.INVALID',
  'SUBJECT.BAD_CHECK_DIGIT', 'SUBJECT.BAD_LENGTH', 'SUBJECT.BAD_CHARACTER', 'SUBJECT.BAD_DIVISION', 'SUBJECT.BAD_BIRTH_DATE', 'SUBJECT.AMBIGUOUS_ID_TYPE', 'SUBJECT.ID_TYPE_MISMATCH', 'SUBJECT.UNKNOWN_ID_TYPE',
  'CHECK.BURST_REFUSED',
  'DEPARTMENT.GOVERNMENT_ONLY',
] as const;
