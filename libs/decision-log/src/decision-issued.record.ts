import { causeKeyOf, IdentifierType, SubjectKind, SubjectRef } from '@app/domain';
import { deterministicUuid, ListType, MeasureCategory, MeasureTarget, Memorandum, MemorandumKind, PlannedDecision, PlannedListEntry, PlannedMeasureTask } from '@app/rules';
import type { FeedRecordEnvelope } from './feed-record-envelope';
import { CanonicalMeasureTerms, measureTermsOf, MeasureTermsRef } from './measure-terms';
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
  reason: string | null;
  documentNumber: string;
  identifyingDepartment: string;
  validFrom: string;
  validTo: string;
  conductEndedOn: string | null;
  lastUsableOn: string | null;
  disputed: boolean;
}

/** Who a measure applies to: the record's subject, or a related natural person named in the event. */
export type MeasureTargetRef = { role: 'subject' } | (SubjectRef & { role: Exclude<MeasureTarget, 'subject'> });

export interface IssuedMeasure {
  taskId: string;
  code: string;
  category: MeasureCategory;
  /** What the measure says and rests on (memorandum, wording, legal basis as of the decision day): GET /v1/measure-terms/{terms}. */
  terms: MeasureTermsRef;
  yourRole: DepartmentRole;
  implementingDepartment: string;
  cooperatingDepartments: string[];
  target: MeasureTargetRef;
  validFrom: string;
  validTo: string;
  /** The rule that decided it; what it read of the event is the record's `facts`. */
  rule: string;
}

/**
 * The record a department receives about a decision, the same on the HTTP feed and on its
 * Kafka topic: the subject and its listing, the measures this department implements or
 * cooperates in (one per target, their terms by reference), what the rules behind them read
 * of the event, and the other signatories' measures as counts per measure code.
 */
export interface DecisionIssuedRecord {
  schemaVersion: typeof DECISION_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: DecisionIssuedKind;
  department: string;
  decisionId: string;
  issuedAt: string;
  /** kind and documentNumber are absent only if the memorandum left the rule set between decision and publication. */
  memorandum: { id: string; version: string; kind?: MemorandumKind; documentNumber?: string };
  ruleSetRevision: string;
  /** The release that decided; null when the rule set came from the rules/ files. */
  ruleSetRelease: number | null;
  causeEvent: { id: string; source: string };
  /** Absent only if the decision neither lists the subject nor applies a measure to it. */
  subject?: RecordSubject;
  listEntries: IssuedListEntry[];
  measures: IssuedMeasure[];
  /** The facts of the cause event the rules behind this department's measures read, as they read them; empty without measures. */
  facts: Record<string, unknown>;
  otherMeasures: OtherMeasures;
}

export type DecisionIssuedInput = FeedRecordEnvelope<DecisionIssuedRecord>;

/** What a decision.issued record says of its memorandum besides id and version, as the rule set gave it on the decision day. */
export type MemorandumHeading = Pick<Memorandum, 'kind' | 'documentNumber' | 'title'>;

/** The heading of a memorandum, copied: the decision keeps it, so a record rendered later names the memorandum as it was. */
export function memorandumHeading(memorandum: MemorandumHeading | undefined): MemorandumHeading | null {
  return memorandum ? { kind: memorandum.kind, documentNumber: memorandum.documentNumber, title: memorandum.title } : null;
}

/** A measure task as a decision.issued record reads it: the planned task with its terms by reference (what the stored decision keeps). */
export type IssuableTask = Pick<PlannedMeasureTask, 'id' | 'measureCode' | 'category' | 'implementingDepartment' | 'cooperatingDepartments' | 'targetRole' | 'target' | 'validFrom' | 'validTo'> & {
  terms: MeasureTermsRef;
  rule: string;
};

export type IssuableListEntry = Pick<
  PlannedListEntry,
  'id' | 'listCode' | 'listType' | 'subject' | 'reason' | 'documentNumber' | 'identifyingDepartment' | 'validFrom' | 'validTo' | 'limitation'
>;

/** A decision as a decision.issued record reads it: the planned decision (issuableDecision), or the stored one read back. */
export interface IssuableDecision extends Pick<PlannedDecision, 'id' | 'causeEventId' | 'causeEventSource' | 'memorandumId' | 'memorandumVersion' | 'ruleSetRevision' | 'addressees'> {
  /** Absent on decisions stored before releases existed. */
  ruleSetRelease?: number | null;
  listEntries: readonly IssuableListEntry[];
  measureTasks: readonly IssuableTask[];
  /** What each rule read of the event, by rule name. */
  facts: Readonly<Record<string, Record<string, unknown>>>;
}

/** A planned decision and the terms of its measures: what the engine stores, and what its records are rendered from. */
export interface IssuableWithTerms {
  decision: IssuableDecision;
  terms: CanonicalMeasureTerms[];
}

/**
 * Terms already built, by what determines them: the rule-set revision (the content hash of rules/,
 * so of every memorandum's heading, wording and category and of the instrument catalogue), the
 * memorandum, the measure and the citations in force that day. Hashing ≈ 1.5 KB of canonical text
 * per task was ≈ 3 % of the engine's CPU; a few dozen distinct terms stand behind all tasks.
 */
const TERMS_MEMO_LIMIT = 4096;
const termsMemo = new Map<string, CanonicalMeasureTerms>();

function termsOfTask(decision: PlannedDecision, task: PlannedMeasureTask, memorandum: MemorandumHeading | undefined): CanonicalMeasureTerms {
  const key = [decision.ruleSetRevision, decision.memorandumId, decision.memorandumVersion, memorandum ? 'h' : '-', task.measureCode, ...task.legalBasis.map((b) => `${b.instrument.id}@${b.instrument.version}#${b.article}`)].join('\u001f');
  let terms = termsMemo.get(key);
  if (!terms) {
    terms = measureTermsOf(task, { id: decision.memorandumId, version: decision.memorandumVersion, ...memorandum });
    if (termsMemo.size >= TERMS_MEMO_LIMIT) termsMemo.clear();
    termsMemo.set(key, terms);
  }
  return terms;
}

/** The planned decision as records read it, and its measures' terms (one per distinct wording and basis). */
export function issuableDecision(decision: PlannedDecision, memorandum: MemorandumHeading | undefined): IssuableWithTerms {
  const terms = new Map<string, CanonicalMeasureTerms>();
  const facts: Record<string, Record<string, unknown>> = {};
  const measureTasks = decision.measureTasks.map((task): IssuableTask => {
    const canonical = termsOfTask(decision, task, memorandum);
    terms.set(canonical.ref, canonical);
    facts[task.explanation.rule.name] = task.explanation.facts;
    return {
      id: task.id,
      measureCode: task.measureCode,
      category: task.category,
      implementingDepartment: task.implementingDepartment,
      cooperatingDepartments: task.cooperatingDepartments,
      targetRole: task.targetRole,
      target: task.target,
      validFrom: task.validFrom,
      validTo: task.validTo,
      terms: canonical.ref,
      rule: task.explanation.rule.name,
    };
  });
  return { decision: { ...decision, measureTasks, facts }, terms: [...terms.values()] };
}

/** How a decision.issued record is addressed, without its payload: what the feed index stores. */
export type DecisionIssuedEntry = Omit<DecisionIssuedInput, 'payload'>;

/** What addressing a decision's records needs: who receives it, who identified it, who acts on whom. */
export interface AddressableDecision extends Pick<PlannedDecision, 'id' | 'causeEventId' | 'causeEventSource' | 'addressees'> {
  listEntries: readonly Pick<IssuableListEntry, 'identifyingDepartment' | 'subject'>[];
  measureTasks: readonly Pick<IssuableTask, 'implementingDepartment' | 'cooperatingDepartments' | 'targetRole' | 'target'>[];
}

function partiesOf(decision: AddressableDecision): DecisionParties {
  return {
    identifying: identifyingDepartments(decision.causeEventSource, decision.listEntries.map((e) => e.identifyingDepartment)),
    tasks: decision.measureTasks.map((t) => ({ implementingDepartment: t.implementingDepartment, cooperatingDepartments: t.cooperatingDepartments, targetId: t.target.id })),
  };
}

function subjectOf(decision: AddressableDecision): SubjectRef | undefined {
  return decision.listEntries[0]?.subject ?? decision.measureTasks.find((t) => t.targetRole === 'subject')?.target;
}

/** The feed index entries of decisions: one per decision and addressee, in the order their records are read. */
export function decisionIssuedEntries(decisions: readonly AddressableDecision[]): DecisionIssuedEntry[] {
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

/** One decision.issued record per planned decision and addressee (tests and benchmarks; the engine renders stored decisions). */
export function decisionIssuedRecords(decisions: readonly PlannedDecision[], memoranda: ReadonlyMap<string, MemorandumHeading>, issuedAt: Date): DecisionIssuedInput[] {
  return decisions.flatMap((planned) => {
    const memorandum = memoranda.get(planned.memorandumId);
    const { decision } = issuableDecision(planned, memorandum);
    return decision.addressees.map((department) => decisionIssuedRecord(decision, memorandum, issuedAt, department));
  });
}

/**
 * The decision.issued record of one addressee: built when the engine decides, and again
 * whenever the feed or the relay renders a stored decision (the same inputs give the same record).
 */
export function decisionIssuedRecord(decision: IssuableDecision, memorandum: MemorandumHeading | undefined, issuedAt: Date, department: string): DecisionIssuedInput {
  const parties = partiesOf(decision);
  const recordId = deterministicUuid('feed-record', decision.id, department);
  const subject = subjectOf(decision);
  const own = decision.measureTasks.flatMap((task) => {
    const yourRole = departmentRole(task, department);
    return yourRole ? [{ task, yourRole }] : [];
  });
  const person = (p: SubjectRef): RecordSubject => (mayIdentify(department, p, parties) ? { kind: p.kind, idType: p.idType, id: p.id, name: p.name } : { kind: p.kind, idType: p.idType });
  return {
    recordId,
    department,
    kind: DECISION_ISSUED_KIND,
    decisionId: decision.id,
    subjectId: subjectKeyFor(department, subject, decision.id, parties),
    causeKey: causeKeyOf(decision.causeEventSource, decision.causeEventId),
    payload: {
      schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
      recordId,
      kind: DECISION_ISSUED_KIND,
      department,
      decisionId: decision.id,
      issuedAt: issuedAt.toISOString(),
      memorandum: { id: decision.memorandumId, version: decision.memorandumVersion, kind: memorandum?.kind, documentNumber: memorandum?.documentNumber },
      ruleSetRevision: decision.ruleSetRevision,
      ruleSetRelease: decision.ruleSetRelease ?? null,
      causeEvent: { id: decision.causeEventId, source: decision.causeEventSource },
      subject: subject && person(subject),
      listEntries: decision.listEntries.map((entry) => ({
        id: entry.id,
        list: { code: entry.listCode, type: entry.listType },
        reason: entry.reason,
        documentNumber: entry.documentNumber,
        identifyingDepartment: entry.identifyingDepartment,
        validFrom: entry.validFrom,
        validTo: entry.validTo,
        conductEndedOn: entry.limitation?.conductEndedOn ?? null,
        lastUsableOn: entry.limitation?.lastUsableOn ?? null,
        disputed: false,
      })),
      measures: own.map(({ task, yourRole }) => ({
        taskId: task.id,
        code: task.measureCode,
        category: task.category,
        terms: task.terms,
        yourRole,
        implementingDepartment: task.implementingDepartment,
        cooperatingDepartments: task.cooperatingDepartments,
        target: task.targetRole === 'subject' ? { role: 'subject' as const } : { role: task.targetRole, ...task.target },
        validFrom: task.validFrom,
        validTo: task.validTo,
        rule: task.rule,
      })),
      facts: Object.assign({}, ...[...new Set(own.map(({ task }) => task.rule))].map((rule) => decision.facts[rule])) as Record<string, unknown>,
      otherMeasures: summariseOthers(decision.measureTasks.filter((task) => !departmentRole(task, department))),
    },
  };
}
