import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig, loadAppConfig } from '@app/config';
import { developmentToken, sha256Hex } from '@app/domain';
import { CatalogueService } from '../catalogue.service';
import { DepartmentDirectory } from './department-directory';
import { DepartmentsHealthIndicator } from './departments-health.indicator';
import { DepartmentsMetrics } from './departments.metrics';
import { runTokenCommand } from './token-command';

const root = resolve(__dirname, '../../../..');

function copyOfRegistry(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'departments-')), 'departments.json');
  copyFileSync(join(root, 'config/departments.json'), file);
  return file;
}

function directoryOn(file: string, mode: AppConfig['NODE_ENV'] = 'development'): DepartmentDirectory {
  return new DepartmentDirectory({ DEPARTMENTS_FILE: file, DEPARTMENTS_RELOAD_INTERVAL_MS: 0, NODE_ENV: mode });
}

/** Write and move the mtime forward, so the poll sees a change even within one clock tick. */
function edit(file: string, change: (registry: any) => void): void {
  const registry = JSON.parse(readFileSync(file, 'utf8'));
  change(registry);
  writeFileSync(file, JSON.stringify(registry, null, 2));
  bump(file);
}

function bump(file: string): void {
  const later = new Date(Date.now() + Math.floor(Math.random() * 100_000) + 5000);
  utimesSync(file, later, later);
}

const court = (registry: any) => registry.departments.find((d: { code: string }) => d.code === 'court');

describe('DepartmentDirectory reloading DEPARTMENTS_FILE', () => {
  let error: jest.SpyInstance;
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  /** The reasons of the last refusal, as the operator reads them in the log. */
  const refusal = () => String(error.mock.lastCall?.[0]);

  it('takes up a rotated token at once, keeps the old one until it is removed, then refuses it', () => {
    const file = copyOfRegistry();
    const directory = directoryOn(file);
    edit(file, (r) => court(r).credentials.tokens.push({ sha256: sha256Hex('court-rotated'), label: 'rotated' }));
    expect(directory.reloadIfChanged()).toBe(true);
    expect(directory.current.authenticate('court-rotated').code).toBe('court');
    expect(directory.current.authenticate(developmentToken('court')).code).toBe('court');
    edit(file, (r) => (court(r).credentials.tokens = court(r).credentials.tokens.filter((t: { label: string }) => t.label !== 'development')));
    expect(directory.reloadIfChanged()).toBe(true);
    expect(() => directory.current.authenticate(developmentToken('court'))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.NOT_AUTHENTICATED' }));
    expect(directory.current.authenticate('court-rotated').code).toBe('court');
    expect(directory.reloads).toBe(2);
    expect(directory.reloadIfChanged()).toBe(false); // unchanged since
  });

  it('refuses a broken file, logs why and keeps authenticating with the last good registry', () => {
    const file = copyOfRegistry();
    const directory = directoryOn(file);
    const before = directory.current;
    writeFileSync(file, '{ "departments": [');
    bump(file);
    expect(directory.reloadIfChanged()).toBe(false);
    expect(directory.current).toBe(before);
    expect(directory.lastRefusedAt).toBeInstanceOf(Date);
    expect(refusal()).toMatch(/: DEPARTMENTS_FILE=.*departments\.json: not valid JSON/);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/departments registry refused, still running the one loaded at/));
    expect(directory.current.authenticate(developmentToken('court')).code).toBe('court');
  });

  it('refuses an invalid registry, a missing file, and a change of the set of departments', () => {
    const file = copyOfRegistry();
    const good = readFileSync(file, 'utf8');
    const directory = directoryOn(file);
    edit(file, (r) => (court(r).credentials.tokens[0].sha256 = 'not-a-hash'));
    expect(directory.reloadIfChanged()).toBe(false);
    expect(refusal()).toMatch(/court: credentials\.tokens\[0\]\.sha256 must be 64 lowercase hex/);
    rmSync(file);
    expect(directory.reloadIfChanged()).toBe(false);
    expect(refusal()).toMatch(/cannot be read \(ENOENT\).*mount your own/);
    writeFileSync(file, good);
    edit(file, (r) => (r.departments = r.departments.filter((d: { code: string }) => d.code !== 'tax')));
    expect(directory.reloadIfChanged()).toBe(false);
    expect(refusal()).toMatch(/departments removed \(tax\): removing a department takes a restart/);
    expect(directory.current.has('tax')).toBe(true);
    writeFileSync(file, good);
    bump(file);
    expect(directory.reloadIfChanged()).toBe(true);
    expect(directory.lastRefusedAt).toBeUndefined();
    expect(directory.refusals).toBe(3);
  });

  it('in production, refuses to start on a development token and refuses a reload that brings one back', () => {
    const file = copyOfRegistry();
    expect(() => directoryOn(file, 'production')).toThrow(/DEPARTMENTS_FILE=.*development tokens of court, tax/);
    edit(file, (r) => {
      for (const d of r.departments) d.credentials.tokens = [{ sha256: sha256Hex(`${d.code}-production`), label: 'production' }];
    });
    const directory = directoryOn(file, 'production');
    edit(file, (r) => court(r).credentials.tokens.push({ sha256: sha256Hex(developmentToken('tax')), label: 'oops' }));
    expect(directory.reloadIfChanged()).toBe(false);
    expect(refusal()).toMatch(/development tokens of court may not be used in production/);
    expect(() => directory.current.authenticate(developmentToken('tax'))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.NOT_AUTHENTICATED' }));
  });

  it('logs which token labels changed, never a hash', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const file = copyOfRegistry();
    const directory = directoryOn(file);
    edit(file, (r) => {
      court(r).credentials.tokens.push({ sha256: sha256Hex('court-new'), label: 'new' });
      court(r).credentials.tokens[0].notAfter = '2027-01-01T00:00:00Z';
    });
    directory.reloadIfChanged();
    expect(log).toHaveBeenCalledWith('departments registry reloaded: court +new ~development');
    expect(JSON.stringify(log.mock.calls)).not.toContain(sha256Hex('court-new'));
  });
});

describe('the departments registry in readiness and /metrics', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reports a refused edit without its reasons on health, and counts it on /metrics', async () => {
    const file = copyOfRegistry();
    const catalogue = new CatalogueService({ ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: file, RULES_RELOAD_INTERVAL_MS: 0, DEPARTMENTS_RELOAD_INTERVAL_MS: 0 });
    edit(file, (r) => court(r).credentials.tokens.push({ sha256: sha256Hex('x'), label: 'x', notAfter: '2027-01-01T00:00:00Z' }));
    expect(catalogue.directory.reloadIfChanged()).toBe(true);
    expect(catalogue.departments.authenticate('x', new Date('2026-12-01T00:00:00Z')).code).toBe('court');
    writeFileSync(file, 'nope');
    bump(file);
    catalogue.directory.reloadIfChanged();
    const health = new DepartmentsHealthIndicator(catalogue.directory, new HealthIndicatorService()).check();
    expect(health).toEqual({ departments: { status: 'up', loadedAt: expect.any(String), lastRefusal: { at: expect.any(String), reason: expect.stringMatching(/see the log/) } } });
    expect(JSON.stringify(health)).not.toContain(file);
    const scraped = await new DepartmentsMetrics(catalogue.directory).registry.metrics();
    expect(scraped).toContain('credit_departments_registry_reloads_total 1');
    expect(scraped).toContain('credit_departments_registry_refusals_total 1');
    expect(scraped).toContain('credit_departments_registry_refused 1');
    expect(scraped).toContain(`credit_department_token_not_after_timestamp_seconds{department="court",label="x"} ${Date.parse('2027-01-01T00:00:00Z') / 1000}`);
    catalogue.onModuleDestroy();
  });
});

describe('npm run token', () => {
  const run = (file: string, ...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runTokenCommand(args, { file, out: (l) => out.push(l), err: (l) => err.push(l), now: () => new Date('2026-12-07T10:15:00Z') });
    return { code, out, err: err.join('\n') };
  };

  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('adds a token, prints it once on stdout, writes only its hash, and a running directory takes it up', () => {
    const file = copyOfRegistry();
    const directory = directoryOn(file);
    const added = run(file, 'add', 'court', '--label', 'ops-1');
    expect(added.code).toBe(0);
    expect(added.out).toEqual([expect.stringMatching(/^court\.[A-Za-z0-9_-]{43}$/)]);
    expect(added.err).toMatch(/token "ops-1" added .*only its SHA-256 is stored/);
    const [token] = added.out;
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(sha256Hex(token));
    expect(text.endsWith('}\n')).toBe(true);
    bump(file);
    expect(directory.reloadIfChanged()).toBe(true);
    expect(directory.current.identify(token)).toMatchObject({ department: { code: 'court' }, label: 'ops-1' });
  });

  it('revokes by label, lists what is left, and refuses what it cannot do with a reason', () => {
    const file = copyOfRegistry();
    expect(run(file, 'add', 'tax', '--not-after', '2027-01-01T00:00:00Z').code).toBe(0);
    expect(run(file, 'revoke', 'tax', 'development')).toMatchObject({ code: 0, err: expect.stringMatching(/tax still holds: t-20261207-101500/) });
    expect(run(file, 'list', 'tax').out).toEqual([expect.stringMatching(/^tax\tt-20261207-101500\t2026-12-07T10:15:00\.000Z\t2027-01-01T00:00:00\.000Z\tsha256:[0-9a-f]{12}…$/)]);
    expect(run(file, 'revoke', 'tax', 'development')).toMatchObject({ code: 1, err: expect.stringMatching(/no token labelled "development"/) });
    expect(run(file, 'add', 'nobody')).toMatchObject({ code: 1, err: expect.stringMatching(/unknown department "nobody"/) });
    expect(run(file, 'add', 'tax', '--not-after', 'tomorrow')).toMatchObject({ code: 1, err: expect.stringMatching(/not an ISO 8601/) });
    expect(run(file, 'add')).toMatchObject({ code: 2, err: expect.stringMatching(/^usage:/) });
    expect(run(file, 'add', 'tax', '--colour', 'red').code).toBe(2);
  });
});
