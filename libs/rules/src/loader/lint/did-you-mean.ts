import { distance } from 'fastest-levenshtein';

/**
 * The candidate a mistyped name most probably meant, or undefined when none is close: at most
 * a third of the longer name's characters edited (at least one; two swapped neighbours count as
 * one edit, as in Damerau-Levenshtein), case ignored, so "equl" finds "equal", "vaule" finds
 * "value" and "cort" finds "court", but "zzz" finds nothing.
 */
export function didYouMean(value: unknown, candidates: Iterable<string>): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const typed = value.toLowerCase();
  let best: { candidate: string; edits: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === value) continue;
    const edits = isAdjacentSwap(typed, candidate.toLowerCase()) ? 1 : distance(typed, candidate.toLowerCase());
    const tolerated = Math.max(1, Math.floor(Math.max(typed.length, candidate.length) / 3));
    if (edits <= tolerated && (!best || edits < best.edits)) best = { candidate, edits };
  }
  return best?.candidate;
}

/** Whether b is a with two neighbouring characters swapped. */
function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const at = [...a].findIndex((c, i) => c !== b[i]);
  return at >= 0 && at + 1 < a.length && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
}

/** `; did you mean "x"?` for a message, or nothing. */
export function meant(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
}

/** A value as a message quotes it: strings in double quotes, anything else as JSON. */
export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
