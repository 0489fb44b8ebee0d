import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  AssociationSanction,
  BilingualText,
  chinaDate,
  Clock,
  IDENTIFIER_TYPES,
  IdentifierType,
  InvalidIdentifierError,
  isIdentifierType,
  validateIdentifier,
  ValidatedIdentifier,
} from '@app/domain';
import { CheckedClassRow, ClosedCommitmentRow, CommitmentRecord, CurrentMeasureRow, ListEntryRow, SubjectRecordRepository } from '@app/persistence';
import { AssociationSanctionFact, type RecordedLegalBasis, selfDisciplineRecordOf } from '@app/rules';
import { AUDITED_ENDPOINTS, AuditedEndpoint, normaliseUserId } from '../audit/query-audit.service';
import { CatalogueService, CreditClassCatalogue } from '@app/engine';
import { CLOCK } from '@app/engine';
import { ApprovalItem, ApprovalItemCatalogue, checkOutcome, CheckOutcome, isRequired, loadApprovalItems } from './approval-items';
import { CreditCheckError } from './credit-check.errors';
import { CreditCheckMetrics } from './credit-check.metrics';
import { ClassSupervisionOf, SupervisionPlans } from '../supervision/supervision-plans';
import { checkedCreditClasses } from './checked-credit-classes';

export const CREDIT_CHECK_ENDPOINT = AUDITED_ENDPOINTS.creditCheck;
/** The burst limit's window, in seconds (the SQL counts over `interval '1 minute'`). */
export const BURST_WINDOW_SECONDS = 60;
/** Reads of natural persons' records that count together towards one user's burst limit: checks, applicant reviews and credit reports. */
export const PERSON_READ_ENDPOINTS: readonly AuditedEndpoint[] = [AUDITED_ENDPOINTS.creditCheck, AUDITED_ENDPOINTS.applicantReview, AUDITED_ENDPOINTS.reportIssue];
const MAX_PURPOSE = 200;
const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;

export interface CreditCheckCommand {
  department: string;
  /** The identifier as entered; its type is detected unless `idType` is given. */
  subject: string;
  idType?: string;
  approvalItem?: string;
  purpose?: string;
  userId?: string;
}

export interface CheckedListMembership {
  list: { code: string; type: string; name: BilingualText | null };
  memorandum: { id: string; version: string };
  identifyingDepartment: { code: string; name: BilingualText | null };
  reason: string | null;
  documentNumber: string;
  validFrom: string;
  validTo: string;
  disputed: boolean;
}

export interface CheckedMeasure {
  code: string;
  category: string;
  text: BilingualText;
  /** The catalogued instruments, in the versions the decision relied on, and their articles. */
  legalBasis: RecordedLegalBasis[];
  implementingDepartment: string;
  cooperatingDepartments: string[];
  /** How the calling department takes part: it applies the measure, or helps another apply it. */
  yourRole: 'implementing' | 'cooperating';
  /** In which role the checked subject is targeted: `subject` itself, or e.g. `legal-representative` of the listed organisation in `via`. */
  target: { role: string; via: { list: string; kind: string; id: string; name: string } | null };
  validFrom: string;
  validTo: string;
  disputed: boolean;
  explanation: {
    decisionId: string;
    memorandum: unknown;
    rule: unknown;
    ruleSetRevision: unknown;
  };
}

/** One association's sanctions about the subject still within their publicity period. */
export interface CheckedAssociationSanctions {
  association: { code: string; name: BilingualText | null };
  industry: string;
  sanctions: { sanction: AssociationSanction; reason: string; documentNumber: string; decidedOn: string; publicUntil: string }[];
}

/** The subject's self-discipline record (行业自律记录): industry associations' sanctions within their publicity period. */
export interface CheckedSelfDiscipline {
  counts: Record<AssociationSanction, number>;
  associations: CheckedAssociationSanctions[];
}

export interface CreditCheckResult {
  checkId: string;
  checkedAt: string;
  /** The China calendar date the check applies to: records in force on it count. */
  asOf: string;
  department: string;
  approvalItem: { code: string; name: BilingualText };
  subject: { id: string; idType: IdentifierType; kind: string | null; name: string | null };
  /**
   * False: nothing in force about the subject (无记录). For an organisation, held by any
   * department; for a natural person, only what the caller sees itself (its memberships and
   * measures), so that a person on file and an unknown one get the same answer.
   */
  record: boolean;
  outcome: CheckOutcome;
  listMemberships: CheckedListMembership[];
  measures: CheckedMeasure[];
  /**
   * Credit commitments (信用承诺): the caller's own still open for the subject, and the
   * subject's record (open, kept, broken) by every department for an organisation, by the
   * caller only for a natural person.
   */
  commitments: { open: CheckedCommitment[]; record: CommitmentRecord };
  /** The subject's class under each credit class model that classifies it (信用分类); a subject never seen gets the model's default, `basis: 'default'`. */
  creditClasses: CheckedCreditClass[];
  /**
   * An organisation's self-discipline record; null for a natural person, whose check shows only
   * what the caller itself holds (an association's sanction would tell a person on file from an unknown one).
   */
  selfDiscipline: CheckedSelfDiscipline | null;
}

/**
 * What a caller composing the check asks of its one audited statement besides the check: its own
 * audit endpoint, measures read beside the item's (for another question about the same subject),
 * and the subject's closed commitments.
 */
export interface CheckExtension {
  endpoint: AuditedEndpoint;
  alsoMeasures: readonly string[];
  commitmentHistory: boolean;
}

export interface ExtendedCheck {
  /** The check as GET /v1/subjects/{id}/check answers it (its measures: the item's only). */
  check: CreditCheckResult;
  /** The caller's measures in force among `alsoMeasures` (a measure in both lists is in both). */
  alsoMeasures: CheckedMeasure[];
  commitmentHistory: ClosedCommitmentRow[];
}

const PLAIN_CHECK: CheckExtension = { endpoint: CREDIT_CHECK_ENDPOINT, alsoMeasures: [], commitmentHistory: false };

/** An open commitment the calling department recorded for the subject. */
export interface CheckedCommitment {
  id: string;
  reference: string;
  approvalItem: { code: string; name: string };
  promise: string;
  /** The promised date, inclusive (China time). */
  dueOn: string;
  approval: { reference: string; grantedOn: string };
}

export interface CheckedCreditClass {
  model: { id: string; title: BilingualText; owner: string; version: string; revision: string };
  class: string;
  label: BilingualText;
  /** rule: the first rule that matched; otherwise: on record and no rule matched; default: nothing on record (the model's default class). */
  basis: 'rule' | 'otherwise' | 'default';
  rule: { name: string; description: BilingualText } | null;
  /** The facts the rule read, with their values (e.g. {"lists.black": 1}); empty otherwise. */
  matchedFacts: Record<string, unknown>;
  /** One line, in both languages: the class and why. */
  explanation: BilingualText;
  /** Since when the subject has had this class (ISO instant); null for the default. */
  since: string | null;
  /** The calling department's spot-check ratio and frequency for this class (信用分类监管, SUPERVISION_FILE); `planned: false` when its plan for the model lacks the class (stale); null only when it has no plan for the model. */
  supervision: ClassSupervisionOf;
}

/**
 * Credit check for approval systems (嵌入审批, 应查必查): in one call, which lists the subject
 * is on now, and which of the calling department's measures apply to it for this approval
 * item, with an outcome. Every check is logged before it is answered; a natural person's
 * needs the clerk and the purpose, and a burst of them by one user is refused.
 */
@Injectable()
export class CreditCheckService {
  private readonly logger = new Logger(CreditCheckService.name);
  readonly approvalItems: ApprovalItemCatalogue;
  /** Department names by code: the registry is fixed for the life of the process. */
  private readonly departmentNames: ReadonlyMap<string, BilingualText>;

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly records: SubjectRecordRepository,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: CreditCheckMetrics,
    private readonly classModels: CreditClassCatalogue,
    private readonly supervisionPlans: SupervisionPlans,
  ) {
    this.departmentNames = new Map(catalogue.departments.all().map((d) => [d.code, d.name]));
    // Refuses the boot on an unknown measure or department code: a check must never answer "clear" by a typo.
    this.approvalItems = loadApprovalItems(
      config.APPROVAL_ITEMS_FILE,
      catalogue.rules.ruleSet.memoranda,
      new Set(catalogue.departments.all().map((d) => d.code)),
    );
    const unmapped = this.approvalItems.unmapped(catalogue.rules.ruleSet.memoranda);
    this.logger.log(`${this.approvalItems.items.length} approval items; measures in no item: ${unmapped.join(', ') || 'none'}`);
  }

  async check(command: CreditCheckCommand): Promise<CreditCheckResult> {
    return (await this.checkWith(command, PLAIN_CHECK)).check;
  }

  /** The check with what `extension` adds, read and logged (under its endpoint) by the same one statement. */
  async checkWith(command: CreditCheckCommand, extension: CheckExtension): Promise<ExtendedCheck> {
    const item = this.approvalItem(command.approvalItem);
    const purpose = normalisePurpose(command.purpose);
    const userId = normaliseUserId(command.userId);
    const now = this.clock.now();
    const today = chinaDate(now);
    const subject = parseSubjectIdentifier(command.subject, command.idType, now);
    const naturalPerson = subject.idType === 'RESIDENT_ID';
    requireAccountability(item, naturalPerson, userId, purpose);
    // Reads and the audit row in one statement: the row is committed before this answer exists.
    const result = await this.records.checkAndLog({
      subject: { idType: subject.idType, id: subject.value },
      department: command.department,
      measureCodes: [...new Set([...item.measures, ...extension.alsoMeasures])],
      today,
      recordScope: naturalPerson ? 'caller' : 'platform',
      burstLimit: naturalPerson ? this.config.CHECK_DISTINCT_PERSONS_PER_MINUTE : null,
      burstEndpoints: PERSON_READ_ENDPOINTS,
      commitmentHistory: extension.commitmentHistory,
      audit: { at: now, userId, purpose, approvalItem: item.code, endpoint: extension.endpoint },
    });
    if (result.outcome === 'burst-refused') {
      this.metrics.burstRefused(command.department);
      // Neither the user nor the person: the audit rows of the department's last minute name them.
      this.logger.warn(`credit check refused: a user of ${command.department} already checked ${result.recentSubjects} other natural persons in the last minute`);
      const limit = this.config.CHECK_DISTINCT_PERSONS_PER_MINUTE;
      throw new CreditCheckError(
        'CHECK.BURST_REFUSED',
        `more than ${limit} distinct natural persons checked by one user within ${BURST_WINDOW_SECONDS} seconds; the check was refused and the burst reported`,
        { limit, windowSeconds: BURST_WINDOW_SECONDS, retryAfterSeconds: BURST_WINDOW_SECONDS },
      );
    }
    const { checkId, entries, openCommitments, commitmentRecord } = result;
    const itemMeasures = new Set(item.measures);
    const measures = result.measures.filter((m) => itemMeasures.has(m.measureCode));
    const alsoMeasures = new Set(extension.alsoMeasures);
    const subjectKind = entries[0]?.subjectKind ?? (naturalPerson ? 'individual' : null);
    const creditClasses = this.creditClasses(subject.idType, result.classes, subjectKind, naturalPerson ? command.department : null, command.department);
    // Read by the same audited statement; the registry in force says how long each association's sanctions are shown.
    const selfDiscipline = naturalPerson ? null : this.selfDisciplineOf(result.sanctions, today);
    const record = result.record || (selfDiscipline !== null && selfDiscipline.associations.length > 0);

    const check: CreditCheckResult = {
      checkId,
      checkedAt: now.toISOString(),
      asOf: today,
      department: command.department,
      approvalItem: { code: item.code, name: item.name },
      subject: {
        id: subject.value,
        idType: subject.idType,
        kind: entries[0]?.subjectKind ?? (subject.idType === 'RESIDENT_ID' ? 'individual' : null),
        name: entries[0]?.subjectName ?? measures[0]?.targetName ?? null,
      },
      record,
      outcome: checkOutcome(measures.map((m) => m.category)),
      listMemberships: entries.map((entry) => this.membership(entry)),
      measures: measures.map((measure) => toCheckedMeasure(measure, command.department)),
      commitments: {
        open: openCommitments.map((c) => ({
          id: c.id,
          reference: c.reference,
          approvalItem: { code: c.approvalItemCode, name: c.approvalItemName },
          promise: c.promise,
          dueOn: c.dueOn,
          approval: { reference: c.approvalReference, grantedOn: c.approvalGrantedOn },
        })),
        record: commitmentRecord,
      },
      creditClasses,
      selfDiscipline,
    };
    return {
      check,
      alsoMeasures: result.measures.filter((m) => alsoMeasures.has(m.measureCode)).map((measure) => toCheckedMeasure(measure, command.department)),
      commitmentHistory: result.commitmentHistory,
    };
  }

  private selfDisciplineOf(sanctions: readonly AssociationSanctionFact[], today: string): CheckedSelfDiscipline {
    const departments = this.catalogue.departments;
    const record = selfDisciplineRecordOf(sanctions, today, (code) => departments.sanctionPublicityMonths(code));
    return {
      counts: record.counts,
      associations: record.byAssociation.map((group) => ({
        association: { code: group.association, name: departments.has(group.association) ? departments.get(group.association).name : null },
        industry: group.industry,
        sanctions: group.sanctions.map(({ sanction, reason, documentNumber, decidedOn, publicUntil }) => ({ sanction, reason, documentNumber, decidedOn, publicUntil })),
      })),
    };
  }

  /**
   * The stored class under each model that classifies the subject, else the model's default. A
   * natural person's classes come only from the caller's own models: any other class would tell it
   * whether the person is on file (the `record` rule for persons).
   */
  private creditClasses(idType: string, rows: readonly CheckedClassRow[], kind: string | null, ownModelsOf: string | null, caller: string): CheckedCreditClass[] {
    const models = this.classModels.models.filter((m) => ownModelsOf === null || m.owner === ownModelsOf);
    return checkedCreditClasses(models, idType, rows, kind).map((checked) => ({ ...checked, supervision: this.supervisionPlans.classSupervision(caller, checked.model.id, checked.class) }));
  }

  private approvalItem(code: string | undefined): ApprovalItem {
    if (code === undefined || code === '') {
      throw new CreditCheckError('CHECK.MISSING_APPROVAL_ITEM', `approvalItem is required; known items: ${this.approvalItems.codes().join(', ')}`, {
        known: this.approvalItems.codes(),
      });
    }
    const item = this.approvalItems.get(code);
    if (!item) {
      throw new CreditCheckError('CHECK.UNKNOWN_APPROVAL_ITEM', `unknown approval item "${code.slice(0, 64)}"; known items: ${this.approvalItems.codes().join(', ')}`, {
        approvalItem: code.slice(0, 64),
        known: this.approvalItems.codes(),
      });
    }
    return item;
  }

  private membership(entry: ListEntryRow): CheckedListMembership {
    const list = this.catalogue.rules.ruleSet.list(entry.listCode);
    return {
      list: { code: entry.listCode, type: entry.listType, name: list?.name ?? null },
      memorandum: { id: entry.memorandumId, version: entry.memorandumVersion },
      identifyingDepartment: { code: entry.identifyingDepartment, name: this.departmentNames.get(entry.identifyingDepartment) ?? null },
      reason: entry.reason,
      documentNumber: entry.documentNumber,
      validFrom: entry.validFrom,
      validTo: entry.validTo,
      disputed: entry.disputed,
    };
  }
}

function toCheckedMeasure(row: CurrentMeasureRow, department: string): CheckedMeasure {
  const explanation = row.explanation;
  const via = row.targetRole !== 'subject' && row.listEntry ? { list: row.listEntry.listCode, kind: row.listEntry.subjectKind, id: row.listEntry.subjectId, name: row.listEntry.subjectName } : null;
  return {
    code: row.measureCode,
    category: row.category,
    text: row.text,
    legalBasis: row.legalBasis,
    implementingDepartment: row.implementingDepartment,
    cooperatingDepartments: row.cooperatingDepartments,
    yourRole: row.implementingDepartment === department ? 'implementing' : 'cooperating',
    target: { role: row.targetRole, via },
    validFrom: row.validFrom,
    validTo: row.validTo,
    // Its own flag or its list entry's: either way the subject objects to it.
    disputed: row.disputed || row.listEntry?.disputed === true,
    explanation: {
      decisionId: row.decisionId,
      memorandum: explanation.memorandum
        ? { id: explanation.memorandum.id, version: explanation.memorandum.version, documentNumber: explanation.memorandum.documentNumber }
        : { id: row.memorandumId },
      rule: explanation.rule ?? null,
      ruleSetRevision: explanation.ruleSetRevision ?? null,
    },
  };
}

/** A natural person's check names the clerk and the purpose (and an organisation's where the item says so). */
function requireAccountability(item: ApprovalItem, naturalPerson: boolean, userId: string | null, purpose: string | null): void {
  const missing = [
    ...(userId === null && isRequired(item.requireUserId, naturalPerson) ? ['X-User-Id'] : []),
    ...(purpose === null && isRequired(item.requirePurpose, naturalPerson) ? ['purpose'] : []),
  ];
  if (missing.length === 0) return;
  const whose = naturalPerson ? "a natural person's credit check" : `a credit check for "${item.code}"`;
  if (missing[0] === 'X-User-Id') {
    throw new CreditCheckError('CHECK.USER_ID_REQUIRED', `${whose} needs the X-User-Id header: the account of the clerk who checks`, { missing, approvalItem: item.code });
  }
  throw new CreditCheckError('CHECK.PURPOSE_REQUIRED', `${whose} needs a purpose (query parameter purpose): why this subject is checked, e.g. the application's file number`, {
    missing,
    approvalItem: item.code,
  });
}

function normalisePurpose(raw: string | undefined): string | null {
  const purpose = raw?.trim();
  if (!purpose) return null;
  // eslint-disable-next-line no-control-regex
  if (purpose.length > MAX_PURPOSE || /[\u0000-\u001f\u007f]/.test(purpose)) {
    throw new CreditCheckError('CHECK.BAD_PURPOSE', `purpose must be at most ${MAX_PURPOSE} printable characters`, { length: purpose.length });
  }
  return purpose;
}

/**
 * Validates a subject identifier as given in a URL, detecting its type. Both kinds can be 18
 * digits, so a mistyped resident ID can pass the USCC check (one chance in 31): a string shaped
 * like a resident ID, with a real division and birth date, is judged as one, and failing its
 * check character is an error, not a USCC. Otherwise the one type it is valid as wins; valid as
 * both (rare) or refused as both needs `idType`, or is reported by the type it resembles.
 */
export function parseSubjectIdentifier(raw: string, idType: string | undefined, today: Date): ValidatedIdentifier {
  if (idType !== undefined && idType !== '') {
    // validateIdentifier re-checks the type and throws SUBJECT.UNKNOWN_ID_TYPE for anything else.
    return validateIdentifier((isIdentifierType(idType) ? idType : idType.slice(0, 40)) as IdentifierType, raw, { today });
  }
  if (!RESIDENT_ID_SHAPE.test(raw.trim().toUpperCase())) {
    // Cannot be a resident ID (the person attempt would fail on length or characters, never on the check
    // character), so a valid USCC is the answer as below, without building and discarding that error.
    const asOrganisation = attempt('USCC', raw, today);
    if (!(asOrganisation instanceof Error)) return asOrganisation;
  }
  const asPerson = attempt('RESIDENT_ID', raw, today);
  const asOrganisation = attempt('USCC', raw, today);
  if (!(asPerson instanceof Error) && !(asOrganisation instanceof Error)) {
    throw new CreditCheckError('SUBJECT.AMBIGUOUS_ID_TYPE', 'the identifier is valid both as a resident identity number and as a unified social credit code; pass idType (RESIDENT_ID or USCC)', {
      idTypes: [...IDENTIFIER_TYPES],
    });
  }
  if (!(asPerson instanceof Error)) return asPerson;
  const shapedLikePerson = asPerson instanceof InvalidIdentifierError && asPerson.code === 'SUBJECT.BAD_CHECK_DIGIT';
  if (!(asOrganisation instanceof Error)) {
    if (!shapedLikePerson) return asOrganisation;
    throw new InvalidIdentifierError(asPerson.code, `${asPerson.message} If it is a unified social credit code, pass idType=USCC.`, { ...asPerson.context });
  }
  // Digits only (an optional final X): a person's number, perhaps of the wrong length; its error is masked.
  throw /^\d+X?$/i.test(raw.trim()) ? asPerson : asOrganisation;
}

function attempt(type: IdentifierType, raw: string, today: Date): ValidatedIdentifier | Error {
  try {
    return validateIdentifier(type, raw, { today });
  } catch (error) {
    return error as Error;
  }
}
