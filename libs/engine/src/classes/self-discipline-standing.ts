import { addDays, AssociationSanctionFact, SanctionPublicityMonths, sanctionShownUntil, selfDisciplineRecordOf } from '@app/rules';

/** The class facts of a subject's self-discipline record, and the first day one of its sanctions starts or stops being shown. */
export interface SelfDisciplineStanding {
  facts: { 'selfDiscipline.condemnations': number; 'selfDiscipline.criticisms': number; 'selfDiscipline.warnings': number };
  /** When the facts next change by time alone (null: no sanction shown or to be shown). */
  nextChangeOn: string | null;
}

/**
 * Industry associations' sanctions (行业自律) as class rules count them: those shown on `today`,
 * within each association's publicity months and the five-year limit, as the credit check shows them.
 * `sanctions` may include some decided for a later day: not counted, but the day one is shown is a change.
 */
export function selfDisciplineStanding(sanctions: readonly AssociationSanctionFact[], today: string, publicity: SanctionPublicityMonths): SelfDisciplineStanding {
  const record = selfDisciplineRecordOf(sanctions, today, publicity);
  const ends = record.byAssociation.flatMap((a) => a.sanctions.map((s) => addDays(s.publicUntil, 1)));
  // A sanction decided for a later day is shown from that day (if ever: zero months, or past the limit, never).
  const starts = sanctions.filter((s) => s.decidedOn > today && sanctionShownUntil(s, publicity(s.association)[s.sanction]) >= s.decidedOn).map((s) => s.decidedOn);
  const changes = [...ends, ...starts].sort();
  return {
    facts: {
      'selfDiscipline.condemnations': record.counts['public-condemnation'],
      'selfDiscipline.criticisms': record.counts['circulated-criticism'],
      'selfDiscipline.warnings': record.counts.warning,
    },
    nextChangeOn: changes[0] ?? null,
  };
}
