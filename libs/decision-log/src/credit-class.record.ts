import type { BilingualText } from '@app/domain';
import { CreditClassAssignment, CreditClassBasis, deterministicUuid } from '@app/rules';
import type { FeedRecordEnvelope } from './feed-record-envelope';
import { CREDIT_CLASS_CHANGED_KIND, CREDIT_CLASS_RECORD_SCHEMA_VERSION, CreditClassChangedKind } from './record-kinds';

/**
 * A subject's class changed under a model: what it was, what it is, and why (the rule and the
 * facts it read), for a department to adjust its supervision. Only organisations: a natural
 * person's class is stored and answered in checks, never broadcast.
 */
export interface CreditClassChangedRecord {
  schemaVersion: typeof CREDIT_CLASS_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: CreditClassChangedKind;
  department: string;
  subjectId: string;
  subjectKind: string;
  model: { id: string; version: string; revision: string };
  previousClass: string;
  /** `default` when the subject had no class before (the model's default class). */
  previousBasis: CreditClassBasis;
  class: string;
  label: BilingualText;
  basis: Exclude<CreditClassBasis, 'default'>;
  rule: { name: string; description: BilingualText } | null;
  /** The facts the rule that gave the class read, with their values (empty for `otherwise`). */
  matchedFacts: Record<string, unknown>;
  /** China date the standing was read on. */
  asOf: string;
  occurredAt: string;
  causeKey: string;
}

export type CreditClassChangedInput = FeedRecordEnvelope<CreditClassChangedRecord>;

/** One record per department the model names, with an id fixed by the change (a redone transaction writes the same). */
export function creditClassChangedRecords(
  change: { subject: { kind: string; id: string }; previous: { class: string; basis: CreditClassBasis }; assignment: CreditClassAssignment; asOf: string; causeKey: string },
  departments: readonly string[],
  at: Date,
): CreditClassChangedInput[] {
  const { assignment, subject } = change;
  const series = deterministicUuid('credit-class', assignment.model.id, subject.id);
  return departments.map((department) => {
    const recordId = deterministicUuid('credit-class-changed', assignment.model.id, subject.id, change.causeKey, department, assignment.class);
    return {
      recordId,
      department,
      kind: CREDIT_CLASS_CHANGED_KIND,
      decisionId: series,
      subjectId: subject.id,
      causeKey: change.causeKey,
      payload: {
        schemaVersion: CREDIT_CLASS_RECORD_SCHEMA_VERSION,
        recordId,
        kind: CREDIT_CLASS_CHANGED_KIND,
        department,
        subjectId: subject.id,
        subjectKind: subject.kind,
        model: assignment.model,
        previousClass: change.previous.class,
        previousBasis: change.previous.basis,
        class: assignment.class,
        label: assignment.label,
        basis: assignment.basis as Exclude<CreditClassBasis, 'default'>,
        rule: assignment.rule ? { name: assignment.rule.name, description: assignment.rule.description } : null,
        matchedFacts: assignment.rule?.matchedFacts ?? {},
        asOf: change.asOf,
        occurredAt: at.toISOString(),
        causeKey: change.causeKey,
      },
    };
  });
}
