import type { CreditReport } from './credit-report.model';

/** How many items each section of a report holds. */
export interface ReportSectionCounts {
  creditClasses: number;
  listMemberships: number;
  commendations: number;
  measures: number;
  penalties: number;
  commitments: number;
  selfDisciplineSanctions: number;
  objectionsAndRepairs: number;
}

/**
 * What a verifier compares with a paper or re-saved copy, whose bytes no longer hash to the issued
 * ones: the sections' counts, and for an organisation (whose list memberships are public under
 * 双公示) the credit classes, the list codes and the entries' document numbers as printed. A
 * natural person's summary is the counts only: nothing the public may not see of the person.
 */
export interface ReportContentSummary {
  counts: ReportSectionCounts;
  /** `model id: class` as printed; null for a natural person. */
  creditClasses: { model: string; class: string }[] | null;
  /** The lists of the memberships and commendations, in the report's order; null for a natural person. */
  listCodes: string[] | null;
  /** The list entries' document numbers (memberships, then commendations); null for a natural person. */
  documentNumbers: string[] | null;
}

export function reportContentSummary(report: CreditReport): ReportContentSummary {
  const counts: ReportSectionCounts = {
    creditClasses: report.creditClasses.length,
    listMemberships: report.listMemberships.length,
    commendations: report.commendations.length,
    measures: report.measures.length,
    penalties: report.penalties.length,
    commitments: report.commitments.items.length,
    selfDisciplineSanctions: report.selfDiscipline.sanctions.length,
    objectionsAndRepairs: report.objectionsAndRepairs.length,
  };
  if (report.subject.idType === 'RESIDENT_ID') return { counts, creditClasses: null, listCodes: null, documentNumbers: null };
  const entries = [...report.listMemberships, ...report.commendations];
  return {
    counts,
    creditClasses: report.creditClasses.map((c) => ({ model: c.model.id, class: c.class })),
    listCodes: entries.map((e) => e.list.code),
    documentNumbers: entries.map((e) => e.documentNumber),
  };
}
