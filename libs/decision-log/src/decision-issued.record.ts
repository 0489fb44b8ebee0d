import { BilingualText, causeKeyOf, IdentifierType, SubjectKind, SubjectRef } from '@app/domain';
import { deterministicUuid, ListType, MeasureCategory, MeasureTarget, Memorandum, MemorandumKind, PlannedDecision, PlannedListEntry, PlannedMeasureTask, RecordedLegalBasis } from '@app/rules';
import type { FeedRecordEnvelope } from './feed-record-envelope';
import { departmentRole, DepartmentRole, OtherMeasures, summariseOthers } from './measure-summary';
import { DECISION_ISSUED_KIND, DECISION_RECORD_SCHEMA_VERSION, DecisionIssuedKind } from './record-kinds';
import { DecisionParties, identifyingDepartments, mayIdentify, subjectKeyFor } from './recipients';

/** A person as a record names them; `id` and `name` are left out for a natural person the department may not know (recipients.ts). */
export interface RecordSubject {
  kind: SubjectKind;
  idType: IdentifierType;
  id?: string;
  name?: string;
}

export interface IssuedListEntry {
  id: string;
  list: { code: string; type: ListType };
  subject: RecordSubject;
  reason: string | null;
  documentNumber: string;
  identifyingDepartment: string;
  validFrom: string;
  validTo: string;
  conductEndedOn: string | null;
  lastUsableOn: string | null;
  disputed: boolean;
}

export interface IssuedMeasure {
  taskId: string;
  code: string;
  category: MeasureCategory;
  text: BilingualText;
  yourRole: DepartmentRole;
  implementingDepartment: string;
  cooperatingDepartments: string[];
  target: SubjectRef & { role: MeasureTarget };
  legalBasis: RecordedLegalBasis[];
  validFrom: string;
  validTo: string;
  explanation: { rule: { name: string }; facts: Record<string, unknown> };
}

/**
 * The record a department receives about a decision, the same on the HTTP feed and on its
 * Kafka topic: the listing, the measures this department implements or cooperates in in full
 * (text, target, legal basis, validity, explanation) and the other signatories' as counts per
 * measure code.
 */
export interface DecisionIssuedRecord {
  schemaVersion: typeof DECISION_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: DecisionIssuedKind;
  department: string;
  decisionId: string;
  issuedAt: string;
  /** kind, documentNumber and title are absent only if the memorandum left the rule set between decision and publication. */
  memorandum: { id: string; version: string; kind?: MemorandumKind; documentNumber?: string; title?: BilingualText };
  ruleSetRevision: string;
  causeEvent: { id: string; source: string };
  listEntries: IssuedListEntry[];
  measures: IssuedMeasure[];
  otherMeasures: OtherMeasures[];
}

export type DecisionIssuedInput = FeedRecordEnvelope<DecisionIssuedRecord>;

/** What a decision.issued record says of its memorandum besides id and version, as the rule set gave it on the decision day. */
export type MemorandumHeading = Pick<Memorandum, 'kind' | 'documentNumber' | 'title'>;

/** The heading of a memorandum, copied: the decision keeps it, so a record rendered later names the memorandum as it was. */
export function memorandumHeading(memorandum: MemorandumHeading | undefined): MemorandumHeading | null {
  return memorandum ? { kind: memorandum.kind, documentNumber: memorandum.documentNumber, title: memorandum.title } : null;
}

/** The planned task as a decision.issued record reads it (a stored decision gives back these fields and no more). */
export type IssuableTask = Pick<
  PlannedMeasureTask,
  'id' | 'measureCode' | 'category' | 'text' | 'implementingDepartment' | 'cooperatingDepartments' | 'targetRole' | 'target' | 'legalBasis' | 'validFrom' | 'validTo'
> & { explanation: { rule: { name: string }; facts: Record<string, unknown> } };

export type IssuableListEntry = Pick<
  PlannedListEntry,
  'id' | 'listCode' | 'listType' | 'subject' | 'reason' | 'documentNumber' | 'identifyingDepartment' | 'validFrom' | 'validTo' | 'limitation'
>;

/** A decision as a decision.issued record reads it: the planned decision, or the stored one read back. */
export interface IssuableDecision extends Pick<PlannedDecision, 'id' | 'causeEventId' | 'causeEventSource' | 'memorandumId' | 'memorandumVersion' | 'ruleSetRevision' | 'addressees'> {
  listEntries: readonly IssuableListEntry[];
  measureTasks: readonly IssuableTask[];
}

/** How a decision.issued record is addressed, without its payload: what the feed index stores. */
export type DecisionIssuedEntry = Omit<DecisionIssuedInput, 'payload'>;

function partiesOf(decision: IssuableDecision): DecisionParties {
  return {
    identifying: identifyingDepartments(decision.causeEventSource, decision.listEntries.map((e) => e.identifyingDepartment)),
    tasks: decision.measureTasks.map((t) => ({ implementingDepartment: t.implementingDepartment, cooperatingDepartments: t.cooperatingDepartments, targetId: t.target.id })),
  };
}

function subjectOf(decision: IssuableDecision): SubjectRef | undefined {
  return decision.listEntries[0]?.subject ?? decision.measureTasks.find((t) => t.targetRole === 'subject')?.target;
}

/** The feed index entries of decisions: one per decision and addressee, in the order their records are read. */
export function decisionIssuedEntries(decisions: readonly IssuableDecision[]): DecisionIssuedEntry[] {
  return decisions.flatMap((decision) => {
    const parties = partiesOf(decision);
    const subject = subjectOf(decision);
    return decision.addressees.map((department) => ({
      recordId: deterministicUuid('feed-record', decision.id, department),
      department,
      kind: DECISION_ISSUED_KIND,
      decisionId: decision.id,
      subjectId: subjectKeyFor(department, subject, decision.id, parties),
      causeKey: causeKeyOf(decision.causeEventSource, decision.causeEventId),
    }));
  });
}

/** One decision.issued record per decision and addressee. */
export function decisionIssuedRecords(decisions: readonly IssuableDecision[], memoranda: ReadonlyMap<string, MemorandumHeading>, issuedAt: Date): DecisionIssuedInput[] {
  return decisions.flatMap((decision) => decision.addressees.map((department) => decisionIssuedRecord(decision, memoranda.get(decision.memorandumId), issuedAt, department)));
}

/**
 * The decision.issued record of one addressee: built when the engine decides, and again
 * whenever the feed or the relay renders a stored decision (the same inputs give the same record).
 */
export function decisionIssuedRecord(decision: IssuableDecision, memorandum: MemorandumHeading | undefined, issuedAt: Date, department: string): DecisionIssuedInput {
  const parties = partiesOf(decision);
  const recordId = deterministicUuid('feed-record', decision.id, department);
  const person = (p: SubjectRef): RecordSubject => (mayIdentify(department, p, parties) ? { kind: p.kind, idType: p.idType, id: p.id, name: p.name } : { kind: p.kind, idType: p.idType });
  return {
    recordId,
    department,
    kind: DECISION_ISSUED_KIND,
    decisionId: decision.id,
    subjectId: subjectKeyFor(department, subjectOf(decision), decision.id, parties),
    causeKey: causeKeyOf(decision.causeEventSource, decision.causeEventId),
    payload: {
      schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
      recordId,
      kind: DECISION_ISSUED_KIND,
      department,
      decisionId: decision.id,
      issuedAt: issuedAt.toISOString(),
      memorandum: {
        id: decision.memorandumId,
        version: decision.memorandumVersion,
        kind: memorandum?.kind,
        documentNumber: memorandum?.documentNumber,
        title: memorandum?.title,
      },
      ruleSetRevision: decision.ruleSetRevision,
      causeEvent: { id: decision.causeEventId, source: decision.causeEventSource },
      listEntries: decision.listEntries.map((entry) => ({
        id: entry.id,
        list: { code: entry.listCode, type: entry.listType },
        subject: person(entry.subject),
        reason: entry.reason,
        documentNumber: entry.documentNumber,
        identifyingDepartment: entry.identifyingDepartment,
        validFrom: entry.validFrom,
        validTo: entry.validTo,
        conductEndedOn: entry.limitation?.conductEndedOn ?? null,
        lastUsableOn: entry.limitation?.lastUsableOn ?? null,
        disputed: false,
      })),
      measures: decision.measureTasks.flatMap((task) => {
        const yourRole = departmentRole(task, department);
        if (!yourRole) return [];
        return [
          {
            taskId: task.id,
            code: task.measureCode,
            category: task.category,
            text: task.text,
            yourRole,
            implementingDepartment: task.implementingDepartment,
            cooperatingDepartments: task.cooperatingDepartments,
            target: { role: task.targetRole, ...task.target },
            legalBasis: task.legalBasis,
            validFrom: task.validFrom,
            validTo: task.validTo,
            // Memorandum and revision are the record's own; the full condition trace stays in the database.
            explanation: { rule: { name: task.explanation.rule.name }, facts: task.explanation.facts },
          },
        ];
      }),
      otherMeasures: summariseOthers(decision.measureTasks.filter((task) => !departmentRole(task, department))),
    },
  };
}
