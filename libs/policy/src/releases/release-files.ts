import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTRUMENTS_FILE, isMemorandumFile, RuleContent } from '@app/rules';

/**
 * Write a release's files into `dir` in the layout of rules/ (one `<id>.json` a memorandum and
 * instruments.json), so the directory holds exactly the release: memorandum files it does not
 * hold are removed; its rule cases are written (those of memoranda it does not hold are left alone,
 * as are the schemas and other files).
 */
export function writeRuleContent(dir: string, content: RuleContent): { written: string[]; removed: string[] } {
  mkdirSync(dir, { recursive: true });
  const keep = new Set(Object.keys(content.memoranda));
  const removed = (existsSync(dir) ? readdirSync(dir) : []).filter((name) => isMemorandumFile(name) && !keep.has(name));
  for (const name of removed) rmSync(join(dir, name));
  for (const [name, text] of Object.entries(content.memoranda)) writeFileSync(join(dir, name), text);
  for (const [name, text] of Object.entries(content.cases ?? {})) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, INSTRUMENTS_FILE), content.instruments);
  return { written: [...Object.keys(content.memoranda), ...Object.keys(content.cases ?? {})].sort().concat(INSTRUMENTS_FILE), removed };
}
