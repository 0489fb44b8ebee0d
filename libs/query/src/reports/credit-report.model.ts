import type { AssociationSanction, BilingualText } from '@app/domain';
import { departmentOf } from '@app/domain';
import type { CheckedClassRow, CommitmentRow, CurrentMeasureRow, ListEntryRow, ObjectionOrRepairRow, PenaltyInPublicityRow, SubjectIdentityRow } from '@app/persistence';
import type { AssociationSanctionFact, CreditClassModel, RecordedLegalBasis, SanctionPublicityMonths } from '@app/rules';
import { selfDisciplineRecordOf } from '@app/rules';
import { checkedCreditClasses } from '../credit-check/checked-credit-classes';
import type { CheckedCreditClass } from '../credit-check/credit-check.service';
import { sha256Hex } from './report-identifiers';

/** What a report is for (六(一): records and reports used first in these matters), with the title it carries. */
export const REPORT_USES = {
  'government-procurement': { zh: '政府采购', en: 'Government procurement' },
  tendering: { zh: '招标投标', en: 'Tendering and bidding' },
  'major-project': { zh: '重大项目', en: 'Major project' },
  construction: { zh: '工程建设', en: 'Construction' },
  'administrative-licensing': { zh: '行政许可', en: 'Administrative licensing' },
  'fiscal-funds': { zh: '财政资金支持', en: 'Fiscal funds and subsidies' },
  'honours-review': { zh: '评先评优', en: 'Honours and commendations' },
} as const satisfies Record<string, BilingualText>;
export type ReportUse = keyof typeof REPORT_USES;
export const REPORT_USE_CODES = Object.keys(REPORT_USES) as ReportUse[];

export const CREDIT_REPORT_SCHEMA_VERSION = 1;

/** A department (or association) as a report names it. */
export interface ReportDepartment {
  code: string;
  name: BilingualText | null;
}

/** A list entry in force: a blacklist or key-attention membership, or a commendation (red list). */
export interface ReportListEntry {
  list: { code: string; type: string; name: BilingualText | null };
  /** The memorandum the listing is decided under: its legal basis as a document. */
  memorandum: { id: string; version: string; title: BilingualText | null; documentNumber: string | null };
  identifyingDepartment: ReportDepartment;
  reason: string | null;
  documentNumber: string;
  validFrom: string;
  validTo: string;
  disputed: boolean;
}

export interface ReportMeasure {
  code: string;
  category: string;
  text: BilingualText;
  implementingDepartment: ReportDepartment;
  targetRole: string;
  /** The organisation's list entry a related person's measure stems from. */
  via: { list: string; subjectId: string; subjectName: string } | null;
  legalBasis: RecordedLegalBasis[];
  memorandum: { id: string; documentNumber: string | null };
  validFrom: string;
  validTo: string;
  disputed: boolean;
}

export interface ReportPenalty {
  department: ReportDepartment;
  penaltyType: string;
  severity: string;
  reason: string;
  documentNumber: string;
  decidedOn: string;
  fineAmountYuan: number | null;
  /** The last day it is published (its measures in force). */
  publicUntil: string;
  legalBasis: RecordedLegalBasis[];
  disputed: boolean;
}

/** A breach whose decision was taken back (repair, removal, an upheld objection) is not in a report at all: it is no longer published. */
export type ReportCommitmentState = 'open' | 'kept' | 'broken';

export interface ReportCommitment {
  department: ReportDepartment;
  reference: string;
  approvalItem: { code: string; name: string };
  promise: string;
  dueOn: string;
  approval: { reference: string; grantedOn: string };
  state: ReportCommitmentState;
  closedOn: string | null;
  /** How it was broken: reported by the department, or not kept by its date. */
  breachKind: 'reported' | 'overdue' | null;
  evidenceReference: string | null;
  /** Kept after all: an automatic breach its department corrected (kept in time, reported late). */
  corrected: boolean;
}

export interface ReportSanction {
  association: ReportDepartment;
  industry: string;
  sanction: AssociationSanction;
  reason: string;
  documentNumber: string;
  decidedOn: string;
  publicUntil: string;
}

export type ObjectionOrRepairKind = 'objection-filed' | 'objection-resolved' | 'repair-approved';

export interface ReportObjectionOrRepair {
  kind: ObjectionOrRepairKind;
  department: ReportDepartment;
  documentNumber: string;
  decidedOn: string;
  /** What it concerned: a list, one penalty decision, or one decision of the engine. */
  target: { listCode: string | null; penaltyDocumentNumber: string | null; decisionId: string | null };
  objectionId: string | null;
  /** An objection's decision: the entry confirmed or revoked. */
  resolution: 'confirmed' | 'revoked' | null;
  /** What the lifecycle did with it. */
  effect: 'applied' | 'refused' | 'no-effect' | null;
}

/**
 * One credit report (信用报告), as issued: everything it shows, collected from one snapshot of
 * the records as of its issue. Rendered to HTML and PDF from this alone, and stored with them.
 */
export interface CreditReport {
  schemaVersion: typeof CREDIT_REPORT_SCHEMA_VERSION;
  number: string;
  /** ISO instant; asOf is its China date, the day the records are read for. */
  issuedAt: string;
  asOf: string;
  use: { code: ReportUse; name: BilingualText };
  purpose: string;
  issuingDepartment: ReportDepartment;
  subject: { idType: string; id: string; kind: string | null; name: string | null };
  /** Where a third party verifies the report, with its number and the verification code given with it. */
  verification: { url: string };
  /** As the credit check answers them, without a caller's supervision plan (a report is for third parties). */
  creditClasses: Omit<CheckedCreditClass, 'supervision'>[];
  listMemberships: ReportListEntry[];
  commendations: ReportListEntry[];
  measures: ReportMeasure[];
  penalties: ReportPenalty[];
  commitments: { record: { open: number; kept: number; broken: number }; items: ReportCommitment[] };
  selfDiscipline: { counts: Record<AssociationSanction, number>; sanctions: ReportSanction[] };
  objectionsAndRepairs: ReportObjectionOrRepair[];
}

/** The records of one subject, read in one snapshot. */
export interface ReportFacts {
  identity: SubjectIdentityRow;
  classes: readonly CheckedClassRow[];
  entries: readonly ListEntryRow[];
  measures: readonly CurrentMeasureRow[];
  penalties: readonly PenaltyInPublicityRow[];
  commitments: readonly CommitmentRow[];
  sanctions: readonly AssociationSanctionFact[];
  objectionsAndRepairs: readonly ObjectionOrRepairRow[];
}

/** The catalogue a report names things by: departments, lists, memoranda, class models, associations' publicity. */
export interface ReportCatalogue {
  departmentName(code: string): BilingualText | null;
  list(code: string): { name: BilingualText } | undefined;
  memorandum(id: string): { title: BilingualText; documentNumber: string } | undefined;
  classModels: readonly CreditClassModel[];
  sanctionPublicity: SanctionPublicityMonths;
}

export interface ReportHeader {
  number: string;
  issuedAt: Date;
  asOf: string;
  use: ReportUse;
  purpose: string;
  department: string;
  subject: { idType: string; id: string };
  verifyUrl: string;
}

const LIFECYCLE_KINDS: Record<ObjectionOrRepairRow['type'], ObjectionOrRepairKind> = {
  'credit.objection.filed.v1': 'objection-filed',
  'credit.objection.resolved.v1': 'objection-resolved',
  'credit.repair.approved.v1': 'repair-approved',
};

/** The report from the facts: pure, so the same facts always make the same report. */
export function buildCreditReport(header: ReportHeader, facts: ReportFacts, catalogue: ReportCatalogue): CreditReport {
  const department = (code: string): ReportDepartment => ({ code, name: catalogue.departmentName(code) });
  const naturalPerson = header.subject.idType === 'RESIDENT_ID';
  const kind = facts.identity.kind ?? (naturalPerson ? 'individual' : null);
  const entry = (row: ListEntryRow): ReportListEntry => {
    const memorandum = catalogue.memorandum(row.memorandumId);
    return {
      list: { code: row.listCode, type: row.listType, name: catalogue.list(row.listCode)?.name ?? null },
      memorandum: { id: row.memorandumId, version: row.memorandumVersion, title: memorandum?.title ?? null, documentNumber: memorandum?.documentNumber ?? null },
      identifyingDepartment: department(row.identifyingDepartment),
      reason: row.reason,
      documentNumber: row.documentNumber,
      validFrom: row.validFrom,
      validTo: row.validTo,
      disputed: row.disputed,
    };
  };
  const record = selfDisciplineRecordOf(facts.sanctions, header.asOf, catalogue.sanctionPublicity);
  const commitments = facts.commitments.map((c): ReportCommitment => ({
    department: department(c.department),
    reference: c.reference,
    approvalItem: { code: c.approvalItemCode, name: c.approvalItemName },
    promise: c.promise,
    dueOn: c.dueOn,
    approval: { reference: c.approvalReference, grantedOn: c.approvalGrantedOn },
    state: c.state === 'breached' ? 'broken' : c.state,
    closedOn: c.closedOn,
    breachKind: c.breachKind,
    evidenceReference: c.evidenceReference,
    corrected: c.correctedAt !== null,
  }));
  return {
    schemaVersion: CREDIT_REPORT_SCHEMA_VERSION,
    number: header.number,
    issuedAt: header.issuedAt.toISOString(),
    asOf: header.asOf,
    use: { code: header.use, name: REPORT_USES[header.use] },
    purpose: header.purpose,
    issuingDepartment: department(header.department),
    subject: { idType: header.subject.idType, id: header.subject.id, kind, name: facts.identity.name },
    verification: { url: `${header.verifyUrl}/${header.number}` },
    creditClasses: checkedCreditClasses(catalogue.classModels, header.subject.idType, facts.classes, kind),
    listMemberships: facts.entries.filter((e) => e.listType !== 'red').map(entry),
    commendations: facts.entries.filter((e) => e.listType === 'red').map(entry),
    measures: facts.measures.map((m) => ({
      code: m.measureCode,
      category: m.category,
      text: m.text,
      implementingDepartment: department(m.implementingDepartment),
      targetRole: m.targetRole,
      via: m.targetRole !== 'subject' && m.listEntry ? { list: m.listEntry.listCode, subjectId: m.listEntry.subjectId, subjectName: m.listEntry.subjectName } : null,
      legalBasis: m.legalBasis,
      memorandum: { id: m.memorandumId, documentNumber: m.explanation.memorandum?.documentNumber ?? catalogue.memorandum(m.memorandumId)?.documentNumber ?? null },
      validFrom: m.validFrom,
      validTo: m.validTo,
      disputed: m.disputed || m.listEntry?.disputed === true,
    })),
    penalties: facts.penalties.map((p) => ({
      department: department(departmentOf(p.source) ?? p.source),
      penaltyType: p.penaltyType,
      severity: p.severity,
      reason: p.reason,
      documentNumber: p.documentNumber,
      decidedOn: p.decidedOn,
      fineAmountYuan: p.fineAmountYuan,
      publicUntil: p.publicUntil,
      legalBasis: distinctBasis(p.legalBasis),
      disputed: p.disputed,
    })),
    commitments: {
      record: {
        open: commitments.filter((c) => c.state === 'open').length,
        kept: commitments.filter((c) => c.state === 'kept').length,
        broken: commitments.filter((c) => c.state === 'broken').length,
      },
      items: commitments,
    },
    selfDiscipline: {
      counts: record.counts,
      sanctions: record.byAssociation.flatMap((group) =>
        group.sanctions.map((s) => ({
          association: department(group.association),
          industry: group.industry,
          sanction: s.sanction,
          reason: s.reason,
          documentNumber: s.documentNumber,
          decidedOn: s.decidedOn,
          publicUntil: s.publicUntil,
        })),
      ),
    },
    objectionsAndRepairs: facts.objectionsAndRepairs.map((o) => ({
      kind: LIFECYCLE_KINDS[o.type],
      department: department(departmentOf(o.source) ?? o.source),
      documentNumber: o.data.documentNumber,
      decidedOn: o.data.decidedOn,
      target: { listCode: o.data.listCode, penaltyDocumentNumber: o.data.penaltyDocumentNumber, decisionId: o.data.decisionId },
      objectionId: o.data.objectionId,
      resolution: o.data.outcome,
      effect: isEffect(o.outcome?.status) ? o.outcome.status : null,
    })),
  };
}

function isEffect(status: string | undefined): status is 'applied' | 'refused' | 'no-effect' {
  return status === 'applied' || status === 'refused' || status === 'no-effect';
}

/** One citation of each instrument article, in the order first cited. */
function distinctBasis(basis: readonly RecordedLegalBasis[]): RecordedLegalBasis[] {
  const seen = new Map<string, RecordedLegalBasis>();
  for (const b of basis) {
    const key = `${b.instrument?.id ?? JSON.stringify(b)}|${b.article}`;
    if (!seen.has(key)) seen.set(key, b);
  }
  return [...seen.values()];
}

/**
 * The report's content hash: SHA-256 of its model as canonical JSON (keys sorted). Printed on the
 * report and answered by the verification, so the content can be checked apart from its rendering.
 */
export function contentSha256(report: CreditReport): string {
  return sha256Hex(canonicalJson(report));
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
