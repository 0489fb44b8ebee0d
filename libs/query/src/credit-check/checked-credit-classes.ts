import type { CreditClassModel } from '@app/rules';
import { classesOfSubject, explainAssignment } from '@app/rules';
import type { CheckedClassRow } from '@app/persistence';

/**
 * The stored class under each of `models` that classifies the subject, else the model's default,
 * with its explanation: the one mapping of the credit check and the credit report (its
 * CheckedCreditClass; the type is inferred here so that this file does not import the service).
 */
export function checkedCreditClasses(models: readonly CreditClassModel[], idType: string, rows: readonly CheckedClassRow[], kind: string | null) {
  const stored = new Map(rows.map((row) => [row.modelId, row]));
  return classesOfSubject(models, idType, kind, stored).map(({ model, row, assignment }) => ({
    model: { id: model.id, title: model.title, owner: model.owner, version: row?.modelVersion ?? model.version, revision: row?.modelRevision ?? model.revision },
    class: assignment.class,
    label: assignment.label,
    basis: assignment.basis,
    rule: assignment.rule ? { name: assignment.rule.name, description: assignment.rule.description } : null,
    matchedFacts: assignment.rule?.matchedFacts ?? {},
    explanation: explainAssignment(assignment),
    since: row?.changedAt ?? null,
  }));
}
