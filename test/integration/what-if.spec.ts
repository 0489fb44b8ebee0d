import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ConfigModule, loadAppConfig } from '@app/config';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { KafkaEventBatchService } from '@app/engine';
import { PersistenceModule, RuleReleaseRepository } from '@app/persistence';
import { parseEditedFileWhatIfRequest, parseWhatIfRequest, WhatIfModule, WhatIfProgress, WhatIfService } from '@app/policy';
import { buildCreditFacts, loadRuleSet, readRuleContent } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { ownTestDatabaseUrl, truncateAll } from '../support/database';
import { startEngineHarness } from '../support/engine-harness';

// The engine decides a few hundred generated events into PostgreSQL; what-if runs then simulate
// rule sets over that history through the module the query API serves.
const RULES_DIR = resolve('rules');
const EVENTS = 400;

type RuleFileJson = { id: string; rules: Array<{ name: string; conditions: unknown; measures: string[] }> };

function ruleFiles(edit: (memorandum: RuleFileJson) => void = () => undefined): { file: string; content: string }[] {
  return readdirSync(RULES_DIR)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.cases.json') && !name.includes('schema') && name !== 'instruments.json')
    .sort()
    .map((file) => {
      const memorandum = JSON.parse(readFileSync(join(RULES_DIR, file), 'utf8')) as RuleFileJson;
      edit(memorandum);
      return { file, content: JSON.stringify(memorandum, null, 2) };
    });
}

describe('what-if on history (real engine path, real PostgreSQL)', () => {
  let db: DataSource;
  let app: INestApplication;
  let whatIf: WhatIfService;
  let closeEngine: () => Promise<void>;
  let period: { from: string; to: string };
  let events: CreditEvent[];

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('what_if');
    const harness = await startEngineHarness('2026-12-01T02:00:00Z', { DATABASE_URL: url });
    closeEngine = harness.close;
    db = harness.db;
    await truncateAll(db);
    const from = new Date(Date.now() - 60_000);
    const ruleSet = loadRuleSet(RULES_DIR);
    const generator = new CreditEventGenerator({
      seed: 20261201,
      vocabulary: vocabularyFromRules(ruleSet.memoranda),
      strayPublisherRate: 0,
      eventTypeWeights: { 'credit.judgment-debtor.listed.v1': 30, 'credit.list-entry.added.v1': 25, 'credit.penalty.imposed.v1': 40, 'credit.rating.assigned.v1': 5 },
    });
    events = generator.take(EVENTS).flatMap((raw) => {
      try {
        return [parseCreditEvent(raw)];
      } catch {
        return []; // the generator makes some invalid on purpose; the engine never sees those
      }
    });
    const batches: KafkaEventBatchService = harness.batches;
    for (let i = 0; i < events.length; i += 100) await batches.processBatch(events.slice(i, i + 100), []);
    period = { from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() };

    const config = { ...loadAppConfig({}), DATABASE_URL: url, RULES_RELOAD_INTERVAL_MS: 0 };
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), WhatIfModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    whatIf = app.get(WhatIfService);
  });

  afterAll(async () => {
    await app?.close();
    await closeEngine?.();
  });

  const start = (body: unknown) => whatIf.start(parseWhatIfRequest(body));

  async function finished(started: WhatIfProgress): Promise<WhatIfProgress> {
    for (;;) {
      const progress = whatIf.progress(started.id);
      if (progress.state !== 'running') return progress;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const count = async (sql: string, params: unknown[] = []) => Number(((await db.query(sql, params)) as { n: string }[])[0].n);

  it('finds no difference with the rule set that made the decisions, over every decided event', async () => {
    const decided = await count(`SELECT count(*) AS n FROM inbound_event WHERE status = 'processed'`);
    const decisions = await count(`SELECT count(*) AS n FROM decision`);
    expect(decided).toBe(events.length);
    expect(decisions).toBeGreaterThan(100);

    for (const body of [{ period, release: 'in-force' }, { period, draft: { memoranda: ruleFiles() } }]) {
      const run = await finished(await start(body));
      expect(run).toMatchObject({ state: 'finished', progress: { done: decided, total: decided }, csvComplete: true });
      expect(run.summary).toMatchObject({ decisionsBefore: decisions, decisionsAfter: decisions, eventsWithDifferences: 0, decisions: { gained: 0, lost: 0, changed: 0 }, byMemorandum: [], byMeasure: [] });
      expect(whatIf.csv(run.id).split('\r\n').filter(Boolean)).toHaveLength(1); // the header only
    }
  });

  it('loses exactly the removed measure, on exactly the decisions that had it', async () => {
    const run = await finished(await start({ period, draft: { memoranda: ruleFiles((m) => m.id === 'judgment-debtors' && m.rules.forEach((r) => (r.measures = r.measures.filter((code) => code !== 'JD-03')))) } }));
    const tasks = await count(`SELECT count(*) AS n FROM measure_task WHERE measure_code = 'JD-03'`);
    const withIt = await count(`SELECT count(DISTINCT decision_id) AS n FROM measure_task WHERE measure_code = 'JD-03'`);
    expect(tasks).toBeGreaterThan(0);
    expect(run.state).toBe('finished');
    expect(run.summary.decisions).toEqual({ gained: 0, lost: 0, changed: withIt });
    expect(run.summary.byMeasure).toEqual([{ measureCode: 'JD-03', memorandumId: 'judgment-debtors', gained: 0, lost: tasks, changed: 0 }]);
    expect(run.summary.byMemorandum.map(({ examples, ...counts }) => [counts, examples.length])).toEqual([[{ memorandumId: 'judgment-debtors', gained: 0, lost: 0, changed: withIt }, Math.min(5, withIt)]]);
    const departments = (await db.query(`SELECT DISTINCT implementing_department AS d FROM measure_task WHERE measure_code = 'JD-03' ORDER BY 1`)) as { d: string }[];
    expect(run.summary.byDepartment).toEqual(departments.map(({ d }) => ({ department: d, gained: 0, lost: 0, changed: withIt })));
    // Examples are masked: no resident ID of the history appears whole.
    for (const { subject } of run.summary.byMemorandum[0].examples) if (subject.idType === 'RESIDENT_ID') expect(subject.id).toMatch(/^\d{6}\*{8}[\dX]{4}$/);

    const csv = whatIf.csv(run.id).trimEnd().split('\r\n');
    expect(csv[0]).toBe('source,event_id,event_type,decided_at,memorandum_id,change,subject,measures_gained,measures_lost,measures_changed,list_entries_changed');
    expect(csv).toHaveLength(withIt + 1);
    for (const line of csv.slice(1)) expect(line).toMatch(/^\/departments\/court,[^,]+,credit\.[a-z.-]+\.v1,[^,]+,judgment-debtors,changed,[^,]+,,(JD-03 ?)+,,false$/);

    // Drill-down: the stored explanation against the draft's, same rule, the measure gone.
    const example = run.summary.byMemorandum[0].examples[0];
    const detail = await whatIf.drillDown(run.id, example.source, example.eventId);
    expect(detail.differences).toHaveLength(1);
    expect(detail.differences[0].measuresLost.every((m) => m.measureCode === 'JD-03')).toBe(true);
    const before = detail.before.find((d) => d.memorandumId === 'judgment-debtors')!;
    const after = detail.after.find((d) => d.memorandumId === 'judgment-debtors')!;
    expect(Object.keys(after.explanations)).toEqual(Object.keys(before.explanations));
    const rule = Object.keys(before.explanations)[0];
    expect(before.explanations[rule]).toMatchObject({ causeEvent: { id: example.eventId, source: example.source }, rule: { name: rule } });
    expect(after.explanations[rule].ruleSetRevision).not.toBe((before.explanations[rule] as { ruleSetRevision: string }).ruleSetRevision);
    await expect(whatIf.drillDown(run.id, example.source, 'no-such-event')).rejects.toMatchObject({ code: 'WHAT_IF.EVENT_NOT_FOUND' });
  });

  it('simulates a stored release by its version, a draft one too, and one memorandum file in place of its file in rules/, alike', async () => {
    const withoutJd03 = (m: RuleFileJson) => m.id === 'judgment-debtors' && m.rules.forEach((r) => (r.measures = r.measures.filter((code) => code !== 'JD-03')));
    const edited = ruleFiles(withoutJd03).find((f) => f.file === 'judgment-debtors.json')!;
    const content = readRuleContent(RULES_DIR);
    content.memoranda[edited.file] = edited.content;
    const tasks = await count(`SELECT count(*) AS n FROM measure_task WHERE measure_code = 'JD-03'`);
    const withIt = await count(`SELECT count(DISTINCT decision_id) AS n FROM measure_task WHERE measure_code = 'JD-03'`);

    const byFile = await finished(await whatIf.start(parseEditedFileWhatIfRequest({ period, draft: edited })));
    // Stored as it is: the release service would refuse it, since the memorandum's rule cases expect JD-03.
    const release = await app.get(RuleReleaseRepository).create({ revision: byFile.simulated, content, author: 'what-if-spec', notes: 'JD-03 dropped' });
    const byRelease = await finished(await start({ period, release: release.version }));
    expect(byRelease.simulated).toBe(`release ${release.version}`);
    expect(byFile.simulated).toMatch(/^sha256:/);
    for (const run of [byRelease, byFile]) {
      expect(run.state).toBe('finished');
      expect(run.summary.decisions).toEqual({ gained: 0, lost: 0, changed: withIt });
      expect(run.summary.byMeasure).toEqual([{ measureCode: 'JD-03', memorandumId: 'judgment-debtors', gained: 0, lost: tasks, changed: 0 }]);
    }
    await expect(start({ period, release: release.version + 1000 })).rejects.toMatchObject({ code: 'WHAT_IF.UNKNOWN_RELEASE' });
    await expect(whatIf.start(parseEditedFileWhatIfRequest({ period, draft: { file: 'no-such-memorandum.json', content: '{}' } }))).rejects.toMatchObject({ code: 'WHAT_IF.INVALID_REQUEST' });
  });

  it('gains a decision on every event a new rule matches and no other', async () => {
    const newRule = {
      name: 'other-departments-violation-supervision',
      description: "Draft: key supervision also after another department's general or serious penalty.",
      conditions: { all: [{ fact: 'severity', operator: 'in', value: ['general', 'serious'] }, { fact: 'sourceDepartment', operator: 'notEqual', value: 'environment' }, { fact: 'eventType', operator: 'equal', value: 'credit.penalty.imposed.v1' }] },
      measures: ['ENV-01'],
    };
    const run = await finished(await start({ period, draft: { memoranda: ruleFiles((m) => m.id === 'environmental-dishonesty' && m.rules.push(newRule)) } }));
    // The oracle: the facts the engine builds, matched by hand against the new rule's conditions.
    const ruleSet = loadRuleSet(RULES_DIR);
    const matching = events.filter((e) => {
      const facts = buildCreditFacts(e, ruleSet);
      return ['general', 'serious'].includes(facts.severity) && facts.sourceDepartment !== 'environment' && facts.eventType === 'credit.penalty.imposed.v1';
    });
    expect(matching.length).toBeGreaterThan(0);
    expect(run.summary.decisions).toEqual({ gained: matching.length, lost: 0, changed: 0 });
    expect(run.summary.byMeasure).toEqual([{ measureCode: 'ENV-01', memorandumId: 'environmental-dishonesty', gained: matching.length, lost: 0, changed: 0 }]);
    expect(run.summary.decisionsAfter - run.summary.decisionsBefore).toBe(matching.length);
    const csv = whatIf.csv(run.id).trimEnd().split('\r\n').slice(1);
    expect(csv.map((line) => line.split(',')[1]).sort()).toEqual(matching.map((e) => e.id).sort());
    expect(csv.every((line) => line.includes(',environmental-dishonesty,gained,'))).toBe(true);
  });

  it('refuses a draft that does not load, one run at a time, and cancels', async () => {
    await expect(start({ period, draft: { memoranda: [{ file: 'judgment-debtors.json', content: '{ not json' }] } })).rejects.toMatchObject({ code: 'WHAT_IF.INVALID_RULE_SET' });
    const first = await start({ period, release: 'in-force' });
    await expect(start({ period, release: 'in-force' })).rejects.toMatchObject({ code: 'WHAT_IF.BUSY' });
    expect(() => whatIf.csv(first.id)).toThrow(expect.objectContaining({ code: 'WHAT_IF.NOT_FINISHED' }));
    // The answer comes once the run has stopped: it says so itself.
    expect((await whatIf.cancel(first.id)).state).toBe('cancelled');
    const cancelled = await finished(first);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.progress.done).toBe(0); // cancelled before its first page was read
    expect(() => whatIf.progress('00000000-0000-4000-8000-000000000000')).toThrow(expect.objectContaining({ code: 'WHAT_IF.NOT_FOUND' }));
  });
});
