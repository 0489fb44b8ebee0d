import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ErrorKinds } from '@app/domain';
import { OUTCOME_CODES } from '@app/decision-log';
import { RULE_PROBLEM_CODES } from '@app/rules';
import { ERROR_FAMILIES, ERROR_KINDS, ERROR_STATUS, ErrorCode, httpStatusFor, isErrorCode, KIND_STATUS } from './error-status';

/** Codes of refusals and no-effect outcomes: told on feeds and by the event status API, never as an HTTP error. */
const OUTCOMES = new Set<string>(Object.values(OUTCOME_CODES));
/** Codes of one mistake in a rule file: listed inside a rule set's refusal and by rules:check, never an HTTP error. */
const RULE_PROBLEMS = new Set<string>(RULE_PROBLEM_CODES);

const ROOT = path.resolve(__dirname, '../../..');
const CODE_LITERAL = /['"`]([A-Z][A-Z]+\.[A-Z][A-Z_]*)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    // @app/rules/testing (seeded data, the Zen peer) runs in specs and the bench only, never behind a route.
    if (entry.isDirectory()) return entry.name === 'node_modules' || full === path.join(ROOT, 'libs/rules/src/testing') ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.(spec|e2e-spec)\.ts$/.test(entry.name) ? [full] : [];
  });
}

describe('error codes and their HTTP statuses', () => {
  it('gives every code written in the source its own status (none left to a prefix or to 500 by accident)', () => {
    const found = new Map<string, string>();
    for (const file of [...sourceFiles(path.join(ROOT, 'libs')), ...sourceFiles(path.join(ROOT, 'apps'))]) {
      for (const [, code] of readFileSync(file, 'utf8').matchAll(CODE_LITERAL)) if (!found.has(code)) found.set(code, path.relative(ROOT, file));
    }
    const unmapped = [...found].filter(([code]) => !(code in ERROR_STATUS) && !OUTCOMES.has(code) && !RULE_PROBLEMS.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(unmapped).toEqual([]);
    expect(found.size).toBeGreaterThan(40);
  });

  it('matches the README table, code by code', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Error codes'));
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z_.]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [code, Number(status)] as const);
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
    expect(rows.length).toBe(Object.keys(ERROR_STATUS).length);
  });

  it('gives each kind the status the README says', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Error codes'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)].map(([, kind, status]) => [kind, Number(status)] as const);
    expect(Object.fromEntries(rows)).toEqual(KIND_STATUS);
    expect(rows.length).toBe(Object.keys(KIND_STATUS).length);
  });

  it('lists every outcome code of feed records and the event status API in the README', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Outcome codes'), readme.indexOf('## ', readme.indexOf('### Outcome codes') + 4));
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z_.]+)` \| `([a-z.-]+)` \|/gm)].map(([, code]) => code);
    expect(new Set(rows)).toEqual(OUTCOMES);
  });

  it('gives every declared code a kind and its kind\'s status, a 500 only to the internal kind', () => {
    const codes = Object.keys(ERROR_KINDS) as ErrorCode[];
    for (const code of codes) {
      expect(Object.keys(KIND_STATUS)).toContain(ERROR_KINDS[code]);
      expect(httpStatusFor(code)).toBe(KIND_STATUS[ERROR_KINDS[code]]);
      expect(ERROR_STATUS[code]).toBe(httpStatusFor(code));
    }
    expect(Object.entries(KIND_STATUS).filter(([, status]) => status >= 500 && status !== 503).map(([kind]) => kind)).toEqual(['internal']);
    // A code is internal only when no caller can cause it: a refused configuration at start-up or an engine fault.
    expect(codes.filter((code) => httpStatusFor(code) === 500).sort()).toEqual([
      'CALENDAR.INVALID',
      'CHECK.INVALID_APPROVAL_ITEMS',
      'COORDINATION.INVALID_CRITERIA',
      'DEAD_LETTER.KEY_UNAVAILABLE',
      'DEAD_LETTER.UNREADABLE',
      'DEPARTMENT.INVALID_REGISTRY',
      'ENGINE.PROCESSING_FAILED',
      'EXCHANGE.INVALID_CONFIG',
      'INTERNAL',
      'REPORT.BAD_FONT',
      'RULES.EMPTY_SET',
      'RULES.ILLEGAL_MEASURE',
      'RULES.INCONSISTENT_SET',
      'RULES.INVALID_FILE',
      'SUPERVISION.INVALID_CONFIG',
    ]);
    expect(isErrorCode('EVENT.SOMETHING_NEW')).toBe(false);
  });

  it('gives a code declared by two families the same kind in both', () => {
    const kinds = new Map<string, Set<string>>();
    for (const family of Object.values(ERROR_FAMILIES)) {
      for (const [code, kind] of Object.entries(family)) kinds.set(code, (kinds.get(code) ?? new Set()).add(kind));
    }
    expect([...kinds].filter(([, found]) => found.size > 1)).toEqual([]);
    expect(kinds.size).toBe(Object.keys(ERROR_KINDS).length);
  });

  it('does not compile a family whose kind map misses a code, or names a kind that is none', () => {
    type Example = 'EXAMPLE.ONE' | 'EXAMPLE.TWO';
    // @ts-expect-error EXAMPLE.TWO has no kind
    const missing: ErrorKinds<Example> = { 'EXAMPLE.ONE': 'invalid' };
    // @ts-expect-error 'teapot' is not an ErrorKind
    const unknownKind: ErrorKinds<Example> = { 'EXAMPLE.ONE': 'invalid', 'EXAMPLE.TWO': 'teapot' };
    // @ts-expect-error a code outside the union is refused too
    const stray: ErrorKinds<Example> = { 'EXAMPLE.ONE': 'invalid', 'EXAMPLE.TWO': 'conflict', 'EXAMPLE.THREE': 'conflict' };
    // @ts-expect-error only declared codes have a status
    httpStatusFor('EXAMPLE.ONE');
    expect([missing, unknownKind, stray]).toHaveLength(3);
  });
});
