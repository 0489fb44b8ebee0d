import { addDays, AssociationSanctionFact, SanctionPublicityMonths, selfDisciplineRecordOf } from '@app/rules';

/** The class facts of a subject's self-discipline record, and the day after the first of its sanctions stops being shown. */
export interface SelfDisciplineStanding {
  facts: { 'selfDiscipline.condemnations': number; 'selfDiscipline.criticisms': number; 'selfDiscipline.warnings': number };
  /** When the facts next change by time alone (null: no sanction shown). */
  nextChangeOn: string | null;
}

/**
 * Industry associations' sanctions (行业自律) as class rules count them: those shown on `today`,
 * within each association's publicity months and the five-year limit, as the credit check shows them.
 */
export function selfDisciplineStanding(sanctions: readonly AssociationSanctionFact[], today: string, publicity: SanctionPublicityMonths): SelfDisciplineStanding {
  const record = selfDisciplineRecordOf(sanctions, today, publicity);
  const ends = record.byAssociation.flatMap((a) => a.sanctions.map((s) => addDays(s.publicUntil, 1))).sort();
  return {
    facts: {
      'selfDiscipline.condemnations': record.counts['public-condemnation'],
      'selfDiscipline.criticisms': record.counts['circulated-criticism'],
      'selfDiscipline.warnings': record.counts.warning,
    },
    nextChangeOn: ends[0] ?? null,
  };
}
