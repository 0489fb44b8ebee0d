import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { CatalogueService, RuleReleaseSchedule } from '@app/engine';
import { RuleReleaseRepository } from '@app/persistence';
import { ReleaseService } from '@app/policy';
import { loadRuleSet, readRuleContent, ReleaseError, RuleContent } from '@app/rules';
import { openTestDatabase, ownTestDatabaseUrl } from '../support/database';

const RULES = join(__dirname, '../../rules');
const LEAD_MS = 1_000;

async function refusal(run: Promise<unknown>): Promise<{ code: string; context: Record<string, unknown> } | undefined> {
  try {
    await run;
    return undefined;
  } catch (error) {
    if (error instanceof ReleaseError) return { code: error.code, context: { ...error.context } };
    throw error;
  }
}

/** The rules/ content with one measure's wording changed: another revision, still valid. */
function reworded(content: RuleContent): RuleContent {
  const memorandum = JSON.parse(content.memoranda['judgment-debtors.json']) as { measures: { text: { zh: string } }[] };
  memorandum.measures[0].text.zh += '（修订）';
  return { ...content, memoranda: { ...content.memoranda, 'judgment-debtors.json': `${JSON.stringify(memorandum, null, 2)}\n` } };
}

describe('rule-set releases (real PostgreSQL)', () => {
  let db: DataSource;
  let service: ReleaseService;
  const config = { ...loadAppConfig({}), RELEASE_MIN_LEAD_MS: LEAD_MS, RULES_RELOAD_INTERVAL_MS: 0, DEPARTMENTS_RELOAD_INTERVAL_MS: 0 };
  const files = readRuleContent(RULES);

  beforeAll(async () => {
    // Its own database: release versions are global, and the engine of this suite reads every approved release.
    db = await openTestDatabase(await ownTestDatabaseUrl('releases'));
    await db.query('TRUNCATE rule_release');
    service = new ReleaseService(config, new RuleReleaseRepository(db));
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('creates a draft with the revision the loader gives the same files, and refuses a broken rule set, storing nothing', async () => {
    const draft = await service.createDraft({ content: files, author: '王芳', notes: 'rules/ as of today' });
    expect(draft).toMatchObject({ status: 'draft', author: '王芳', approver: null, effectiveAt: null, revision: loadRuleSet(RULES).revision, content: files });

    const broken = JSON.parse(files.memoranda['judgment-debtors.json']) as { measures: { implementingDepartment: string }[] };
    broken.measures[0].implementingDepartment = 'no-such-department';
    const before = (await service.list()).length;
    const refused = await refusal(service.createDraft({ content: { ...files, memoranda: { ...files.memoranda, 'judgment-debtors.json': JSON.stringify(broken) } }, author: '王芳' }));
    expect(refused?.code).toBe('RELEASE.INVALID_CONTENT');
    expect(refused?.context.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'judgment-debtors.json', message: expect.stringContaining('no-such-department') })]));
    expect((await refusal(service.createDraft({ content: { ...files, memoranda: { ...files.memoranda, 'judgment-debtors.json': '{ "id": ' } }, author: '王芳' })))?.code).toBe('RELEASE.INVALID_CONTENT');
    expect((await service.list()).length).toBe(before);
  });

  it('refuses a rule set whose rule cases fail, as rules:check does', async () => {
    // Valid (lawful, every value in its registry), but the court's listings of enterprises no longer match: the memorandum's rule cases say otherwise.
    const memorandum = JSON.parse(files.memoranda['judgment-debtors.json']) as { rules: { conditions: { all: { fact: string; value: unknown }[] } }[] };
    memorandum.rules[0].conditions.all.find((c) => c.fact === 'subjectKind')!.value = ['social-organisation'];
    const refused = await refusal(service.createDraft({ content: { ...files, memoranda: { ...files.memoranda, 'judgment-debtors.json': JSON.stringify(memorandum) } }, author: '王芳' }));
    expect(refused?.code).toBe('RELEASE.INVALID_CONTENT');
    expect(JSON.stringify(refused?.context.problems)).toMatch(/judgment-debtors\.cases\.json.*rule case/);
  });

  it('approves with four eyes and an effective time far enough ahead; once only', async () => {
    const draft = await service.createDraft({ content: files, author: '王芳' });
    const now = new Date();
    const effectiveAt = new Date(now.getTime() + LEAD_MS + 500).toISOString();
    expect((await refusal(service.approve(draft.version, { approver: ' 王芳 ', effectiveAt })))?.code).toBe('RELEASE.FOUR_EYES');
    expect((await refusal(service.approve(draft.version, { approver: '李强', effectiveAt: new Date(now.getTime() + LEAD_MS / 2).toISOString() })))?.code).toBe('RELEASE.EFFECTIVE_TOO_SOON');
    const approved = await service.approve(draft.version, { approver: '李强', effectiveAt }, now);
    expect(approved).toMatchObject({ status: 'scheduled', approver: '李强', effectiveAt: new Date(effectiveAt).toISOString() });
    expect((await refusal(service.approve(draft.version, { approver: '赵敏', effectiveAt })))?.code).toBe('RELEASE.NOT_DRAFT');
    expect((await service.get(draft.version, new Date(Date.parse(effectiveAt)))).status).toBe('in-force');
    expect((await refusal(service.get(99_999)))?.code).toBe('RELEASE.NOT_FOUND');
    // The database keeps four eyes too, whoever writes to it.
    await expect(db.query(`UPDATE rule_release SET approver = author WHERE version = $1`, [draft.version])).rejects.toThrow(/ck_rule_release_four_eyes/);
  });

  it('diffs two releases by memorandum and measure', async () => {
    const a = await service.createDraft({ content: files, author: '王芳' });
    const b = await service.createDraft({ content: reworded(files), author: '王芳' });
    const { diff, from, to } = await service.diff(a.version, b.version);
    expect(from).toEqual({ version: a.version, revision: a.revision });
    expect(to.revision).not.toBe(a.revision);
    expect(diff.memoranda).toEqual({ added: [], removed: [], changed: [{ file: 'judgment-debtors.json', fields: [], measures: { added: [], removed: [], changed: ['JD-01'] }, rules: { added: [], removed: [], changed: [] } }] });
  });

  it('rolls back in one action: a new approved release with the old content, approved by someone other than its author', async () => {
    const first = await service.createDraft({ content: files, author: '王芳' });
    await service.approve(first.version, { approver: '李强', effectiveAt: new Date(Date.now() + LEAD_MS + 100).toISOString() });
    const second = await service.createDraft({ content: reworded(files), author: '赵敏' });
    await service.approve(second.version, { approver: '李强', effectiveAt: new Date(Date.now() + LEAD_MS + 200).toISOString() });

    expect((await refusal(service.rollback(first.version, { actor: '王芳' })))?.code).toBe('RELEASE.FOUR_EYES');
    const draft = await service.createDraft({ content: files, author: '赵敏' });
    expect((await refusal(service.rollback(draft.version, { actor: '李强' })))?.code).toBe('RELEASE.NOT_APPROVED');

    const now = new Date();
    const rollback = await service.rollback(first.version, { actor: '李强', notes: 'JD-01 wording withdrawn' }, now);
    expect(rollback).toMatchObject({ rolledBackFrom: first.version, revision: first.revision, author: '王芳', approver: '李强', status: 'scheduled', content: files, notes: 'JD-01 wording withdrawn' });
    expect(rollback.version).toBeGreaterThan(draft.version);
    // The earliest allowed, on the database's clock: the lead after its approved_at.
    expect(Date.parse(rollback.effectiveAt!)).toBe(Date.parse(rollback.approvedAt!) + LEAD_MS);
    expect(Date.parse(rollback.approvedAt!)).toBeGreaterThanOrEqual(now.getTime() - 1_000);
  });

  it("gives the engine the release in force at a batch's instant, compiled ahead of it", async () => {
    await db.query('TRUNCATE rule_release');
    const catalogue = new CatalogueService({ ...config, RULES_SOURCE: 'database' });
    const schedule = new RuleReleaseSchedule({ ...config, RULES_SOURCE: 'database' }, catalogue, new RuleReleaseRepository(db));
    await schedule.onApplicationBootstrap();
    const fromFiles = catalogue.rulesAt(new Date());
    expect(fromFiles.release).toBeNull();

    const next = await service.createDraft({ content: reworded(files), author: '王芳' });
    const effective = new Date(Date.now() + 60_000);
    await service.approve(next.version, { approver: '李强', effectiveAt: effective.toISOString() });
    await schedule.refresh();

    expect(catalogue.rulesAt(new Date(effective.getTime() - 1)).release).toBeNull();
    const switched = catalogue.rulesAt(effective);
    expect(switched.release?.version).toBe(next.version);
    expect(switched.ruleSet.revision).toBe(next.revision);
    expect(switched.ruleSet.revision).not.toBe(fromFiles.ruleSet.revision);
    // Compiled when seen, not at the instant: the same object every time after.
    expect(catalogue.rulesAt(new Date(effective.getTime() + 1))).toBe(switched);

    // A batch later than the last read + the least lead waits: a release approved since could be in force by then.
    const readAt = Date.now();
    await schedule.refresh(new Date(readAt));
    expect(catalogue.rulesToDecideAt(new Date(readAt + LEAD_MS - 1)).release).toBeNull();
    expect(() => catalogue.rulesToDecideAt(new Date(readAt + LEAD_MS))).toThrow(expect.objectContaining({ retriable: true, hold: expect.objectContaining({ reason: 'releases-not-read' }) }));
    await schedule.onModuleDestroy();
    catalogue.onModuleDestroy();
  });

  it('holds the batches of an engine that cannot build the release in force, instead of deciding them under the one before', async () => {
    await db.query('TRUNCATE rule_release');
    const before = await service.createDraft({ content: files, author: '王芳' });
    await service.approve(before.version, { approver: '李强', effectiveAt: new Date(Date.now() + LEAD_MS + 100).toISOString() });
    const due = await service.createDraft({ content: naming(files, 'education'), author: '王芳' });
    const dueAt = new Date(Date.now() + LEAD_MS + 1_000);
    await service.approve(due.version, { approver: '李强', effectiveAt: dueAt.toISOString() });

    // This engine's registry predates the education department that release `due` gives JD-01 to.
    const engineConfig = { ...config, RULES_SOURCE: 'database' as const, DEPARTMENTS_FILE: departmentsWithout('education') };
    const catalogue = new CatalogueService(engineConfig);
    const schedule = new RuleReleaseSchedule(engineConfig, catalogue, new RuleReleaseRepository(db));
    await schedule.onApplicationBootstrap();
    expect(schedule.refused.map((r) => r.version)).toEqual([due.version]);
    await new Promise((r) => setTimeout(r, dueAt.getTime() - Date.now() + 10));
    await schedule.refresh();
    const now = new Date();
    expect(catalogue.rulesAt(now).release?.version).toBe(before.version);
    expect(() => catalogue.rulesToDecideAt(now)).toThrow(expect.objectContaining({ retriable: true, hold: expect.objectContaining({ reason: 'release-not-built', version: due.version }) }));
    await schedule.onModuleDestroy();
    catalogue.onModuleDestroy();

    // Restarted with the registry that has it: built, and decided under.
    const fixed = new CatalogueService({ ...config, RULES_SOURCE: 'database' });
    const restarted = new RuleReleaseSchedule({ ...config, RULES_SOURCE: 'database' }, fixed, new RuleReleaseRepository(db));
    await restarted.onApplicationBootstrap();
    expect(fixed.rulesToDecideAt(new Date()).release?.version).toBe(due.version);
    await restarted.onModuleDestroy();
    fixed.onModuleDestroy();
  });

  it('keeps the approval lead in the database, on its clock, whoever writes the row; the service answers its refusal as RELEASE.EFFECTIVE_TOO_SOON', async () => {
    const draft = await service.createDraft({ content: files, author: '王芳' });
    // A writer that skips the service's check: effective sooner than the lead it records after the database's now(), a lead under the floor, no lead.
    await expect(db.query(`UPDATE rule_release SET approver = '李强', approved_at = now(), effective_at = now() + interval '500 milliseconds', approval_lead_ms = 1000 WHERE version = $1`, [draft.version])).rejects.toThrow(/ck_rule_release_lead"/);
    await expect(db.query(`UPDATE rule_release SET approver = '李强', approved_at = now(), effective_at = now(), approval_lead_ms = 0 WHERE version = $1`, [draft.version])).rejects.toThrow(/ck_rule_release_lead_floor/);
    await expect(db.query(`UPDATE rule_release SET approver = '李强', approved_at = now(), effective_at = now() + interval '1 hour' WHERE version = $1`, [draft.version])).rejects.toThrow(/ck_rule_release_lead_recorded/);

    // A server whose clock runs 5 s behind the database's: its own check passes, the database's does not.
    const behind = new Date(Date.now() - 5_000);
    const effectiveAt = new Date(behind.getTime() + LEAD_MS + 100).toISOString();
    expect(await refusal(service.approve(draft.version, { approver: '李强', effectiveAt }, behind))).toEqual({ code: 'RELEASE.EFFECTIVE_TOO_SOON', context: { version: draft.version } });
    expect((await service.get(draft.version)).status).toBe('draft');
    const approved = await service.approve(draft.version, { approver: '李强', effectiveAt: new Date(Date.now() + LEAD_MS + 500).toISOString() });
    expect(approved.status).toBe('scheduled');
    const [row] = (await db.query(`SELECT approval_lead_ms, effective_at - approved_at >= interval '1 second' AS led FROM rule_release WHERE version = $1`, [approved.version])) as { approval_lead_ms: number; led: boolean }[];
    expect(row).toEqual({ approval_lead_ms: LEAD_MS, led: true });

    // A rollback is an approval too.
    expect((await refusal(service.rollback(approved.version, { actor: '赵敏', effectiveAt }, behind)))?.code).toBe('RELEASE.EFFECTIVE_TOO_SOON');
  });
});

/** rules/ with JD-01 given to a department rules/ never names. */
function naming(content: RuleContent, department: string): RuleContent {
  const memorandum = JSON.parse(content.memoranda['judgment-debtors.json']) as { measures: { implementingDepartment: string }[] };
  memorandum.measures[0].implementingDepartment = department;
  return { ...content, memoranda: { ...content.memoranda, 'judgment-debtors.json': `${JSON.stringify(memorandum, null, 2)}\n` } };
}

/** The departments file without `code`: the registry of an engine not yet given it. */
function departmentsWithout(code: string): string {
  const document = JSON.parse(readFileSync(join(__dirname, '../../config/departments.json'), 'utf8')) as { departments: { code: string }[] };
  const file = join(mkdtempSync(join(tmpdir(), 'departments-')), 'departments.json');
  writeFileSync(file, JSON.stringify({ ...document, departments: document.departments.filter((d) => d.code !== code) }));
  return file;
}
