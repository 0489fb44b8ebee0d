import type { RuleContent } from '../loader/rule-content';

/** What changed in one memorandum file: its measures (by code), its rules (by name) and its other top-level fields. */
export interface MemorandumDiff {
  file: string;
  fields: string[];
  measures: ItemsDiff;
  rules: ItemsDiff;
}

export interface ItemsDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Between two rule contents, by memorandum file, and the instrument catalogue by instrument id. */
export interface RuleContentDiff {
  memoranda: { added: string[]; removed: string[]; changed: MemorandumDiff[] };
  instruments: ItemsDiff;
  /** Rule-case files (`<id>.cases.json`) added, removed or changed: an approver sees cases rewritten with the rules. */
  cases: ItemsDiff;
}

/**
 * The difference between two rule contents as a policy officer reads it. Files are compared by
 * their parsed content, so re-indenting a file is no change; a file that does not parse is
 * "changed" as a whole (content of a release was validated, so only a directory could hold one).
 */
export function diffRuleContent(from: RuleContent, to: RuleContent): RuleContentDiff {
  const before = Object.keys(from.memoranda);
  const after = Object.keys(to.memoranda);
  const changed: MemorandumDiff[] = [];
  for (const file of after.filter((f) => from.memoranda[f] !== undefined).sort()) {
    const diff = diffMemorandum(file, parse(from.memoranda[file]), parse(to.memoranda[file]));
    if (diff) changed.push(diff);
  }
  return {
    memoranda: { added: after.filter((f) => from.memoranda[f] === undefined).sort(), removed: before.filter((f) => to.memoranda[f] === undefined).sort(), changed },
    instruments: diffItems(listOf(parse(from.instruments), 'instruments'), listOf(parse(to.instruments), 'instruments'), 'id'),
    cases: diffFiles(from.cases ?? {}, to.cases ?? {}),
  };
}

function diffFiles(from: Record<string, string>, to: Record<string, string>): ItemsDiff {
  const names = (files: Record<string, string>) => Object.keys(files).sort();
  return {
    added: names(to).filter((f) => from[f] === undefined),
    removed: names(from).filter((f) => to[f] === undefined),
    changed: names(to).filter((f) => from[f] !== undefined && canonical(parse(from[f])) !== canonical(parse(to[f]))),
  };
}

/** Whether a diff finds nothing changed. */
export function isEmptyDiff(diff: RuleContentDiff): boolean {
  const none = (d: ItemsDiff) => d.added.length + d.removed.length + d.changed.length === 0;
  return diff.memoranda.added.length + diff.memoranda.removed.length + diff.memoranda.changed.length === 0 && none(diff.instruments) && none(diff.cases);
}

function diffMemorandum(file: string, from: unknown, to: unknown): MemorandumDiff | undefined {
  if (canonical(from) === canonical(to)) return undefined;
  const a = (isObject(from) ? from : {}) as Record<string, unknown>;
  const b = (isObject(to) ? to : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => key !== 'measures' && key !== 'rules' && canonical(a[key]) !== canonical(b[key])).sort();
  return { file, fields, measures: diffItems(listOf(a, 'measures'), listOf(b, 'measures'), 'code'), rules: diffItems(listOf(a, 'rules'), listOf(b, 'rules'), 'name') };
}

function diffItems(from: unknown[], to: unknown[], key: string): ItemsDiff {
  const byKey = (items: unknown[]) => new Map(items.filter(isObject).map((item) => [String((item as Record<string, unknown>)[key]), item]));
  const a = byKey(from);
  const b = byKey(to);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()].filter((k) => a.has(k) && canonical(a.get(k)) !== canonical(b.get(k))).sort(),
  };
}

function listOf(value: unknown, field: string): unknown[] {
  const list = isObject(value) ? (value as Record<string, unknown>)[field] : undefined;
  return Array.isArray(list) ? list : [];
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { unparsable: text };
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted: equal for equal content whatever the key order or layout. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isObject(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v)) ?? 'undefined';
}
