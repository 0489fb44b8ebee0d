import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ConfigModule, loadAppConfig } from '@app/config';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { CatalogueService, EngineModule, KafkaEventBatchService } from '@app/engine';
import { PersistenceModule } from '@app/persistence';
import { draftRules, HistoryReader, SimulatedRules, WhatIfRun, WhatIfSummary } from '@app/policy';
import { loadRuleSet, readRuleContent } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { DEFAULT_BENCH_DATABASE_URL, databaseName, ensureDatabase, recreateSchema, redact, withClient, withDatabase } from './support/bench-database';
import { fmt, formatGoals, round, table } from './support/child-app';
import { CORPUS_WEIGHTS } from './support/corpus';
import { phaseProgress } from './support/progress-bar';

export const WHAT_IF_DEFAULTS = {
  events: 100_000,
  goalSeconds: 30,
  get databaseUrl(): string {
    const base = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
    return withDatabase(base, `${databaseName(base)}_what_if`);
  },
};

export interface WhatIfBenchOptions {
  events: number;
  seed: number;
  rebuild: boolean;
  databaseUrl: string;
  onProgress: (line: string) => void;
}

export interface WhatIfRunFigures {
  label: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  summary: Pick<WhatIfSummary, 'decisionsBefore' | 'decisionsAfter' | 'eventsWithDifferences' | 'decisions'>;
}

export interface WhatIfBenchResult {
  database: string;
  events: number;
  decisions: number;
  seeding: { seconds: number; reused: boolean };
  /** The draft (judgment-debtors without JD-03, plus a new supervision rule), then the rule set that made the decisions. */
  modified: WhatIfRunFigures;
  unchanged: WhatIfRunFigures;
  goalSeconds: number;
  loadAverage: number[];
}

const RULES_DIR = resolve('rules');
const SEED_BATCH = 1_000;

@Module({})
class SeedingModule {}

/**
 * What-if on history at scale: `events` decided events put in PostgreSQL by the engine's own
 * path (KafkaEventBatchService: decide, store the decisions and the processed-event rows),
 * then simulated twice with the production code (draftRules → WhatIfRun over HistoryReader):
 * a modified draft, timed against the goal, and the rule set that decided them, which must
 * give zero differences. The seeded history is kept between runs (--rebuild-what-if-data).
 */
export async function benchWhatIf(options: WhatIfBenchOptions): Promise<WhatIfBenchResult> {
  const { databaseUrl: url, onProgress: log } = options;
  const created = await ensureDatabase(url);
  const decided = created ? 0 : await withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM inbound_event WHERE status = 'processed'`).catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n));
  const reuse = !options.rebuild && decided === options.events;
  if (!reuse) await recreateSchema(url);
  log(`what-if: database ${redact(url)}${reuse ? ` (reusing ${fmt(decided)} decided events)` : ''}`);

  const config = { ...loadAppConfig({}), DATABASE_URL: url, RULES_DIR, LIFECYCLE_INTERVAL_MS: 0, RULES_RELOAD_INTERVAL_MS: 0, LOG_LEVEL: 'error' as const };
  const context = await NestFactory.createApplicationContext({ module: SeedingModule, imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), EngineModule] }, { logger: ['error'] });
  try {
    const seedStarted = performance.now();
    if (!reuse) {
      await seed(context, options);
      // What autovacuum does on a live database soon after a bulk of inserts: statistics, and the visibility map index-only scans need.
      await withClient(url, (client) => client.query('VACUUM ANALYZE inbound_event, decision, measure_task, list_entry'));
    }
    const seeding = { seconds: round((performance.now() - seedStarted) / 1000, 1), reused: reuse };
    const dataSource = context.get(DataSource);
    const history = new HistoryReader(dataSource);
    const [{ from, to, decisions }] = (await dataSource.query(`SELECT min(received_at) AS from, max(received_at) AS to, (SELECT count(*)::int FROM decision) AS decisions FROM inbound_event`)) as { from: Date; to: Date; decisions: number }[];
    const period = { from: new Date(from), to: new Date(new Date(to).getTime() + 1) };
    const catalogue = context.get(CatalogueService);
    const departments = new Set(catalogue.departments.all().map((d) => d.code));

    const modified = await timeRun('modified draft', draftRules({ memoranda: modifiedDraft() }, readRuleContent(RULES_DIR), RULES_DIR, departments), period, history, log);
    const unchanged = await timeRun('unchanged rule set', draftRules({ memoranda: ruleFiles() }, readRuleContent(RULES_DIR), RULES_DIR, departments), period, history, log);
    return { database: databaseName(url), events: modified.events, decisions, seeding, modified, unchanged, goalSeconds: WHAT_IF_DEFAULTS.goalSeconds, loadAverage: loadavg().map((l) => round(l, 2)) };
  } finally {
    await context.close();
  }
}

async function seed(context: INestApplicationContext, options: WhatIfBenchOptions): Promise<void> {
  const ruleSet = loadRuleSet(RULES_DIR);
  // Publishers the engine admits only (no strays): the history holds what the engine decided.
  const generator = new CreditEventGenerator({ seed: options.seed, vocabulary: vocabularyFromRules(ruleSet.memoranda), eventTypeWeights: CORPUS_WEIGHTS, strayPublisherRate: 0 });
  const batches = context.get(KafkaEventBatchService);
  const bar = phaseProgress('what-if: seeding decided events', options.events, options.onProgress);
  let done = 0;
  while (done < options.events) {
    const batch: CreditEvent[] = [];
    while (batch.length < Math.min(SEED_BATCH, options.events - done)) {
      try {
        batch.push(parseCreditEvent(generator.next()));
      } catch {
        // the generator makes some invalid on purpose; the engine never decides those
      }
    }
    await batches.processBatch(batch, []);
    done += batch.length;
    bar.update(done);
  }
  bar.stop();
}

async function timeRun(label: string, rules: SimulatedRules, period: { from: Date; to: Date }, history: HistoryReader, log: (line: string) => void): Promise<WhatIfRunFigures> {
  const run = new WhatIfRun(label, period, rules, rules.ruleSet.revision);
  let bar: ReturnType<typeof phaseProgress> | undefined;
  const started = performance.now();
  await run.execute(history, (done, total) => {
    bar ??= phaseProgress(`what-if: ${label}`, total, log);
    bar.update(done);
  });
  const seconds = (performance.now() - started) / 1000;
  bar?.stop();
  if (run.state !== 'finished') throw new Error(`what-if run ${label} ${run.state}: ${run.failure ?? ''}`);
  const { decisionsBefore, decisionsAfter, eventsWithDifferences, decisions } = run.summary;
  return { label, events: run.done, seconds: round(seconds, 2), eventsPerSecond: Math.round(run.done / seconds), summary: { decisionsBefore, decisionsAfter, eventsWithDifferences, decisions } };
}

type RuleFileJson = { id: string; rules: Array<{ name: string; description: string; conditions: unknown; measures: string[] }> };

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

/** A realistic edit: one measure dropped from the judgment-debtor sanctions, and key supervision after other departments' penalties. */
function modifiedDraft(): { file: string; content: string }[] {
  return ruleFiles((m) => {
    if (m.id === 'judgment-debtors') for (const rule of m.rules) rule.measures = rule.measures.filter((code) => code !== 'JD-03');
    if (m.id === 'environmental-dishonesty') {
      m.rules.push({
        name: 'other-departments-violation-supervision',
        description: "Draft: key supervision also after another department's general or serious penalty.",
        conditions: { all: [{ fact: 'severity', operator: 'in', value: ['general', 'serious'] }, { fact: 'sourceDepartment', operator: 'notEqual', value: 'environment' }, { fact: 'eventType', operator: 'equal', value: 'credit.penalty.imposed.v1' }] },
        measures: ['ENV-01'],
      });
    }
  });
}

export function formatWhatIfTable(result: WhatIfBenchResult): string {
  const rows = [result.modified, result.unchanged].map((r) => [
    r.label,
    fmt(r.events),
    fmt(r.seconds, 2),
    fmt(r.eventsPerSecond),
    fmt(r.summary.decisionsBefore),
    fmt(r.summary.decisionsAfter),
    fmt(r.summary.decisions.gained),
    fmt(r.summary.decisions.lost),
    fmt(r.summary.decisions.changed),
  ]);
  const zero = result.unchanged.summary.eventsWithDifferences === 0;
  return [
    `what-if on history: ${fmt(result.events)} decided events (${fmt(result.decisions)} decisions) in ${result.database}, seeded through the engine's store path${result.seeding.reused ? ' (reused)' : ` in ${fmt(result.seeding.seconds)} s`}`,
    table(['rule set', 'events', 'seconds', 'events/s', 'decisions before', 'after', 'gained', 'lost', 'changed'], rows),
    formatGoals([
      { name: `${fmt(result.events)} recorded events simulated`, target: `< ${result.goalSeconds} s`, measured: `${fmt(result.modified.seconds, 2)} s`, met: result.modified.seconds < result.goalSeconds && result.events >= 100_000 },
      { name: 'the unchanged rule set gives no difference', target: '0 events with differences', measured: `${fmt(result.unchanged.summary.eventsWithDifferences)}`, met: zero },
    ]),
    `load average ${result.loadAverage.join(' / ')} (1 / 5 / 15 min; 2 shared cores)`,
  ].join('\n');
}
