import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { INSTRUMENTS_FILE, INSTRUMENTS_SCHEMA_FILE, isRuleCaseFileName, MEMORANDUM_SCHEMA_FILE, readRuleFiles, ruleCaseFileName, RuleSources, ruleSourcesRevision } from './rule-set-loader';

/**
 * A rule set as text, independent of where it is kept: every memorandum file by name and the
 * instrument catalogue, and the rule cases that show what they decide. What a release stores and
 * exports; the same memoranda and catalogue give the same revision as the files in rules/ would
 * (the cases decide nothing, so they are not part of it).
 */
export interface RuleContent {
  memoranda: Record<string, string>;
  instruments: string;
  /**
   * `<id>.cases.json` → its text, for memoranda of this content: a policy change and the cases
   * that show it travel together. A memorandum without one here is checked by its cases in rules/
   * (releases made before cases were kept have none).
   */
  cases?: Record<string, string>;
}

/** The memoranda, catalogue and rule cases of a rules directory (the schemas stay with the code). */
export function readRuleContent(rulesDir: string): RuleContent {
  const sources = readRuleFiles(rulesDir);
  const memoranda = Object.fromEntries(sources.memoranda.map((f) => [basename(f.file), f.content]));
  const cases = Object.fromEntries(
    readdirSync(rulesDir)
      .filter((name) => isRuleCaseFileName(name) && memoranda[name.replace(/\.cases\.json$/, '.json')] !== undefined)
      .sort()
      .map((name) => [name, readFileSync(join(rulesDir, name), 'utf8')]),
  );
  return { memoranda, instruments: sources.instruments.content, ...(Object.keys(cases).length > 0 ? { cases } : {}) };
}


/** The revision a rule set of this content has: equal revisions, equal content. */
export function ruleContentRevision(content: RuleContent): string {
  return ruleSourcesRevision({ memoranda: Object.entries(content.memoranda).map(([file, text]) => ({ file, content: text })), instruments: { file: INSTRUMENTS_FILE, content: content.instruments } });
}

/** The sources of a rule set held as content, validated against the schemas of `rulesDir`. */
export function ruleSourcesOf(content: RuleContent, rulesDir: string): RuleSources {
  return {
    memoranda: Object.keys(content.memoranda)
      .sort()
      .map((file) => ({ file, content: content.memoranda[file] })),
    instruments: { file: INSTRUMENTS_FILE, content: content.instruments },
    schemas: {
      memorandum: schema(rulesDir, MEMORANDUM_SCHEMA_FILE),
      instruments: schema(rulesDir, INSTRUMENTS_SCHEMA_FILE),
    },
  };
}

// One object per schema file: the loader caches its compiled validator by object identity.
const schemas = new Map<string, object>();
function schema(rulesDir: string, name: string): object {
  const file = join(rulesDir, name);
  let parsed = schemas.get(file);
  if (!parsed) schemas.set(file, (parsed = JSON.parse(readFileSync(file, 'utf8')) as object));
  return parsed;
}

/**
 * The content with its rule cases: two contents with the same fingerprint decide alike and are
 * shown by the same cases. A change to the cases alone is a change to submit (a new case that
 * covers an overlap), though it leaves the revision decisions cite as it is.
 */
export function ruleContentFingerprint(content: RuleContent): string {
  const cases = Object.keys(content.cases ?? {})
    .sort()
    .map((file) => [file, content.cases![file]]);
  return `${ruleContentRevision(content)}+cases:${createHash('sha256').update(JSON.stringify(cases)).digest('hex').slice(0, 16)}`;
}

/**
 * The content with one memorandum's file in place of its own (and its rule cases, when given):
 * a draft as the editor holds it, laid over the rule set it was opened on.
 */
export function withMemorandumFile(content: RuleContent, file: string, text: string, cases?: string): RuleContent {
  const withCases = cases === undefined ? content.cases : { ...content.cases, [ruleCaseFileName(file.replace(/\.json$/, ''))]: cases };
  return { ...content, memoranda: { ...content.memoranda, [file]: text }, ...(withCases ? { cases: withCases } : {}) };
}
