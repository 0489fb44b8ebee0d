import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { OUTCOME_CODES } from '@app/decision-log';
import { ERROR_STATUS, httpStatusFor } from './error-status';

/** Codes of refusals and no-effect outcomes: told on feeds and by the event status API, never as an HTTP error. */
const OUTCOMES = new Set<string>(Object.values(OUTCOME_CODES));

const ROOT = path.resolve(__dirname, '../../..');
const CODE_LITERAL = /['"`]([A-Z][A-Z]+\.[A-Z][A-Z_]*)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.(spec|e2e-spec)\.ts$/.test(entry.name) ? [full] : [];
  });
}

describe('error codes and their HTTP statuses', () => {
  it('gives every code written in the source its own status (none left to a prefix or to 500 by accident)', () => {
    const found = new Map<string, string>();
    for (const file of [...sourceFiles(path.join(ROOT, 'libs')), ...sourceFiles(path.join(ROOT, 'apps'))]) {
      for (const [, code] of readFileSync(file, 'utf8').matchAll(CODE_LITERAL)) if (!found.has(code)) found.set(code, path.relative(ROOT, file));
    }
    const unmapped = [...found].filter(([code]) => !(code in ERROR_STATUS) && !OUTCOMES.has(code)).map(([code, file]) => `${code} (${file})`);
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

  it('lists every outcome code of feed records and the event status API in the README', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Outcome codes'), readme.indexOf('## ', readme.indexOf('### Outcome codes') + 4));
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z_.]+)` \| `([a-z.-]+)` \|/gm)].map(([, code]) => code);
    expect(new Set(rows)).toEqual(OUTCOMES);
  });

  it('makes an unlisted code under a prefix callers can cause a 4xx, and any other a 500', () => {
    expect(httpStatusFor('EVENT.SOMETHING_NEW')).toBe(422);
    expect(httpStatusFor('REQUEST.SOMETHING_NEW')).toBe(400);
    expect(httpStatusFor('CHECK.SOMETHING_NEW')).toBe(400);
    expect(httpStatusFor('DEPARTMENT.SOMETHING_NEW')).toBe(403);
    expect(httpStatusFor('NOPE.SOMETHING')).toBe(500);
    expect(httpStatusFor('INTERNAL')).toBe(500);
  });
});
