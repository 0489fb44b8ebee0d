import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig, loadAppConfig } from '@app/config';
import type { ApprovedReleaseTime, RuleReleaseEntity, RuleReleaseRepository } from '@app/persistence';
import { readRuleContent, RuleContent, ruleContentRevision } from '@app/rules';
import { CatalogueService } from '../catalogue.service';
import { RulesInForceService } from './rules-in-force.service';

const root = resolve(__dirname, '../../../..');
const T0 = Date.parse('2026-12-01T08:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const files = readRuleContent(join(root, 'rules'));

/** rules/ with JD-01's text changed, as a release that rewords it carries. */
function reworded(text: string): RuleContent {
  const memorandum = JSON.parse(files.memoranda['judgment-debtors.json']) as { measures: { code: string; text: { zh: string } }[] };
  memorandum.measures.find((m) => m.code === 'JD-01')!.text.zh = text;
  return { ...files, memoranda: { ...files.memoranda, 'judgment-debtors.json': `${JSON.stringify(memorandum, null, 2)}\n` } };
}

/** In memory instead of PostgreSQL (the integration suite has the real one): it counts content reads. */
class FakeReleases {
  readonly rows: RuleReleaseEntity[] = [];
  readonly contentReads: number[] = [];

  approve(version: number, effectiveAt: Date, content: RuleContent): void {
    this.rows.push({ id: `id-${version}`, version, revision: ruleContentRevision(content), content, author: '王芳', approver: '李强', notes: '', createdAt: at(-60_000), approvedAt: at(-60_000), effectiveAt, approvalLeadMs: 1_000, rolledBackFrom: null, baseRevision: null });
  }

  async approvedTimes(): Promise<ApprovedReleaseTime[]> {
    return this.rows.map((r) => ({ id: r.id, version: r.version, effectiveAt: r.effectiveAt! }));
  }

  async byVersion(version: number): Promise<RuleReleaseEntity | undefined> {
    this.contentReads.push(version);
    return this.rows.find((r) => r.version === version);
  }
}

function provider(source: AppConfig['RULES_SOURCE'], releases = new FakeReleases()) {
  const config: AppConfig = { ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: join(root, 'config/departments.json'), RULES_SOURCE: source };
  const catalogue = new CatalogueService(config);
  return { inForce: new RulesInForceService(config, catalogue, releases as unknown as RuleReleaseRepository, { now: () => at(0) }), catalogue, releases };
}

const jd01 = (ruleSetText: { memorandum(id: string): { measures: { code: string; text: { zh: string } }[] } | undefined }) =>
  ruleSetText.memorandum('judgment-debtors')!.measures.find((m) => m.code === 'JD-01')!.text.zh;

describe('RulesInForceService', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation());
  afterEach(() => jest.restoreAllMocks());

  it('with RULES_SOURCE=files: the rules/ files, whatever the releases say, built as the engine built them', async () => {
    const { inForce, catalogue, releases } = provider('files');
    releases.approve(1, at(-1_000), reworded('已发布的措辞'));

    const { base, content, ruleSet } = await inForce.rules();
    expect(base).toEqual({ release: null, source: 'rules/', revision: ruleContentRevision(files) });
    expect(content).toEqual(files);
    expect(base.revision).toBe(catalogue.rules.ruleSet.revision);
    expect(ruleSet).toBe(catalogue.rules.ruleSet);
    expect(releases.contentReads).toEqual([]);
  });

  it('with RULES_SOURCE=database and a release in force: that release, its content read once, built here while the engine has not switched', async () => {
    const { inForce, catalogue, releases } = provider('database');
    const release = reworded('限制乘坐飞机（已发布的措辞）');
    releases.approve(1, at(-5_000), release);

    const first = await inForce.rules(at(0));
    expect(first.base).toEqual({ release: 1, source: 'release', revision: ruleContentRevision(release) });
    expect(first.content).toEqual(release);
    expect(jd01(first.ruleSet)).toBe('限制乘坐飞机（已发布的措辞）');
    // This catalogue has no schedule: it runs rules/, so the release's set is built here.
    expect(first.ruleSet).not.toBe(catalogue.rules.ruleSet);

    const second = await inForce.rules(at(1_000));
    expect(second.ruleSet).toBe(first.ruleSet);
    expect(releases.contentReads).toEqual([1]);
  });

  it('with RULES_SOURCE=database: the release in force now, not one approved for later; the later one from its instant', async () => {
    const { inForce, releases } = provider('database');
    const now = reworded('现行版本');
    const later = reworded('将来的版本');
    releases.approve(1, at(-5_000), now);
    releases.approve(2, at(60_000), later);

    expect((await inForce.content(at(0))).base).toEqual({ release: 1, source: 'release', revision: ruleContentRevision(now) });
    expect((await inForce.content(at(59_999))).content).toEqual(now);
    const switched = await inForce.content(at(60_000));
    expect(switched.base).toEqual({ release: 2, source: 'release', revision: ruleContentRevision(later) });
    expect(jd01((await inForce.rules(at(60_000))).ruleSet)).toBe('将来的版本');
  });

  it('with RULES_SOURCE=database and no release in force yet (none, or only one scheduled later): the rules/ files, and says so', async () => {
    const { inForce, catalogue, releases } = provider('database');
    expect((await inForce.content(at(0))).base).toEqual({ release: null, source: 'rules/', revision: ruleContentRevision(files) });

    releases.approve(1, at(60_000), reworded('将来的版本'));
    const before = await inForce.rules(at(0));
    expect(before.base).toEqual({ release: null, source: 'rules/', revision: ruleContentRevision(files) });
    expect(before.content).toEqual(files);
    expect(before.ruleSet).toBe(catalogue.rules.ruleSet);
    expect(releases.contentReads).toEqual([]);
  });
});
