import { PlannedDecision } from './decision-plan';

/**
 * What makes two decisions one finding: the same memorandum, about the same subject, on the same
 * document (判决书、处罚决定书 number). The same conduct can reach the engine by two routes — a
 * district court's listing relayed by the district and the city's own copy of it — as two events
 * with different identities; the document number is what they share, so it is what is decided once.
 */
export interface ConductKey {
  memorandumId: string;
  subjectId: string;
  documentNumber: string;
}

/** The conduct a decision is about, or undefined when it names neither a list entry nor a measure on the subject. */
export function conductKeyOf(decision: PlannedDecision): ConductKey | undefined {
  const entry = decision.listEntries[0];
  if (entry) return { memorandumId: decision.memorandumId, subjectId: entry.subject.id, documentNumber: entry.documentNumber };
  const onSubject = decision.measureTasks.find((t) => t.targetRole === 'subject') ?? decision.measureTasks[0];
  if (onSubject) return { memorandumId: decision.memorandumId, subjectId: onSubject.target.id, documentNumber: onSubject.documentNumber };
  return undefined;
}

/** One string per conduct, for maps and for the advisory lock that serialises deciding it. */
export function conductKeyText(key: ConductKey): string {
  return JSON.stringify([key.memorandumId, key.subjectId, key.documentNumber]);
}

/**
 * The decisions of a run that come first for their conduct, and the later ones that repeat a conduct
 * decided earlier in the same run (kept in run order: the first to arrive is the one decided).
 */
export function splitRepeatedConduct(decisions: readonly PlannedDecision[]): { first: PlannedDecision[]; repeated: { decision: PlannedDecision; original: PlannedDecision }[] } {
  const seen = new Map<string, PlannedDecision>();
  const first: PlannedDecision[] = [];
  const repeated: { decision: PlannedDecision; original: PlannedDecision }[] = [];
  for (const decision of decisions) {
    const key = conductKeyOf(decision);
    if (!key) {
      first.push(decision);
      continue;
    }
    const text = conductKeyText(key);
    const original = seen.get(text);
    // The same event decided twice is one decision with one id, not a repetition.
    if (original && original.id !== decision.id) repeated.push({ decision, original });
    else {
      seen.set(text, decision);
      first.push(decision);
    }
  }
  return { first, repeated };
}
