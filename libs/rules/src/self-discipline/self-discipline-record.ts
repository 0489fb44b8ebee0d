import { ASSOCIATION_SANCTIONS, AssociationSanction, DEFAULT_SANCTION_PUBLICITY_MONTHS } from '@app/domain';
import { addDays, addMonths, addYears } from '../dates/calendar-days';
import { LEGAL_LIMITATION_YEARS } from '../planning/limitation';

/** One sanction an association published about a subject, as stored with its event. */
export interface AssociationSanctionFact {
  /** The association's registry code. */
  association: string;
  sanction: AssociationSanction;
  industry: string;
  reason: string;
  documentNumber: string;
  /** China calendar date, YYYY-MM-DD. */
  decidedOn: string;
  /** The day the sanctioned conduct ended, as the association stated it; the decision date otherwise (as for any conduct). */
  conductEndedOn?: string;
  eventId: string;
}

/** A sanction in a self-discipline record, with the last day it is shown. */
export interface RecordedSanction extends AssociationSanctionFact {
  /** The last day it is shown, inclusive: its publicity period's, or the five-year limit's if that ends first. */
  publicUntil: string;
}

/** Sanctions within their publicity period for one association. */
export interface AssociationSanctions {
  association: string;
  industry: string;
  sanctions: RecordedSanction[];
}

/**
 * A subject's self-discipline record (行业自律记录) on one day: the associations' sanctions still
 * within their publicity period, counted by kind (what a credit class reads) and grouped by
 * association (what a credit check shows).
 */
export interface SelfDisciplineRecord {
  asOf: string;
  counts: Record<AssociationSanction, number>;
  byAssociation: AssociationSanctions[];
}

/** Months each sanction of an association is shown; the defaults when the association is not known. */
export type SanctionPublicityMonths = (association: string) => Readonly<Record<AssociationSanction, number>>;

export const DEFAULT_PUBLICITY: SanctionPublicityMonths = () => DEFAULT_SANCTION_PUBLICITY_MONTHS;

/**
 * The last day a sanction is shown: `months` from its decision date, the end day inclusive (a
 * sanction of 2026-01-15 for 3 months is shown through 2026-04-14). Zero months: never shown.
 */
export function sanctionPublicUntil(decidedOn: string, months: number): string {
  return addDays(addMonths(decidedOn, months), -1);
}

/**
 * The last day a sanction may be shown or counted: the end of its publicity period, cut back to
 * the last usable day of the conduct's information (LEGAL_LIMITATION_YEARS from the conduct's end,
 * DOMAIN §4), as a list entry's valid_to never passes its limitation.
 */
export function sanctionShownUntil(fact: Pick<AssociationSanctionFact, 'decidedOn' | 'conductEndedOn'>, months: number): string {
  const publicity = sanctionPublicUntil(fact.decidedOn, months);
  const limitation = addYears(fact.conductEndedOn ?? fact.decidedOn, LEGAL_LIMITATION_YEARS);
  return publicity < limitation ? publicity : limitation;
}

export function selfDisciplineRecordOf(facts: readonly AssociationSanctionFact[], today: string, publicity: SanctionPublicityMonths = DEFAULT_PUBLICITY): SelfDisciplineRecord {
  const counts = Object.fromEntries(ASSOCIATION_SANCTIONS.map((kind) => [kind, 0])) as Record<AssociationSanction, number>;
  const byAssociation = new Map<string, AssociationSanctions>();
  const ordered = [...facts].sort((a, b) => a.association.localeCompare(b.association) || a.decidedOn.localeCompare(b.decidedOn) || a.eventId.localeCompare(b.eventId));
  for (const fact of ordered) {
    const publicUntil = sanctionShownUntil(fact, publicity(fact.association)[fact.sanction]);
    if (today < fact.decidedOn || today > publicUntil) continue;
    counts[fact.sanction] += 1;
    const group = byAssociation.get(fact.association) ?? { association: fact.association, industry: fact.industry, sanctions: [] };
    group.sanctions.push({ ...fact, publicUntil });
    byAssociation.set(fact.association, group);
  }
  return { asOf: today, counts, byAssociation: [...byAssociation.values()] };
}
