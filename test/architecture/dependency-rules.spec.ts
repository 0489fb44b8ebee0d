import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * Architecture rules, checked on every import the TypeScript parser finds (import and
 * export-from declarations, `import x = require()`, dynamic `import()`, `require()` calls and
 * `import('x')` types), so comments and strings never count and nothing hides behind `require`.
 *
 * (a) libs/domain, libs/rules and libs/decision-log are pure: no framework, database, broker or
 *     HTTP packages and no infrastructure libraries.
 * (b) The pure libraries are layered domain < rules < decision-log: each imports only those to its left.
 * (c) Outside a library, its code is reached only through its barrel `@app/<lib>`: no relative
 *     paths into libs/<lib>, no `@app/<lib>/deep/path`. The one other entry, `@app/rules/testing`
 *     (seeded test data), may be imported only from bench/, test/ and spec files, and no other
 *     file of libs/rules reaches its folder, so no app ships it.
 * (d) apps/* do not import each other.
 * (f) The query side (libs/query) is reached only from apps, bench/, test/ and the HTTP edge's
 *     error table (which maps every family's codes): the engine and the infrastructure
 *     libraries never depend on what departments read.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'bench-results']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|cjs|mjs)$/;

/** In layer order (rule b). */
const PURE_LIBS = ['domain', 'rules', 'decision-log'];
const FORBIDDEN_IN_PURE_LIBS = ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'express', '@app/persistence', '@app/messaging', '@app/engine', '@app/http', '@app/config'];

/** Library files that may import @app/query, each for its reason. */
const QUERY_IMPORTERS: readonly string[] = [
  'libs/http/src/error-status.ts', // the one table of every error family's kinds
  'libs/http/src/domain-error.filter.spec.ts',
];

/** Entries of a library besides its barrel, for test code only: the alias, the folder it names, why it is separate. */
const TEST_ENTRIES: Array<{ specifier: string; dir: string; reason: string }> = [
  { specifier: '@app/rules/testing', dir: 'libs/rules/src/testing', reason: 'seeded events and rule-set variants for differential tests and benchmarks' },
];

/** Relative imports into a library's internals that are allowed on purpose, each with its reason. */
const DEEP_IMPORT_EXCEPTIONS: Array<{ file: string; target: string; reason: string }> = [
  {
    file: 'test/support/test-database.ts',
    target: 'libs/persistence/src/embedded-postgres.server',
    reason: "jest globalSetup runs outside moduleNameMapper, and the @app/persistence barrel pulls in Nest and TypeORM",
  },
  {
    file: 'test/support/kafka-broker.ts',
    target: 'libs/config/src/kafka-credentials',
    reason: 'jest globalSetup runs outside moduleNameMapper; the development principals and passwords are declared once, there',
  },
];

export type ImportKind = 'import' | 'export-from' | 'import-equals' | 'dynamic-import' | 'require' | 'import-type';

export interface ImportReference {
  specifier: string;
  line: number;
  kind: ImportKind;
}

export interface Violation {
  rule: 'a' | 'b' | 'c' | 'd' | 'f';
  file: string;
  line: number;
  specifier: string;
  message: string;
}

/** Every statically known module specifier in a source text. */
export function collectImports(fileName: string, text: string): ImportReference[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const found: ImportReference[] = [];
  const add = (node: ts.Node | undefined, kind: ImportKind) => {
    if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
      found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, kind });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, 'import');
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, 'export-from');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression, 'import-equals');
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic-import');
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0], 'require');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'import-type');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Rule violations of one file; `file` is relative to the repository root. */
export function checkFile(file: string, text: string): Violation[] {
  const from = toPosix(file);
  const owner = ownerOf(from);
  const violations: Violation[] = [];
  const report = (rule: Violation['rule'], ref: ImportReference, why: string) =>
    violations.push({ rule, file: from, line: ref.line, specifier: ref.specifier, message: `${from}:${ref.line} imports '${ref.specifier}': ${why}` });

  for (const ref of collectImports(file, text)) {
    const spec = ref.specifier;
    const target = resolveWithinRepo(from, spec);
    const targetOwner = target === undefined ? undefined : ownerOf(target);

    // (a) pure libraries
    if (owner?.kind === 'lib' && PURE_LIBS.includes(owner.name) && from.startsWith(`libs/${owner.name}/src/`)) {
      const banned = FORBIDDEN_IN_PURE_LIBS.find((pattern) => matchesPackage(spec, pattern));
      if (banned) report('a', ref, `libs/${owner.name} must stay free of framework and infrastructure code (${banned})`);
    }

    // (b) domain < rules < decision-log
    if (owner?.kind === 'lib' && PURE_LIBS.includes(owner.name)) {
      const above = PURE_LIBS.slice(PURE_LIBS.indexOf(owner.name) + 1).find((lib) => matchesPackage(spec, `@app/${lib}`) || (targetOwner?.kind === 'lib' && targetOwner.name === lib));
      if (above) report('b', ref, `libs/${owner.name} must not depend on libs/${above} (pure libraries are layered ${PURE_LIBS.join(' < ')})`);
    }

    // (c) libraries only through their barrel (test code also through a test entry)
    const testEntry = TEST_ENTRIES.find((entry) => spec === entry.specifier || (target !== undefined && isWithin(target, entry.dir)));
    const deepAlias = /^@app\/([^/]+)\/.+/.exec(spec);
    if (testEntry && !isTestCode(from) && !isWithin(from, testEntry.dir)) {
      report('c', ref, `'${testEntry.specifier}' (${testEntry.reason}) is for bench/, test/ and *.spec.ts files only`);
    } else if (testEntry && spec === testEntry.specifier) {
      // a test file using the test entry
    } else if (testEntry && targetOwner?.kind === 'lib' && !(owner?.kind === 'lib' && owner.name === targetOwner.name)) {
      report('c', ref, `reach ${testEntry.dir} through '${testEntry.specifier}', not by path`);
    } else if (deepAlias) {
      report('c', ref, `reach libs/${deepAlias[1]} through '@app/${deepAlias[1]}', not its internals`);
    } else if (targetOwner?.kind === 'lib' && !(owner?.kind === 'lib' && owner.name === targetOwner.name) && !isAllowedDeepImport(from, target!)) {
      report('c', ref, `reach libs/${targetOwner.name} through '@app/${targetOwner.name}', not by path`);
    }

    // (f) nothing below the apps depends on the query side
    if (owner?.kind === 'lib' && owner.name !== 'query' && (matchesPackage(spec, '@app/query') || (targetOwner?.kind === 'lib' && targetOwner.name === 'query')) && !QUERY_IMPORTERS.includes(from)) {
      report('f', ref, `libs/${owner.name} must not depend on libs/query (the query side is reached from apps only)`);
    }

    // (d) apps are independent
    if (owner?.kind === 'app' && targetOwner?.kind === 'app' && targetOwner.name !== owner.name) {
      report('d', ref, `apps/${owner.name} must not import apps/${targetOwner.name}`);
    }
  }
  return violations;
}

/** All checkable files of the repository, relative and POSIX-style. */
export function repositoryFiles(dir = REPO_ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...repositoryFiles(full));
    else if (entry.isFile() && SOURCE_FILE.test(entry.name)) files.push(toPosix(path.relative(REPO_ROOT, full)));
  }
  return files;
}

function matchesPackage(spec: string, pattern: string): boolean {
  if (pattern.endsWith('/*')) return spec.startsWith(pattern.slice(0, -1));
  return spec === pattern || spec.startsWith(`${pattern}/`);
}

/** Repository-relative target of a path-like specifier; undefined for packages and aliases. */
function resolveWithinRepo(from: string, spec: string): string | undefined {
  let target: string;
  if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') target = path.posix.join(path.posix.dirname(from), spec);
  else if (path.isAbsolute(spec)) target = toPosix(path.relative(REPO_ROOT, spec));
  else if (/^(libs|apps)\//.test(spec)) target = spec; // baseUrl-style
  else return undefined;
  return path.posix.normalize(target);
}

function ownerOf(file: string): { kind: 'lib' | 'app'; name: string } | undefined {
  const match = /^(libs|apps)\/([^/]+)(\/|$)/.exec(file);
  if (!match) return undefined;
  return { kind: match[1] === 'libs' ? 'lib' : 'app', name: match[2] };
}

/** Code that never ships in an app: the benchmarks, test/, and spec files anywhere. */
function isTestCode(file: string): boolean {
  return file.startsWith('bench/') || file.startsWith('test/') || /\.(e2e-)?spec\.ts$/.test(file);
}

function isWithin(file: string, dir: string): boolean {
  return file === dir || file.startsWith(`${dir}/`);
}

function isAllowedDeepImport(from: string, target: string): boolean {
  const bare = target.replace(/\.(ts|js)$/, '');
  return DEEP_IMPORT_EXCEPTIONS.some((exception) => exception.file === from && exception.target === bare);
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

describe('dependency rules: the checker itself', () => {
  it('finds every kind of import, and none in comments or strings', () => {
    const source = [
      "import { A } from 'mod-import';",
      "import type { B } from 'mod-import-type-only';",
      "import 'mod-side-effect';",
      "export { C } from 'mod-export';",
      "export * from 'mod-export-star';",
      "import D = require('mod-import-equals');",
      "const e = require('mod-require');",
      "async function f() { return import('mod-dynamic'); }",
      "type G = typeof import('mod-type');",
      "// import { X } from 'in-a-comment';",
      "const s = \"require('in-a-string')\";",
      'const t = `import("in-a-template")`;',
    ].join('\n');
    expect(collectImports('x.ts', source)).toEqual([
      { specifier: 'mod-import', line: 1, kind: 'import' },
      { specifier: 'mod-import-type-only', line: 2, kind: 'import' },
      { specifier: 'mod-side-effect', line: 3, kind: 'import' },
      { specifier: 'mod-export', line: 4, kind: 'export-from' },
      { specifier: 'mod-export-star', line: 5, kind: 'export-from' },
      { specifier: 'mod-import-equals', line: 6, kind: 'import-equals' },
      { specifier: 'mod-require', line: 7, kind: 'require' },
      { specifier: 'mod-dynamic', line: 8, kind: 'dynamic-import' },
      { specifier: 'mod-type', line: 9, kind: 'import-type' },
    ]);
  });

  it('flags infrastructure in libs/domain and libs/rules, and domain depending on rules (a, b)', () => {
    const source = [
      "import { Injectable } from '@nestjs/common';",
      "import { Entity } from 'typeorm';",
      "export { Kafka } from 'kafkajs';",
      "const { Pool } = require('pg');",
      "async function f() { await import('express'); }",
      "import { dataSourceOptions } from '@app/persistence';",
      "import type { AppConfig } from '@app/config';",
      "type M = typeof import('@app/messaging');",
      "import { Rules } from '@app/rules';",
      "import { IsString } from 'class-validator';",
      "import format from 'pg-format';",
      "import { Subject } from './subjects/subject';",
    ].join('\n');
    const domain = checkFile('libs/domain/src/example.ts', source);
    expect(domain.filter((v) => v.rule === 'a').map((v) => v.specifier)).toEqual([
      '@nestjs/common',
      'typeorm',
      'kafkajs',
      'pg',
      'express',
      '@app/persistence',
      '@app/config',
      '@app/messaging',
    ]);
    expect(domain.filter((v) => v.rule === 'b').map((v) => v.specifier)).toEqual(['@app/rules']);
    expect(domain[0].message).toBe("libs/domain/src/example.ts:1 imports '@nestjs/common': libs/domain must stay free of framework and infrastructure code (@nestjs/*)");

    const rules = checkFile('libs/rules/src/example.ts', source);
    expect(rules.filter((v) => v.rule === 'a')).toHaveLength(8);
    expect(rules.filter((v) => v.rule === 'b')).toEqual([]); // rules may use domain, and @app/rules is itself

    expect(checkFile('libs/persistence/src/example.ts', source)).toEqual([]); // infrastructure may
    expect(checkFile('libs/domain/src/x.ts', "import { Rule } from '../../rules/src/rule-set';").map((v) => v.rule)).toEqual(['b', 'c']);

    const log = "import { FeedRecord } from '@app/decision-log';";
    expect(checkFile('libs/rules/src/x.ts', log).map((v) => v.rule)).toEqual(['b']);
    expect(checkFile('libs/domain/src/x.ts', log).map((v) => v.rule)).toEqual(['b']);
    expect(checkFile('libs/decision-log/src/x.ts', [log, "import { Rules } from '@app/rules';", "import { Entity } from 'typeorm';"].join('\n')).map((v) => v.rule)).toEqual(['a']);
    expect(checkFile('libs/decision-log/src/x.ts', "import { FeedRepository } from '@app/persistence';").map((v) => v.rule)).toEqual(['a']);
  });

  it('flags library internals reached by path or deep alias, and apps importing apps (c, d)', () => {
    const source = [
      "import { CreditEvent } from '../../../libs/domain/src/events/credit-event';",
      "import { Domain } from '../../../libs/domain';",
      "import { Rules } from '@app/rules/rule-set';",
      "import { Ok } from '@app/domain';",
      "import { Main } from '../../query-api/src/main';",
      "import { Own } from './own-module';",
    ].join('\n');
    const violations = checkFile('apps/ingest-api/src/example.ts', source);
    expect(violations.map((v) => [v.rule, v.specifier])).toEqual([
      ['c', '../../../libs/domain/src/events/credit-event'],
      ['c', '../../../libs/domain'],
      ['c', '@app/rules/rule-set'],
      ['d', '../../query-api/src/main'],
    ]);
    expect(checkFile('test/e2e/x.ts', "import { Subject } from '../../libs/domain/src/subjects/subject';").map((v) => v.rule)).toEqual(['c']);
    expect(checkFile('libs/engine/src/x.ts', "import { Plan } from '../../rules/src/decision-plan';").map((v) => v.rule)).toEqual(['c']);
    expect(checkFile('libs/domain/src/events/x.ts', "import { Subject } from '../subjects/subject';")).toEqual([]); // within a library
    expect(checkFile('test/support/test-database.ts', "import { S } from '../../libs/persistence/src/embedded-postgres.server';")).toEqual([]); // allow-listed
    expect(checkFile('test/support/other.ts', "import { S } from '../../libs/persistence/src/embedded-postgres.server';")).toHaveLength(1);
  });

  it('allows @app/rules/testing from bench/, test/ and spec files only, and its folder from nothing else in libs/rules (c)', () => {
    const testing = "import { Prng } from '@app/rules/testing';";
    for (const file of ['bench/src/x.bench.ts', 'test/support/x.ts', 'test/e2e/x.e2e-spec.ts', 'libs/engine/src/x.spec.ts', 'apps/query-api/src/x.spec.ts']) {
      expect(checkFile(file, testing)).toEqual([]);
    }
    for (const file of ['apps/ingest-api/src/main.ts', 'libs/engine/src/x.ts', 'libs/rules/src/planning/x.ts']) {
      expect(checkFile(file, testing).map((v) => v.rule)).toEqual(['c']);
    }
    expect(checkFile('libs/engine/src/x.ts', testing)[0].message).toBe(
      "libs/engine/src/x.ts:1 imports '@app/rules/testing': '@app/rules/testing' (seeded events and rule-set variants for differential tests and benchmarks) is for bench/, test/ and *.spec.ts files only",
    );
    expect(checkFile('libs/rules/src/index.ts', "export * from './testing';").map((v) => v.rule)).toEqual(['c']);
    expect(checkFile('libs/rules/src/planning/x.ts', "import { Prng } from '../testing/credit-event.generator';").map((v) => v.rule)).toEqual(['c']);
    expect(checkFile('libs/rules/src/evaluation/compiled/x.spec.ts', "import { Prng } from '../../testing';")).toEqual([]);
    expect(checkFile('libs/rules/src/testing/index.ts', "export * from './credit-event.generator';")).toEqual([]);
    expect(checkFile('test/e2e/x.ts', "import { Prng } from '../../libs/rules/src/testing';").map((v) => v.message)).toEqual([
      "test/e2e/x.ts:1 imports '../../libs/rules/src/testing': reach libs/rules/src/testing through '@app/rules/testing', not by path",
    ]);
    expect(checkFile('bench/src/x.ts', "import { Prng } from '@app/rules/testing/credit-event.generator';").map((v) => v.rule)).toEqual(['c']);
  });

  it('flags a library below the apps reaching the query side (f)', () => {
    const query = "import { CreditCheckService } from '@app/query';";
    for (const file of ['libs/engine/src/lifecycle/x.ts', 'libs/messaging/src/x.ts', 'libs/persistence/src/x.ts', 'libs/http/src/x.ts']) {
      expect(checkFile(file, query).map((v) => v.rule)).toEqual(['f']);
    }
    expect(checkFile('libs/engine/src/x.ts', "import { X } from '../../query/src/feed/department-feed.service';").map((v) => v.rule).sort()).toEqual(['c', 'f']);
    for (const file of ['apps/query-api/src/x.controller.ts', 'test/integration/x.spec.ts', 'bench/src/x.ts', 'libs/http/src/error-status.ts', 'libs/query/src/x.ts']) {
      expect(checkFile(file, query)).toEqual([]);
    }
  });
});

describe('dependency rules: this repository', () => {
  const files = repositoryFiles();
  const violations = files.flatMap((file) => checkFile(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')));
  const messages = (rule: Violation['rule']) => violations.filter((v) => v.rule === rule).map((v) => v.message);

  it('scans the libraries (so the rules cannot pass vacuously)', () => {
    for (const lib of PURE_LIBS) expect(files.filter((file) => file.startsWith(`libs/${lib}/src/`)).length).toBeGreaterThan(0);
    expect(files).toContain('test/architecture/dependency-rules.spec.ts');
  });

  it('(a) libs/domain, libs/rules and libs/decision-log import no framework, database, broker or HTTP code', () => {
    expect(messages('a')).toEqual([]);
  });

  it('(b) libs/domain does not import libs/rules, and neither imports libs/decision-log', () => {
    expect(messages('b')).toEqual([]);
  });

  it('(c) code outside a library reaches it only through @app/<lib>', () => {
    expect(messages('c')).toEqual([]);
  });

  it('(d) apps do not import each other', () => {
    expect(messages('d')).toEqual([]);
  });

  it('(f) only apps reach the query side', () => {
    expect(files.filter((file) => file.startsWith('libs/query/src/')).length).toBeGreaterThan(0);
    expect(messages('f')).toEqual([]);
  });
});
