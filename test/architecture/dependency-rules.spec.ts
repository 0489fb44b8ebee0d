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
 * (b) The libraries are layered, and an import points only at a library to its left:
 *     domain < rules < decision-log < persistence < {engine, messaging} < {query, exchange} < {policy, workbench}. engine and
 *     messaging never import each other, so nothing below the apps reaches the query side (the
 *     former rule f). libs/http, the HTTP edge, imports libs/domain only (the apps bind what it
 *     reads from the engine), and no library imports it but libs/policy, whose module brings its
 *     own controllers (the console's backend). libs/config is imported by anyone and
 *     imports no library.
 * (c) Outside a library, its code is reached only through its barrel `@app/<lib>`: no relative
 *     paths into libs/<lib>, no `@app/<lib>/deep/path`. The one other entry, `@app/rules/testing`
 *     (seeded test data), may be imported only from bench/, test/ and spec files, and no other
 *     file of libs/rules reaches its folder, so no app ships it.
 * (d) apps/* do not import each other.
 * (e) Inside a library, neither its files nor its folders import each other in a cycle
 *     (dependency-cruiser's no-circular, on files and on the folders that hold them).
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'bench-results']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|cjs|mjs)$/;

/** In layer order (rule b). */
const PURE_LIBS = ['domain', 'rules', 'decision-log'];
const FORBIDDEN_IN_PURE_LIBS = ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'express', '@app/persistence', '@app/messaging', '@app/engine', '@app/http', '@app/config'];

/** Rule (b): a library imports only libraries of a lower rank; equal ranks never import each other. */
const LIBRARY_RANK: Readonly<Record<string, number>> = { domain: 0, rules: 1, 'decision-log': 2, persistence: 3, engine: 4, messaging: 4, query: 5, exchange: 5, policy: 6, workbench: 6 };
/** Imported by anyone, importing no library. */
const CONFIG_LIB = 'config';
/** The HTTP edge: imports libs/domain (and config) only; only apps import it, and the libraries that host controllers. */
const EDGE_LIB = 'http';
/** Libraries whose modules bring their own controllers (the console's backend, hosted by an app), and so use the HTTP edge. */
const CONTROLLER_LIBS = ['policy'];

/**
 * Files of the HTTP edge that may import other libraries, each for its reason; `names`, when
 * given, is what they may take (named imports only).
 */
const EDGE_EXCEPTIONS: Array<{ file: string; names?: RegExp; reason: string }> = [
  {
    file: 'libs/http/src/error-status.ts',
    names: /^[A-Z][A-Z_]*_ERROR_KINDS$/,
    reason: "the one typed code → status table needs every family's code union, and only the apps sit above all families (they share no code)",
  },
  { file: 'libs/http/src/error-status.spec.ts', reason: "checks the README's error table against the outcome codes of libs/decision-log" },
  { file: 'libs/http/src/domain-error.filter.spec.ts', reason: "a query family's refusal (CHECK.BURST_REFUSED) carries the Retry-After the filter sets" },
];

/** Import cycles inside a library left on purpose (rule e), as the sorted members of the cycle, each with its reason. */
const CYCLE_EXCEPTIONS: Array<{ members: string[]; reason: string }> = [
  {
    members: ['app-config.ts', 'kafka-credentials.ts'],
    reason: 'type-only one way: the Kafka checks take the AppConfig they validate, and AppConfig runs them while it is validated',
  },
  {
    members: ['loader/instrument-catalogue.ts', 'loader/memorandum.ts'],
    reason: 'type-only both ways: a memorandum cites instruments of the catalogue, and an instrument lists the measure kinds and legal bases memoranda use',
  },
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
  /** What an import declaration binds: its named imports, `default`, or `*`; absent for a bare import and other kinds. */
  names?: string[];
}

export interface Violation {
  rule: 'a' | 'b' | 'c' | 'd' | 'e';
  file: string;
  line: number;
  specifier: string;
  message: string;
}

/** Every statically known module specifier in a source text. */
export function collectImports(fileName: string, text: string): ImportReference[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const found: ImportReference[] = [];
  const add = (node: ts.Node | undefined, kind: ImportKind, names?: string[]) => {
    if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
      found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, kind, ...(names ? { names } : {}) });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, 'import', importedNames(node.importClause));
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

    // (b) the library order
    const targetLib = /^@app\/([^/]+)/.exec(spec)?.[1] ?? (targetOwner?.kind === 'lib' ? targetOwner.name : undefined);
    if (owner?.kind === 'lib' && targetLib !== undefined && targetLib !== owner.name) {
      const why = layerProblem(owner.name, targetLib, from, ref);
      if (why) report('b', ref, why);
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

    // (d) apps are independent
    if (owner?.kind === 'app' && targetOwner?.kind === 'app' && targetOwner.name !== owner.name) {
      report('d', ref, `apps/${owner.name} must not import apps/${targetOwner.name}`);
    }
  }
  return violations;
}

const ORDER = 'domain < rules < decision-log < persistence < {engine, messaging} < {query, exchange} < {policy, workbench}';

/** Why libs/<from> may not import libs/<to> (rule b), or undefined when it may. */
function layerProblem(owner: string, target: string, file: string, ref: ImportReference): string | undefined {
  if (owner === CONFIG_LIB) return `libs/config imports no library (everyone imports it)`;
  if (target === CONFIG_LIB) return undefined;
  if (target === EDGE_LIB) return CONTROLLER_LIBS.includes(owner) ? undefined : `libs/${owner} must not depend on libs/http (the HTTP edge is used by apps only)`;
  if (owner === EDGE_LIB) {
    if (target === 'domain') return undefined;
    const exception = EDGE_EXCEPTIONS.find((e) => e.file === file);
    if (exception && (!exception.names || (ref.names !== undefined && ref.names.length > 0 && ref.names.every((name) => exception.names!.test(name))))) return undefined;
    return exception?.names
      ? `${file} may take only ${exception.names.source} from other libraries (${exception.reason})`
      : `libs/http must not depend on libs/${target} (the HTTP edge imports libs/domain only; the apps bind what it needs)`;
  }
  const [from, to] = [LIBRARY_RANK[owner], LIBRARY_RANK[target]];
  if (from === undefined) return `libs/${owner} has no place in the library order (${ORDER}): give it one`;
  if (to === undefined) return `libs/${target} has no place in the library order (${ORDER}): give it one`;
  if (to === from) return `libs/${owner} and libs/${target} never import each other (${ORDER})`;
  if (to > from) return `libs/${owner} must not depend on libs/${target} (libraries are layered ${ORDER})`;
  return undefined;
}

function importedNames(clause: ts.ImportClause | undefined): string[] | undefined {
  if (!clause) return undefined;
  const names = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  else if (bindings) names.push(...bindings.elements.map((element) => (element.propertyName ?? element.name).text));
  return names;
}

/**
 * Import cycles inside each library (rule e), between files and between the folders that hold
 * them: one violation a cycle, naming its members. `files` maps repository-relative paths to
 * their text; only relative imports count (across libraries, rule b keeps imports one way).
 */
export function importCycles(files: ReadonlyMap<string, string>): Violation[] {
  const byLib = new Map<string, string[]>();
  for (const file of files.keys()) {
    const lib = /^libs\/([^/]+)\/src\//.exec(file)?.[1];
    // A barrel, and a Nest module wiring the providers, import everything of their library: its surface, not part of a loop.
    // A spec may exercise its subject together with what uses it.
    if (lib && /\.tsx?$/.test(file) && !/\/(index|[^/]+\.module|[^/]+\.spec)\.ts$/.test(file)) byLib.set(lib, [...(byLib.get(lib) ?? []), file]);
  }
  const violations: Violation[] = [];
  for (const [lib, libFiles] of byLib) {
    const known = new Set(libFiles);
    const fileEdges = new Map<string, Set<string>>();
    const folderEdges = new Map<string, Set<string>>();
    const lines = new Map<string, ImportReference>();
    for (const file of libFiles) {
      for (const ref of collectImports(file, files.get(file)!)) {
        const target = resolveWithinRepo(file, ref.specifier);
        const resolved = target === undefined ? undefined : [`${target}.ts`, `${target}.tsx`, `${target}/index.ts`, target].find((candidate) => known.has(candidate));
        if (!resolved || resolved === file) continue;
        addEdge(fileEdges, file, resolved);
        lines.set(`${file}→${resolved}`, ref);
        const [a, b] = [folderOf(file), folderOf(resolved)];
        if (a !== b) addEdge(folderEdges, a, b);
      }
    }
    const src = `libs/${lib}/src`;
    const report = (level: 'files' | 'folders', members: string[]) => {
      const names = members.map((m) => path.posix.relative(src, m) + (m.endsWith('/') ? '/' : '')).sort();
      if (CYCLE_EXCEPTIONS.some((e) => e.members.join(' ') === names.join(' '))) return;
      const first = members.map((m) => [...(level === 'files' ? fileEdges : folderEdges).get(m) ?? []].find((n) => members.includes(n)) && m).find(Boolean)!;
      const ref = level === 'files' ? lines.get(`${first}→${[...fileEdges.get(first)!].find((n) => members.includes(n))}`) : undefined;
      violations.push({
        rule: 'e',
        file: level === 'files' ? first : src,
        line: ref?.line ?? 0,
        specifier: ref?.specifier ?? '',
        message: `libs/${lib}: ${level} import each other in a cycle: ${names.join(' ↔ ')}`,
      });
    };
    for (const members of stronglyConnected(fileEdges)) report('files', members);
    // A cycle of files directly in src/ is already reported as one of files.
    for (const members of stronglyConnected(folderEdges)) if (members.some((m) => m.endsWith('/'))) report('folders', members);
  }
  return violations;
}

/** A file's node in the folder graph of rule (e): its top folder under src/ (nested folders belong to it); a file directly in src/ stands for itself. */
function folderOf(file: string): string {
  const match = /^(libs\/[^/]+\/src)\/([^/]+)\//.exec(file);
  return match ? `${match[1]}/${match[2]}/` : file;
}

/** Every cycle, the allowed ones included. */
function importCyclesWithout(texts: ReadonlyMap<string, string>): string[] {
  const saved = CYCLE_EXCEPTIONS.splice(0);
  try {
    return importCycles(texts).map((v) => v.message);
  } finally {
    CYCLE_EXCEPTIONS.push(...saved);
  }
}

function addEdge(edges: Map<string, Set<string>>, from: string, to: string): void {
  if (!edges.has(from)) edges.set(from, new Set());
  edges.get(from)!.add(to);
}

/** Tarjan's strongly connected components with more than one member: every cycle of the graph. */
function stronglyConnected(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components;
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
      { specifier: 'mod-import', line: 1, kind: 'import', names: ['A'] },
      { specifier: 'mod-import-type-only', line: 2, kind: 'import', names: ['B'] },
      { specifier: 'mod-side-effect', line: 3, kind: 'import' },
      { specifier: 'mod-export', line: 4, kind: 'export-from' },
      { specifier: 'mod-export-star', line: 5, kind: 'export-from' },
      { specifier: 'mod-import-equals', line: 6, kind: 'import-equals' },
      { specifier: 'mod-require', line: 7, kind: 'require' },
      { specifier: 'mod-dynamic', line: 8, kind: 'dynamic-import' },
      { specifier: 'mod-type', line: 9, kind: 'import-type' },
    ]);
  });

  it('flags infrastructure in libs/domain and libs/rules, and a pure library depending on one to its right (a, b)', () => {
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
    expect(domain.filter((v) => v.rule === 'b').map((v) => v.specifier)).toEqual(['@app/persistence', '@app/messaging', '@app/rules']);
    expect(domain[0].message).toBe("libs/domain/src/example.ts:1 imports '@nestjs/common': libs/domain must stay free of framework and infrastructure code (@nestjs/*)");

    const rules = checkFile('libs/rules/src/example.ts', source);
    expect(rules.filter((v) => v.rule === 'a')).toHaveLength(8);
    expect(rules.filter((v) => v.rule === 'b').map((v) => v.specifier)).toEqual(['@app/persistence', '@app/messaging']); // rules may use domain, and @app/rules is itself

    expect(checkFile('libs/persistence/src/example.ts', source).map((v) => [v.rule, v.specifier])).toEqual([['b', '@app/messaging']]); // infrastructure may, but not upwards
    expect(checkFile('libs/domain/src/x.ts', "import { Rule } from '../../rules/src/rule-set';").map((v) => v.rule)).toEqual(['b', 'c']);

    const log = "import { FeedRecord } from '@app/decision-log';";
    expect(checkFile('libs/rules/src/x.ts', log).map((v) => v.rule)).toEqual(['b']);
    expect(checkFile('libs/domain/src/x.ts', log).map((v) => v.rule)).toEqual(['b']);
    expect(checkFile('libs/decision-log/src/x.ts', [log, "import { Rules } from '@app/rules';", "import { Entity } from 'typeorm';"].join('\n')).map((v) => v.rule)).toEqual(['a']);
    expect(checkFile('libs/decision-log/src/x.ts', "import { FeedRepository } from '@app/persistence';").map((v) => v.rule)).toEqual(['a', 'b']);
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

  it('keeps the library order domain < rules < decision-log < persistence < {engine, messaging} < {query, exchange} < {policy, workbench} (b)', () => {
    const imports = (lib: string) => `import { X } from '@app/${lib}';`;
    const allowed: Array<[string, string]> = [
      ['persistence', 'decision-log'], ['persistence', 'rules'], ['engine', 'persistence'], ['messaging', 'persistence'], ['messaging', 'decision-log'],
      ['query', 'engine'], ['query', 'persistence'], ['engine', 'config'], ['query', 'config'], ['http', 'domain'], ['http', 'config'],
    ];
    for (const [owner, target] of allowed) expect({ owner, target, rules: checkFile(`libs/${owner}/src/x.ts`, imports(target)).map((v) => v.rule) }).toEqual({ owner, target, rules: [] });
    const refused: Array<[string, string]> = [
      ['persistence', 'engine'], ['engine', 'messaging'], ['messaging', 'engine'], ['engine', 'query'], ['messaging', 'query'], ['persistence', 'query'],
      ['http', 'engine'], ['http', 'messaging'], ['http', 'persistence'], ['http', 'query'], ['engine', 'http'], ['query', 'http'], ['config', 'domain'], ['newlib', 'domain'],
    ];
    for (const [owner, target] of refused) expect({ owner, target, rules: checkFile(`libs/${owner}/src/x.ts`, imports(target)).map((v) => v.rule) }).toEqual({ owner, target, rules: ['b'] });
    expect(checkFile('libs/engine/src/x.ts', imports('messaging'))[0].message).toBe(
      "libs/engine/src/x.ts:1 imports '@app/messaging': libs/engine and libs/messaging never import each other (domain < rules < decision-log < persistence < {engine, messaging} < {query, exchange} < {policy, workbench})",
    );
    expect(checkFile('libs/engine/src/x.ts', "import { X } from '../../query/src/feed/department-feed.service';").map((v) => v.rule).sort()).toEqual(['b', 'c']);
    for (const file of ['apps/query-api/src/x.controller.ts', 'test/integration/x.spec.ts', 'bench/src/x.ts', 'libs/query/src/x.ts']) {
      expect(checkFile(file, imports('query'))).toEqual([]);
    }
  });

  it("lets the HTTP error table take only the families' kind maps from other libraries (b)", () => {
    const file = 'libs/http/src/error-status.ts';
    expect(checkFile(file, "import { FEEDBACK_ERROR_KINDS, QUERY_ERROR_KINDS } from '@app/query';")).toEqual([]);
    expect(checkFile(file, "import { EVENT_INTAKE_ERROR_KINDS } from '@app/engine';")).toEqual([]);
    for (const source of ["import { CreditCheckService } from '@app/query';", "import * as query from '@app/query';", "import '@app/query';", "import { FEEDBACK_ERROR_KINDS, QueryModule } from '@app/query';"]) {
      expect({ source, rules: checkFile(file, source).map((v) => v.rule) }).toEqual({ source, rules: ['b'] });
    }
    expect(checkFile('libs/http/src/domain-error.filter.ts', "import { FEEDBACK_ERROR_KINDS } from '@app/query';").map((v) => v.rule)).toEqual(['b']);
  });

  it('finds import cycles between files and between folders of a library, not across libraries or through barrels and modules (e)', () => {
    const lib = (files: Record<string, string>) => new Map(Object.entries(files));
    const cycles = (files: Record<string, string>) => importCycles(lib(files)).map((v) => v.message);
    expect(cycles({ 'libs/x/src/a.ts': "import { B } from './b';", 'libs/x/src/b.ts': "import type { A } from './a';" })).toEqual(['libs/x: files import each other in a cycle: a.ts ↔ b.ts']);
    expect(
      cycles({
        'libs/x/src/audit/audit.service.ts': "import { E } from '../check/check.errors';",
        'libs/x/src/check/check.errors.ts': '',
        'libs/x/src/check/check.service.ts': "import { A } from '../audit/audit.service';",
      }),
    ).toEqual(['libs/x: folders import each other in a cycle: audit/ ↔ check/']);
    // A file in src/ and a folder: the processor and its lifecycle.
    expect(
      cycles({ 'libs/x/src/processor.ts': "import { L } from './lifecycle/lifecycle';", 'libs/x/src/lifecycle/lifecycle.ts': "import { S } from './state';", 'libs/x/src/lifecycle/state.ts': "import { P } from '../processor';" }),
    ).toEqual(['libs/x: files import each other in a cycle: lifecycle/lifecycle.ts ↔ lifecycle/state.ts ↔ processor.ts', 'libs/x: folders import each other in a cycle: lifecycle/ ↔ processor.ts']);
    // Nested folders belong to their top folder; a straight line is no cycle.
    expect(cycles({ 'libs/x/src/e/compiled/c.ts': "import { F } from '../facts';", 'libs/x/src/e/facts.ts': "import { L } from '../l/rule-set';", 'libs/x/src/l/rule-set.ts': '' })).toEqual([]);
    expect(
      cycles({
        'libs/x/src/index.ts': "export * from './a/a';",
        'libs/x/src/a/a.ts': "import { I } from '..';",
        'libs/x/src/x.module.ts': "import { A } from './a/a';",
        'libs/x/src/a/b.ts': "import { M } from '../x.module';",
        'libs/x/src/a/a.spec.ts': "import { A } from './a';",
        'libs/y/src/y.ts': "import { A } from '@app/x';",
      }),
    ).toEqual([]);
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

  it('(b) libraries import only those to their left in domain < rules < decision-log < persistence < {engine, messaging} < {query, exchange} < {policy, workbench}; libs/http only libs/domain', () => {
    expect(files.filter((file) => file.startsWith('libs/query/src/')).length).toBeGreaterThan(0);
    expect(files.filter((file) => file.startsWith('libs/http/src/')).length).toBeGreaterThan(0);
    expect(messages('b')).toEqual([]);
  });

  it('(c) code outside a library reaches it only through @app/<lib>', () => {
    expect(messages('c')).toEqual([]);
  });

  it('(d) apps do not import each other', () => {
    expect(messages('d')).toEqual([]);
  });

  it('(e) no import cycle between the files or the folders of a library', () => {
    const texts = new Map(files.filter((file) => file.startsWith('libs/')).map((file) => [file, readFileSync(path.join(REPO_ROOT, file), 'utf8')]));
    expect(importCycles(texts).map((v) => v.message)).toEqual([]);
    // Each allowed cycle still exists (else its entry goes): without the allow-list it is found.
    const allowed = CYCLE_EXCEPTIONS.map((e) => e.members.join(' ↔ '));
    const found = importCyclesWithout(texts);
    for (const members of allowed) expect(found.some((message) => message.endsWith(members))).toBe(true);
  });
});
