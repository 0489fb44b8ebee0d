import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig, loadAppConfig } from '@app/config';
import type { ApprovedReleaseTime, RuleReleaseEntity, RuleReleaseRepository } from '@app/persistence';
import { readRuleContent, RuleContent } from '@app/rules';
import { CatalogueService } from '../catalogue.service';
import { ReleaseHoldError } from '../release-hold';
import { RuleReleaseSchedule } from './rule-release-schedule.service';

const root = resolve(__dirname, '../../../..');
const LEAD_MS = 10_000;
const T0 = Date.parse('2026-12-01T08:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const files = readRuleContent(join(root, 'rules'));

/** rules/ with JD-01 given to a department rules/ never names: an engine whose registry lacks it cannot build this. */
function naming(department: string): RuleContent {
  const memorandum = JSON.parse(files.memoranda['judgment-debtors.json']) as { measures: { implementingDepartment: string }[] };
  memorandum.measures[0].implementingDepartment = department;
  return { ...files, memoranda: { ...files.memoranda, 'judgment-debtors.json': `${JSON.stringify(memorandum, null, 2)}\n` } };
}

/** The departments file without `code`, as an engine with an older registry has it. */
function departmentsWithout(code: string): string {
  const document = JSON.parse(readFileSync(join(root, 'config/departments.json'), 'utf8')) as { departments: { code: string }[] };
  const file = join(mkdtempSync(join(tmpdir(), 'departments-')), 'departments.json');
  writeFileSync(file, JSON.stringify({ ...document, departments: document.departments.filter((d) => d.code !== code) }));
  return file;
}

/** In memory instead of PostgreSQL (the integration suite has the real one): it counts reads and can be slow. */
class FakeReleases {
  readonly rows: RuleReleaseEntity[] = [];
  readonly contentReads: number[] = [];
  timeReads = 0;
  active = 0;
  mostActive = 0;
  delayMs = 0;

  approve(version: number, effectiveAt: Date, content: RuleContent = files, approvalLeadMs = LEAD_MS): void {
    this.rows.push({ id: `id-${version}`, version, revision: `r${version}`, content, author: '王芳', approver: '李强', notes: '', createdAt: at(-LEAD_MS), approvedAt: at(-LEAD_MS), effectiveAt, approvalLeadMs, rolledBackFrom: null, baseRevision: null });
  }

  async approvedTimes(): Promise<ApprovedReleaseTime[]> {
    this.timeReads++;
    this.active++;
    this.mostActive = Math.max(this.mostActive, this.active);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    this.active--;
    return this.rows.map((r) => ({ id: r.id, version: r.version, effectiveAt: r.effectiveAt! })).sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime() || a.version - b.version);
  }

  async byVersion(version: number): Promise<RuleReleaseEntity | undefined> {
    this.contentReads.push(version);
    return this.rows.find((r) => r.version === version);
  }
}

function engine(releases: FakeReleases, departmentsFile = join(root, 'config/departments.json'), pollMs = 1_000) {
  const config: AppConfig = { ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: departmentsFile, RULES_SOURCE: 'database', RULES_RELOAD_INTERVAL_MS: pollMs, RELEASE_MIN_LEAD_MS: LEAD_MS };
  const catalogue = new CatalogueService(config);
  let now = at(0);
  const clock = { now: () => now };
  const schedule = new RuleReleaseSchedule(config, catalogue, releases as unknown as RuleReleaseRepository, clock);
  return { schedule, catalogue, setNow: (ms: number) => (now = at(ms)) };
}

describe('RuleReleaseSchedule', () => {
  let errors: jest.SpyInstance;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation();
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation();
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('holds every batch from the instant a release it cannot build takes effect, rather than decide under the release before; says so once', async () => {
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    releases.approve(2, at(5_000), naming('education'));
    const { schedule, catalogue } = engine(releases, departmentsWithout('education'));
    await schedule.refresh(at(0));
    catalogue.useReleases(schedule);

    // Refused when seen, reported ahead; the release before decides until release 2's instant.
    expect(schedule.refused).toEqual([{ version: 2, effectiveAt: at(5_000), at: at(0), problems: expect.any(Number) }]);
    expect(catalogue.rulesToDecideAt(at(4_999)).release?.version).toBe(1);
    expect(catalogue.holdAt(at(4_999))).toBeUndefined();

    let held: unknown;
    try {
      catalogue.rulesToDecideAt(at(5_000));
    } catch (error) {
      held = error;
    }
    expect(held).toBeInstanceOf(ReleaseHoldError);
    expect(held).toMatchObject({ retriable: true, hold: { reason: 'release-not-built', version: 2, effectiveAt: at(5_000), refusal: { at: at(0) } } });
    expect(() => catalogue.rulesToDecideAt(at(6_000))).toThrow(ReleaseHoldError);
    expect(() => catalogue.rulesToDecideAt(at(7_000))).toThrow(ReleaseHoldError);
    const holdLines = errors.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('batches held'));
    expect(holdLines).toEqual([expect.stringContaining('release 2, in force from 2026-12-01T08:00:05.000Z, cannot be built by this engine')]);
  });

  it('resumes when a later release it can build supersedes the one it could not', async () => {
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    releases.approve(2, at(5_000), naming('education'));
    const { schedule, catalogue } = engine(releases, departmentsWithout('education'));
    await schedule.refresh(at(0));
    catalogue.useReleases(schedule);
    expect(catalogue.holdAt(at(6_000))?.reason).toBe('release-not-built');

    releases.approve(3, at(17_000));
    await schedule.refresh(at(7_000));
    expect(catalogue.holdAt(at(16_999))).toMatchObject({ reason: 'release-not-built', version: 2 });
    await schedule.refresh(at(8_000));
    expect(catalogue.rulesToDecideAt(at(17_000)).release?.version).toBe(3);
    expect(errors.mock.calls.filter(([line]) => String(line).startsWith('batches held'))).toHaveLength(1);
    // Once superseded past the kept horizon it is no longer reported as refused.
    await schedule.refresh(at(80_000));
    expect(schedule.refused).toEqual([]);
    expect(catalogue.rulesToDecideAt(at(80_000)).release?.version).toBe(3);
  });

  /** What the release was refused for passes while the engine runs: here its registry, swapped under it (the real directory keeps its set of departments for the life of the process; rule cases read from rules/ or a failed read are what pass in practice). */
  const refusalPasses = (catalogue: CatalogueService) => jest.spyOn(catalogue, 'departments', 'get').mockReturnValue(new CatalogueService({ ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: join(root, 'config/departments.json') }).departments);

  it('tries a refused release again after a backoff, and builds it once what it was refused for has passed, without a restart; the release before keeps deciding until then', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    releases.approve(2, at(5_000), naming('education'));
    const { schedule, catalogue } = engine(releases, departmentsWithout('education'));
    await schedule.refresh(at(0));
    catalogue.useReleases(schedule);
    expect(errors.mock.calls.filter(([line]) => String(line).startsWith('release 2 refused'))).toHaveLength(1);

    // Refused again at the first try (5 s), then waits twice as long (10 s) before the next.
    await schedule.refresh(at(4_999));
    expect(warnings).not.toHaveBeenCalled();
    await schedule.refresh(at(5_000));
    expect(warnings.mock.calls.map(([line]) => String(line))).toEqual([expect.stringMatching(/^release 2 still cannot be built by this engine \(\d+ problems, try 2\); next try in 10 s$/)]);
    await schedule.refresh(at(14_999));
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(catalogue.rulesToDecideAt(at(4_999)).release?.version).toBe(1);
    expect(() => catalogue.rulesToDecideAt(at(6_000))).toThrow(ReleaseHoldError);

    refusalPasses(catalogue);
    await schedule.refresh(at(15_000));
    expect(schedule.refused).toEqual([]);
    expect(catalogue.rulesToDecideAt(at(15_000)).release?.version).toBe(2);
    expect(catalogue.rulesToDecideAt(at(4_999)).release?.version).toBe(1);
    // Content read once: the tries build what was kept.
    expect(releases.contentReads).toEqual([1, 2]);
  });

  it('tries a refused release again at once when a poll finds a release approved since', async () => {
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    releases.approve(2, at(5_000), naming('education'));
    const { schedule, catalogue } = engine(releases, departmentsWithout('education'));
    await schedule.refresh(at(0));
    catalogue.useReleases(schedule);
    refusalPasses(catalogue);
    await schedule.refresh(at(1_000));
    expect(schedule.refused).toHaveLength(1);
    releases.approve(3, at(60_000));
    await schedule.refresh(at(2_000));
    expect(schedule.refused).toEqual([]);
    expect(catalogue.rulesToDecideAt(at(5_000)).release?.version).toBe(2);
  });

  it('builds it after a restart with a registry that has its department', async () => {
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    releases.approve(2, at(5_000), naming('education'));
    const { schedule, catalogue } = engine(releases);
    await schedule.refresh(at(0));
    catalogue.useReleases(schedule);
    expect(schedule.refused).toEqual([]);
    expect(catalogue.rulesToDecideAt(at(5_000)).release?.version).toBe(2);
  });

  it('holds a batch later than the last read plus the approval lead (a release approved since could be in force)', async () => {
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    const { schedule, catalogue } = engine(releases);
    catalogue.useReleases(schedule);
    expect(catalogue.holdAt(at(0))).toEqual({ reason: 'releases-not-read', lastReadAt: null });
    await schedule.refresh(at(0));
    expect(catalogue.rulesToDecideAt(at(LEAD_MS - 1)).release?.version).toBe(1);
    expect(() => catalogue.rulesToDecideAt(at(LEAD_MS))).toThrow(expect.objectContaining({ retriable: true, hold: { reason: 'releases-not-read', lastReadAt: at(0) } }));
  });

  it("reads each release's content once, when first seen; every poll reads versions and times only", async () => {
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    const { schedule } = engine(releases);
    await schedule.refresh(at(0));
    await schedule.refresh(at(1_000));
    releases.approve(2, at(20_000));
    await schedule.refresh(at(2_000));
    await schedule.refresh(at(3_000));
    expect(releases.timeReads).toBe(4);
    expect(releases.contentReads).toEqual([1, 2]);
  });

  it('warns of a release approved with less lead than this engine assumes (servers configured apart)', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    releases.approve(2, at(2_000), files, 1_000);
    const { schedule } = engine(releases);
    await schedule.refresh(at(0));
    expect(warnings.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('approved with a lead'))).toEqual([expect.stringContaining('release 2 was approved with a lead of 1000 ms')]);
  });

  it('polls by chained timeouts: a slow read delays the next poll instead of overlapping it; stops on module destroy', async () => {
    jest.useFakeTimers({ now: T0 });
    const releases = new FakeReleases();
    releases.approve(1, at(-60_000));
    const { schedule } = engine(releases, undefined, 100);
    await schedule.onApplicationBootstrap();
    releases.delayMs = 350;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(releases.mostActive).toBe(1);
    // 2 s of polls every 100 ms after a read of 350 ms: at most one each 450 ms, not twenty.
    expect(releases.timeReads - 1).toBeGreaterThanOrEqual(3);
    expect(releases.timeReads - 1).toBeLessThanOrEqual(5);

    const destroyed = schedule.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(400);
    await destroyed;
    const reads = releases.timeReads;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(releases.timeReads).toBe(reads);
    expect(jest.getTimerCount()).toBe(0);
  });
});
