/** Keys whose value is a subject reference (`{ id, … }`) in every answer and feed record the engine gives. */
const SUBJECT_OBJECT_KEYS = new Set(['subject', 'target', 'via']);
/** Keys whose value is a subject's identifier (`subjectId`) or a list of them (`subjects`, an audit row's own). */
const SUBJECT_ID_KEYS = new Set(['subjectId']);
const SUBJECT_LIST_KEYS = new Set(['subjects']);

/**
 * The full identifiers of every subject an answer names, sorted and distinct: what its audit
 * row records as read. Computed from the answer itself rather than from the rows behind it, so
 * whatever a record kind puts under `subject`, `target` (a measure's target, the related person
 * included), `via` (the organisation a related person's measure stems from) or `subjectId`
 * is counted, in decision, lifecycle and refusal records, task views and audit pages alike.
 */
export function subjectsNamedIn(answer: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key: string | undefined): void => {
    if (Array.isArray(value)) {
      if (key !== undefined && SUBJECT_LIST_KEYS.has(key)) {
        for (const item of value) if (typeof item === 'string' && item !== '') found.add(item);
        return;
      }
      for (const item of value) visit(item, undefined);
      return;
    }
    if (typeof value === 'string') {
      if (key !== undefined && SUBJECT_ID_KEYS.has(key) && value !== '') found.add(value);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (key !== undefined && SUBJECT_OBJECT_KEYS.has(key) && typeof record.id === 'string' && record.id !== '') found.add(record.id);
    for (const [childKey, child] of Object.entries(record)) visit(child, childKey);
  };
  visit(answer, undefined);
  return [...found].sort();
}
