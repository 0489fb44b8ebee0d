import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { chinaDate, CreditEvent, parseCreditEvent } from '@app/domain';
import {
  buildCreditFacts,
  buildRuleSet,
  CreditFacts,
  RuleFile,
  RuleSetLoadOptions,
  JsonRulesEngineEvaluator,
  loadRuleSet,
  readRuleSources,
  RuleSources,
  planDecisions,
  RuleMatch,
  RuleSet,
  CompiledRuleEvaluator,
} from '@app/rules';
import {
  CreditEventGenerator,
  DEFAULT_DEPARTMENTS,
  DepartmentPublishing,
  matchedRuleKeys,
  scaleMemoranda,
  toRuleFile,
  vocabularyFromRules,
  ZenLayout,
  ZenRuleEvaluator,
} from '@app/rules/testing';

/**
 * Rule evaluation: json-rules-engine run naively (one Engine holding every rule, one
 * `engine.run` per event — JsonRulesEngineEvaluator), GoRules Zen (the rule set translated
 * into a switch on the event type in front of one decision table per type, loaded once,
 * `await decision.evaluate(facts)` per event — ZenRuleEvaluator; faster than one table of
 * every rule) and CompiledRuleEvaluator, on the same seeded corpus in the same
 * process, at several rule-base sizes; then a differential check that json-rules-engine and
 * ours produce the same decisions, and Zen the same matched rules, on a large fresh corpus.
 */
export interface RuleEvaluationBenchOptions {
  /** Events in the timing corpus (the baseline evaluates each once; ours loops over it until `minOursMs`). */
  events: number;
  ruleCounts: number[];
  /**
   * Differential (decision equality) checks: fresh events at a rule count each. The
   * baseline side costs ~3 ms per event at 100 rules and ~22 ms at 500 on this machine, so
   * the default is 25,000 events at 100 rules and 1,000 at 500 (plus each timing corpus); 100:100000,500:5000 is the full check.
   */
  differentials: { ruleCount: number; events: number }[];
  seed?: number;
  /**
   * Ours is timed in rounds that cycle through the rule counts (so a burst of load from
   * other processes hits every size alike); the figure is the median round. Each round runs
   * at least minOursMs / oursRounds ms (and at least 250 ms) per rule count and mode.
   */
  minOursMs?: number;
  oursRounds?: number;
  /** Worker threads for the differential check (it is not timed); default: one per CPU, at most 4. 0 = in this thread. */
  differentialWorkers?: number;
  rulesDir?: string;
  departmentsFile?: string;
  onProgress?: (line: string) => void;
}

export interface Throughput {
  events: number;
  /** Wall clock (process.hrtime.bigint). */
  ms: number;
  eventsPerSecond: number;
  microsecondsPerEvent: number;
  /** CPU time of this process (user + system, all its threads, GC included) per event: less sensitive to other load on the machine. */
  cpuMicrosecondsPerEvent: number;
}

export interface RuleCountResult {
  ruleCount: number;
  memoranda: number;
  corpusEvents: number;
  matchesPerEvent: number;
  eventsWithMatches: number;
  compiled: { strictRules: number; exactlyIndexedRules: number; unconstrainedRules: number; indexedFacts: string[] };
  baseline: Throughput;
  /** GoRules Zen, `await decision.evaluate(facts)` (its Node API has no sync or batch call): the median round. */
  zen: RoundedThroughput & { loadMs: number; layout: ZenLayout; tables: number; tableRows: number };
  /** Through the RuleEvaluator contract (`await evaluate(facts)`): the median round. */
  ours: RoundedThroughput;
  /** evaluateSync(facts): the median round. */
  oursSync: RoundedThroughput;
  /** ours events/s ÷ baseline events/s (wall clock). */
  ratio: number;
  /** The same from CPU time per event. */
  cpuRatio: number;
  /** ours events/s ÷ Zen events/s (median rounds, both awaited per event). */
  oursOverZen: number;
  /** The same from CPU time per event. */
  oursOverZenCpu: number;
}

export interface RoundedThroughput extends Throughput {
  /** µs per event of every round, in order. */
  rounds: number[];
  minMicrosecondsPerEvent: number;
  maxMicrosecondsPerEvent: number;
}

export interface DifferentialResult {
  ruleCount: number;
  ruleSetRevision: string;
  workers: number;
  events: number;
  identicalDecisions: number;
  identicalMatches: number;
  /** Events where Zen's matched (memorandum, rule) pairs equal json-rules-engine's. */
  identicalZenMatches: number;
  /** Events where ours or Zen differ from json-rules-engine. */
  mismatches: number;
  firstMismatches: { shard: number; index: number; eventId: string; eventType: string; what: string }[];
  decisions: number;
  listEntries: number;
  measureTasks: number;
  eventsWithDecisions: number;
  ms: number;
}

export interface RuleEvaluationBenchResult {
  benchmark: 'rule-evaluation';
  generatedAt: string;
  /** loadAverage: 1-minute load when the timing started and when it ended (other processes skew timings). */
  environment: { node: string; platform: string; cpu: string; cpus: number; loadAverage: { start: number; afterTiming: number } };
  seed: number;
  options: Omit<RuleEvaluationBenchOptions, 'onProgress'>;
  ruleCounts: RuleCountResult[];
  /** Ours, median rounds (and best rounds, less sensitive to other load on the machine). */
  growth?: { fromRules: number; toRules: number; fromMicroseconds: number; toMicroseconds: number; factor: number; bestRoundsFactor: number; cpuFactor: number };
  differentials: DifferentialResult[];
  goals: { name: string; target: string; measured: string; met: boolean }[];
}

const now = (): bigint => process.hrtime.bigint();
const msSince = (start: bigint): number => Number(now() - start) / 1e6;
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

function throughput(events: number, ms: number, cpuMicroseconds: number): Throughput {
  return {
    events,
    ms: round(ms, 1),
    eventsPerSecond: round((events / ms) * 1000, 1),
    microsecondsPerEvent: round((ms * 1000) / events, 3),
    cpuMicrosecondsPerEvent: round(cpuMicroseconds / events, 3),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function locate(candidates: string[], what: string): string {
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`cannot find ${what}; tried ${candidates.join(', ')}`);
  return found;
}

interface Corpus {
  events: CreditEvent[];
  facts: CreditFacts[];
}

/** A seeded corpus drawn from the rule set's own vocabulary, parsed as the engine would receive it. */
function corpusFor(ruleSet: RuleSet, departments: readonly DepartmentPublishing[], seed: number, count: number): Corpus {
  const generator = new CreditEventGenerator({ seed, vocabulary: vocabularyFromRules(ruleSet.memoranda, departments) });
  const events = generator.take(count).map((raw) => parseCreditEvent(raw));
  return { events, facts: events.map((event) => buildCreditFacts(event, ruleSet)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function rounded(rounds: Throughput[]): RoundedThroughput {
  const micros = rounds.map((r) => r.microsecondsPerEvent);
  const typical = median(micros);
  return {
    events: rounds.reduce((n, r) => n + r.events, 0),
    ms: round(rounds.reduce((n, r) => n + r.ms, 0), 1),
    eventsPerSecond: round(1e6 / typical, 1),
    microsecondsPerEvent: round(typical, 3),
    cpuMicrosecondsPerEvent: round(median(rounds.map((r) => r.cpuMicrosecondsPerEvent)), 3),
    rounds: micros,
    minMicrosecondsPerEvent: Math.min(...micros),
    maxMicrosecondsPerEvent: Math.max(...micros),
  };
}

async function timeAsync(evaluator: { evaluate(facts: CreditFacts): Promise<unknown> }, facts: readonly CreditFacts[], minMs: number, maxPasses: number): Promise<Throughput & { passes: number }> {
  let passes = 0;
  let events = 0;
  const cpu = process.cpuUsage();
  const start = now();
  let elapsed = 0;
  do {
    for (let i = 0; i < facts.length; i++) await evaluator.evaluate(facts[i]);
    passes++;
    events += facts.length;
    elapsed = msSince(start);
  } while (elapsed < minMs && passes < maxPasses);
  return { ...throughput(events, elapsed, cpuSince(cpu)), passes };
}

function timeSync(evaluator: CompiledRuleEvaluator, facts: readonly CreditFacts[], minMs: number): Throughput & { passes: number } {
  let passes = 0;
  let events = 0;
  let sink = 0;
  const cpu = process.cpuUsage();
  const start = now();
  let elapsed = 0;
  do {
    for (let i = 0; i < facts.length; i++) sink += evaluator.evaluateSync(facts[i]).length;
    passes++;
    events += facts.length;
    elapsed = msSince(start);
  } while (elapsed < minMs);
  if (sink < 0) throw new Error('unreachable');
  return { ...throughput(events, elapsed, cpuSince(cpu)), passes };
}

const projection = (matches: RuleMatch[]) => matches.map((m) => [m.memorandum.id, m.rule.name, m.matchedFacts, m.conditionTrace]);
const sameRules = (a: string[], b: string[]) => a.length === b.length && a.every((key, i) => key === b[i]);

export async function benchRuleEvaluation(options: RuleEvaluationBenchOptions): Promise<RuleEvaluationBenchResult> {
  const progress = options.onProgress ?? (() => undefined);
  const seed = options.seed ?? 20261127;
  const minOursMs = options.minOursMs ?? 1500;
  const rulesDir = options.rulesDir ?? locate([join(__dirname, '../../../rules'), join(__dirname, '../../rules'), resolve('rules')], 'the rules directory');
  const departmentsFile =
    options.departmentsFile ?? [join(__dirname, '../../../config/departments.json'), join(__dirname, '../../config/departments.json'), resolve('config/departments.json')].find((c) => existsSync(c));
  // The department registry: who publishes what (for the corpus) and which codes exist (for the loader).
  const registry = departmentsFile
    ? (JSON.parse(readFileSync(departmentsFile, 'utf8')) as { departments: { code: string; publishes?: { eventTypes?: string[]; lists?: string[] } }[] }).departments
    : undefined;
  const departments: DepartmentPublishing[] = registry
    ? registry.map((d) => ({ code: d.code, eventTypes: d.publishes?.eventTypes ?? [], lists: d.publishes?.lists ?? [] }))
    : [...DEFAULT_DEPARTMENTS];
  const knownDepartments = registry ? new Set(registry.map((d) => d.code)) : undefined;
  const sources = readRuleSources(rulesDir);
  const shipped = loadRuleSet(rulesDir, { knownDepartments });
  const shippedRules = shipped.memoranda.reduce((n, m) => n + m.rules.length, 0);

  /** Scaled rule sets go through the loader's own validation (schema, legality, cross-file checks). */
  const filesFor = (ruleCount: number): RuleFile[] => scaleMemoranda(shipped.memoranda, ruleCount, seed).map(toRuleFile);
  const ruleSetOf = (ruleCount: number): RuleSet => buildRuleSet({ ...sources, memoranda: filesFor(ruleCount) }, { knownDepartments });

  const loadAtStart = loadavg()[0];
  progress(`rule evaluation: ${shipped.memoranda.length} shipped memoranda (${shippedRules} rules), scaled to ${options.ruleCounts.join(' / ')} rules; ${options.events} timing events per size`);

  interface Measured {
    ruleCount: number;
    memoranda: number;
    facts: CreditFacts[];
    evaluator: CompiledRuleEvaluator;
    zen: ZenRuleEvaluator;
    zenLoadMs: number;
    baseline: Throughput;
    matches: number;
    eventsWithMatches: number;
  }
  const measured: Measured[] = [];
  for (const ruleCount of options.ruleCounts) {
    const ruleSet = ruleSetOf(ruleCount);
    const corpus = corpusFor(ruleSet, departments, seed + ruleCount, options.events);
    const baselineEvaluator = new JsonRulesEngineEvaluator(ruleSet);
    const oursEvaluator = new CompiledRuleEvaluator(ruleSet);
    const zenLoad = now();
    const zenEvaluator = new ZenRuleEvaluator(ruleSet);
    const zenLoadMs = msSince(zenLoad);

    const warmup = corpus.facts.slice(0, Math.min(200, corpus.facts.length));
    for (const facts of warmup) await baselineEvaluator.evaluate(facts);
    progress(`  ${ruleCount} rules: baseline (json-rules-engine) on ${corpus.facts.length} events…`);
    const expected: RuleMatch[][] = [];
    const cpu = process.cpuUsage();
    const start = now();
    for (const facts of corpus.facts) expected.push(await baselineEvaluator.evaluate(facts));
    const baseline = throughput(corpus.facts.length, msSince(start), cpuSince(cpu));

    // Same answers on the timing corpus too (cheap: the baseline pass is needed anyway).
    let matches = 0;
    let eventsWithMatches = 0;
    for (const [i, facts] of corpus.facts.entries()) {
      const ours = await oursEvaluator.evaluate(facts);
      if (JSON.stringify(projection(ours)) !== JSON.stringify(projection(expected[i]))) {
        throw new Error(`${ruleCount} rules: compiled evaluator differs from json-rules-engine on timing event ${i} (${corpus.events[i].id})`);
      }
      if (!sameRules(matchedRuleKeys(await zenEvaluator.evaluate(facts)), matchedRuleKeys(expected[i]))) {
        throw new Error(`${ruleCount} rules: Zen matches other rules than json-rules-engine on timing event ${i} (${corpus.events[i].id})`);
      }
      matches += expected[i].length;
      if (expected[i].length > 0) eventsWithMatches++;
    }
    measured.push({ ruleCount, memoranda: ruleSet.memoranda.length, facts: corpus.facts, evaluator: oursEvaluator, zen: zenEvaluator, zenLoadMs, baseline, matches, eventsWithMatches });
    progress(
      `  ${ruleCount} rules: baseline ${fmt(baseline.eventsPerSecond)} ev/s (${fmt(baseline.microsecondsPerEvent)} µs/ev); same matches from ours and the same rules from Zen (${zenEvaluator.translation.layout}: ${zenEvaluator.translation.tables} tables, ${fmt(zenEvaluator.translation.rows)} rows, loaded in ${fmt(zenLoadMs)} ms) on all ${corpus.facts.length} events`,
    );
  }

  // Zen and ours: warm-up, then rounds cycling through the sizes and the two engines (so a
  // burst of load from other processes hits both alike; no result is reused between events;
  // the passes go over the same corpus, as the baseline's did).
  const rounds = Math.max(1, options.oursRounds ?? 7);
  const roundMs = Math.max(250, minOursMs / rounds);
  progress(`  Zen and ours (compiled): ${rounds} rounds of ≥ ${fmt(roundMs)} ms per size, Zen, ours async and ours sync…`);
  for (const m of measured) {
    await timeAsync(m.zen, m.facts, 300, Number.MAX_SAFE_INTEGER);
    await timeAsync(m.evaluator, m.facts, 300, Number.MAX_SAFE_INTEGER);
    timeSync(m.evaluator, m.facts, 300);
  }
  const zenRounds = measured.map((): Throughput[] => []);
  const asyncRounds = measured.map((): Throughput[] => []);
  const syncRounds = measured.map((): Throughput[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < measured.length; k++) {
      const i = (k + r) % measured.length;
      zenRounds[i].push(await timeAsync(measured[i].zen, measured[i].facts, roundMs, Number.MAX_SAFE_INTEGER));
      asyncRounds[i].push(await timeAsync(measured[i].evaluator, measured[i].facts, roundMs, Number.MAX_SAFE_INTEGER));
      syncRounds[i].push(timeSync(measured[i].evaluator, measured[i].facts, roundMs));
    }
  }
  for (const m of measured) m.zen.dispose();

  const ruleCounts: RuleCountResult[] = measured.map((m, i) => {
    const ours = rounded(asyncRounds[i]);
    const oursSync = rounded(syncRounds[i]);
    const zen = { ...rounded(zenRounds[i]), loadMs: round(m.zenLoadMs, 1), layout: m.zen.translation.layout, tables: m.zen.translation.tables, tableRows: m.zen.translation.rows };
    const result: RuleCountResult = {
      ruleCount: m.ruleCount,
      memoranda: m.memoranda,
      corpusEvents: m.facts.length,
      matchesPerEvent: round(m.matches / m.facts.length, 3),
      eventsWithMatches: m.eventsWithMatches,
      compiled: {
        strictRules: m.evaluator.stats.strictRules,
        exactlyIndexedRules: m.evaluator.stats.exactlyIndexedRules,
        unconstrainedRules: m.evaluator.stats.unconstrainedRules,
        indexedFacts: m.evaluator.stats.indexedFacts,
      },
      baseline: m.baseline,
      zen,
      ours,
      oursSync,
      ratio: round(ours.eventsPerSecond / m.baseline.eventsPerSecond, 1),
      cpuRatio: round(m.baseline.cpuMicrosecondsPerEvent / ours.cpuMicrosecondsPerEvent, 1),
      oursOverZen: round(ours.eventsPerSecond / zen.eventsPerSecond, 2),
      oursOverZenCpu: round(zen.cpuMicrosecondsPerEvent / ours.cpuMicrosecondsPerEvent, 2),
    };
    progress(
      `  ${m.ruleCount} rules: baseline ${fmt(m.baseline.eventsPerSecond)} ev/s, Zen ${fmt(zen.eventsPerSecond)} ev/s (${fmt(zen.microsecondsPerEvent)} µs/ev, rounds ${fmt(zen.minMicrosecondsPerEvent)}–${fmt(zen.maxMicrosecondsPerEvent)}), ours ${fmt(ours.eventsPerSecond)} ev/s (${fmt(ours.microsecondsPerEvent)} µs/ev, rounds ${fmt(ours.minMicrosecondsPerEvent)}–${fmt(ours.maxMicrosecondsPerEvent)}), ×${fmt(result.ratio)} the baseline, ×${fmt(result.oursOverZen)} Zen`,
    );
    return result;
  });

  const loadAfterTiming = loadavg()[0];
  const byCount = new Map(ruleCounts.map((r) => [r.ruleCount, r]));
  const from = byCount.get(100) ?? ruleCounts[0];
  const to = byCount.get(1000) ?? ruleCounts[ruleCounts.length - 1];
  const growth =
    from && to && from !== to
      ? {
          cpuFactor: round(to.ours.cpuMicrosecondsPerEvent / from.ours.cpuMicrosecondsPerEvent, 2),
          fromRules: from.ruleCount,
          toRules: to.ruleCount,
          fromMicroseconds: from.ours.microsecondsPerEvent,
          toMicroseconds: to.ours.microsecondsPerEvent,
          factor: round(to.ours.microsecondsPerEvent / from.ours.microsecondsPerEvent, 2),
          bestRoundsFactor: round(to.ours.minMicrosecondsPerEvent / from.ours.minMicrosecondsPerEvent, 2),
        }
      : undefined;

  const differentials: DifferentialResult[] = [];
  for (const [i, check] of options.differentials.entries()) {
    differentials.push(
      await runDifferential(
        { sources: { ...sources, memoranda: filesFor(check.ruleCount) }, knownDepartments: knownDepartments ? [...knownDepartments] : undefined, departments },
        check.ruleCount,
        check.events,
        (seed ^ 0x5eed ^ (i * 0x9e37)) >>> 0,
        options.differentialWorkers ?? Math.min(4, cpus().length),
        progress,
      ),
    );
  }

  const at500 = byCount.get(500);
  const goals: RuleEvaluationBenchResult['goals'] = [];
  if (at500) goals.push({ name: 'speed-up at 500 rules', target: '≥ 300×', measured: `${fmt(at500.ratio)}× (CPU time ${fmt(at500.cpuRatio)}×)`, met: at500.ratio >= 300 });
  // Zen's matches were checked on every timing event above (a difference stops the bench) and on every differential event.
  const zenSizes = [100, 500, 1000].map((n) => byCount.get(n));
  const zenDifferences = differentials.reduce((n, d) => n + (d.events - d.identicalZenMatches), 0);
  const timingEvents = ruleCounts.reduce((n, r) => n + r.corpusEvents, 0);
  goals.push({
    name: 'ahead of Zen at 100, 500 and 1,000 rules with identical matches',
    target: 'ours ÷ Zen > 1× at each size, 0 differences in matched rules',
    measured: `${[100, 500, 1000].map((n, i) => `${fmt(n)}: ${zenSizes[i] ? `×${fmt(zenSizes[i]!.oursOverZen)} (CPU ×${fmt(zenSizes[i]!.oursOverZenCpu)})` : 'not run'}`).join(', ')}; ${fmt(timingEvents)} timing + ${fmt(differentials.reduce((n, d) => n + d.events, 0))} differential events, ${zenDifferences} differences`,
    met: zenSizes.every((r) => r !== undefined && r.oursOverZen > 1) && zenDifferences === 0,
  });
  const differentialEvents = differentials.reduce((n, d) => n + d.events, 0);
  const differences = differentials.reduce((n, d) => n + d.mismatches, 0);
  goals.push({
    name: 'identical decisions (differential)',
    // The default run checks 25,000 + 1,000 events, so the whole bench stays within 15 minutes; --differential=100:100000,500:5000 is the 100,000-event check (≈ 6–8 min more on 2 cores).
    target: '0 differences on every differential event',
    measured: `${differentials.map((d) => `${fmt(d.events)} events at ${d.ruleCount} rules`).join(' + ')}, ${differences} differences`,
    met: differentialEvents > 0 && differences === 0,
  });
  if (growth) {
    goals.push({
      name: `cost per event growth ${growth.fromRules} → ${growth.toRules} rules (ours)`,
      target: '≤ 2×',
      measured: `${growth.factor}× (median rounds ${growth.fromMicroseconds} → ${growth.toMicroseconds} µs; best rounds ×${growth.bestRoundsFactor}; CPU time ×${growth.cpuFactor})`,
      met: growth.factor <= 2,
    });
  }

  return {
    benchmark: 'rule-evaluation',
    generatedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      loadAverage: { start: round(loadAtStart, 2), afterTiming: round(loadAfterTiming, 2) },
    },
    seed,
    options: {
      events: options.events,
      ruleCounts: options.ruleCounts,
      differentials: options.differentials,
      minOursMs,
      oursRounds: rounds,
      differentialWorkers: differentials[0]?.workers,
    },
    ruleCounts,
    growth,
    differentials,
    goals,
  };
}

/** What a differential shard needs to rebuild the rule set (worker threads get it by structured clone). */
interface RuleSetSource {
  sources: RuleSources;
  knownDepartments?: string[];
  /** Publishers, for the corpus. */
  departments: DepartmentPublishing[];
}

const DIFFERENTIAL_TASK = 'rule-evaluation-differential';

interface ShardTask {
  task: typeof DIFFERENTIAL_TASK;
  source: RuleSetSource;
  ruleCount: number;
  shard: number;
  events: number;
  seed: number;
}

type ShardMessage = { type: 'progress'; events: number; mismatches: number } | { type: 'result'; result: DifferentialResult };

function ruleSetFrom(source: RuleSetSource): RuleSet {
  const options: RuleSetLoadOptions = source.knownDepartments ? { knownDepartments: new Set(source.knownDepartments) } : {};
  return buildRuleSet(source.sources, options);
}

/**
 * Decisions, not just matches: both evaluators' matches go through planDecisions, and the
 * plans (list entries, measure tasks, explanations with the condition trace) must be equal
 * as values and as JSON text, on a fresh corpus (other seeds) streamed in chunks. The
 * baseline is slow (tens of ms per event at 500 rules), so the corpus is split into shards
 * run by worker threads; nothing here is timed.
 */
async function runDifferential(
  source: RuleSetSource,
  ruleCount: number,
  total: number,
  seed: number,
  workers: number,
  progress: (line: string) => void,
): Promise<DifferentialResult> {
  const shards = Math.max(1, Math.min(workers, Math.ceil(total / 1000)));
  const started = now();
  const seen = new Array<{ events: number; mismatches: number }>(shards).fill({ events: 0, mismatches: 0 });
  let reported = 0;
  const report = () => {
    const events = seen.reduce((n, s) => n + s.events, 0);
    if (events - reported < 5000 && events < total) return;
    reported = events;
    const elapsed = msSince(started);
    const eta = events > 0 ? ((total - events) * elapsed) / events / 1000 : 0;
    progress(`  ${fmt(events)}/${fmt(total)} events, ${seen.reduce((n, s) => n + s.mismatches, 0)} differences, ${fmt(elapsed / 1000)} s elapsed, ~${fmt(eta)} s to go`);
  };
  const tasks: ShardTask[] = Array.from({ length: shards }, (_, shard) => ({
    task: DIFFERENTIAL_TASK,
    source,
    ruleCount,
    shard,
    events: Math.floor(total / shards) + (shard < total % shards ? 1 : 0),
    seed: (seed + shard * 7919) >>> 0,
  }));
  const nodeApp = [join(__dirname, '../../../scripts/node-app.js'), join(__dirname, '../../scripts/node-app.js')].find((c) => existsSync(c));
  const inThread = workers === 0 || !nodeApp || !__filename.endsWith('.js');
  progress(
    `differential check: ${fmt(total)} fresh events at ${ruleCount} rules, ${inThread ? 'in this thread' : `${shards} worker thread${shards === 1 ? '' : 's'}`} (the baseline evaluates every event; progress every 5,000)…`,
  );

  let results: DifferentialResult[];
  if (inThread) {
    results = [];
    for (const task of tasks) {
      results.push(
        await differentialShard(ruleSetFrom(source), source.departments, task, (events, mismatches) => {
          seen[task.shard] = { events, mismatches };
          report();
        }),
      );
    }
  } else {
    results = await Promise.all(
      tasks.map(
        (task) =>
          new Promise<DifferentialResult>((resolvePromise, reject) => {
            // scripts/node-app.js maps the @app/* aliases in the worker too, then loads this module.
            const worker = new Worker(nodeApp!, { argv: [__filename], workerData: task, resourceLimits: { maxYoungGenerationSizeMb: 192 } });
            let result: DifferentialResult | undefined;
            worker.on('message', (message: ShardMessage) => {
              if (message.type === 'progress') {
                seen[task.shard] = { events: message.events, mismatches: message.mismatches };
                report();
              } else {
                result = message.result;
              }
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (result ? resolvePromise(result) : reject(new Error(`differential shard ${task.shard} exited with code ${code} and no result`))));
          }),
      ),
    );
  }

  const merged: DifferentialResult = {
    ruleCount,
    ruleSetRevision: results[0].ruleSetRevision,
    workers: inThread ? 0 : shards,
    events: 0,
    identicalDecisions: 0,
    identicalMatches: 0,
    identicalZenMatches: 0,
    mismatches: 0,
    firstMismatches: [],
    decisions: 0,
    listEntries: 0,
    measureTasks: 0,
    eventsWithDecisions: 0,
    ms: round(msSince(started), 0),
  };
  for (const r of results) {
    if (r.ruleSetRevision !== merged.ruleSetRevision) throw new Error('differential shards built different rule sets');
    merged.events += r.events;
    merged.identicalDecisions += r.identicalDecisions;
    merged.identicalMatches += r.identicalMatches;
    merged.identicalZenMatches += r.identicalZenMatches;
    merged.mismatches += r.mismatches;
    merged.decisions += r.decisions;
    merged.listEntries += r.listEntries;
    merged.measureTasks += r.measureTasks;
    merged.eventsWithDecisions += r.eventsWithDecisions;
    merged.firstMismatches.push(...r.firstMismatches);
  }
  merged.firstMismatches = merged.firstMismatches.slice(0, 10);
  return merged;
}

async function differentialShard(
  ruleSet: RuleSet,
  departments: readonly DepartmentPublishing[],
  task: ShardTask,
  onProgress: (events: number, mismatches: number) => void,
): Promise<DifferentialResult> {
  const baseline = new JsonRulesEngineEvaluator(ruleSet);
  const ours = new CompiledRuleEvaluator(ruleSet);
  const zen = new ZenRuleEvaluator(ruleSet);
  const generator = new CreditEventGenerator({ seed: task.seed, vocabulary: vocabularyFromRules(ruleSet.memoranda, departments) });
  const result: DifferentialResult = {
    ruleCount: task.ruleCount,
    ruleSetRevision: ruleSet.revision,
    workers: 0,
    events: 0,
    identicalDecisions: 0,
    identicalMatches: 0,
    identicalZenMatches: 0,
    mismatches: 0,
    firstMismatches: [],
    decisions: 0,
    listEntries: 0,
    measureTasks: 0,
    eventsWithDecisions: 0,
    ms: 0,
  };
  const start = now();
  while (result.events < task.events) {
    const events = generator.take(Math.min(1000, task.events - result.events)).map((raw) => parseCreditEvent(raw));
    for (const event of events) {
      const index = result.events++;
      const facts = buildCreditFacts(event, ruleSet);
      const expectedMatches = await baseline.evaluate(facts);
      const actualMatches = await ours.evaluate(facts);
      const sameZenMatches = sameRules(matchedRuleKeys(await zen.evaluate(facts)), matchedRuleKeys(expectedMatches));
      const expected = planDecisions(event, facts, expectedMatches, { ruleSetRevision: ruleSet.revision, today: chinaDate(new Date(event.time)) });
      const actual = planDecisions(event, facts, actualMatches, { ruleSetRevision: ruleSet.revision, today: chinaDate(new Date(event.time)) });
      const sameMatches = JSON.stringify(projection(actualMatches)) === JSON.stringify(projection(expectedMatches));
      const sameDecisions = isDeepStrictEqual(actual, expected) && JSON.stringify(actual) === JSON.stringify(expected);
      if (sameMatches) result.identicalMatches++;
      if (sameDecisions) result.identicalDecisions++;
      if (sameZenMatches) result.identicalZenMatches++;
      if (!sameMatches || !sameDecisions || !sameZenMatches) {
        result.mismatches++;
        if (result.firstMismatches.length < 5) {
          const what = !sameDecisions ? 'decisions differ' : !sameMatches ? 'matches differ (decisions equal)' : "Zen's matched rules differ";
          result.firstMismatches.push({ shard: task.shard, index, eventId: event.id, eventType: event.type, what });
        }
      }
      result.decisions += expected.length;
      if (expected.length > 0) result.eventsWithDecisions++;
      for (const decision of expected) {
        result.listEntries += decision.listEntries.length;
        result.measureTasks += decision.measureTasks.length;
      }
      if (result.events % 500 === 0) onProgress(result.events, result.mismatches);
    }
  }
  onProgress(result.events, result.mismatches);
  zen.dispose();
  result.ms = round(msSince(start), 0);
  return result;
}

// A differential shard started by runDifferential in a worker thread.
if (!isMainThread && (workerData as Partial<ShardTask> | null)?.task === DIFFERENTIAL_TASK) {
  const task = workerData as ShardTask;
  const post = (message: ShardMessage) => parentPort!.postMessage(message);
  differentialShard(ruleSetFrom(task.source), task.source.departments, task, (events, mismatches) => post({ type: 'progress', events, mismatches }))
    .then((result) => post({ type: 'result', result }))
    .catch((error: unknown) => {
      throw error;
    });
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The human-readable table for the console. */
export function formatRuleEvaluationTable(result: RuleEvaluationBenchResult): string {
  const header = ['rules', 'baseline ev/s', 'zen ev/s', 'ours ev/s', 'ratio', 'ours ÷ zen', 'baseline µs/ev', 'zen µs/ev', 'ours µs/ev', 'ours sync µs/ev', 'cpu ratio', 'matches/ev'];
  const rows = result.ruleCounts.map((r) => [
    String(r.ruleCount),
    fmt(r.baseline.eventsPerSecond),
    fmt(r.zen.eventsPerSecond),
    fmt(r.ours.eventsPerSecond),
    `${fmt(r.ratio)}×`,
    `${fmt(r.oursOverZen)}×`,
    fmt(r.baseline.microsecondsPerEvent),
    fmt(r.zen.microsecondsPerEvent),
    fmt(r.ours.microsecondsPerEvent),
    fmt(r.oursSync.microsecondsPerEvent),
    `${fmt(r.cpuRatio)}×`,
    fmt(r.matchesPerEvent),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
  out.push(`(Zen and ours: median of ${result.options.oursRounds} rounds, both awaited per event; load average ${result.environment.loadAverage.start} → ${result.environment.loadAverage.afterTiming} during timing on ${result.environment.cpus} CPUs)`);
  if (result.growth) {
    out.push(
      '',
      `ours, cost per event ${result.growth.fromRules} → ${result.growth.toRules} rules: ${result.growth.fromMicroseconds} → ${result.growth.toMicroseconds} µs (×${result.growth.factor}; best rounds ×${result.growth.bestRoundsFactor}; CPU time ×${result.growth.cpuFactor})`,
    );
  }
  for (const d of result.differentials) {
    out.push(
      `differential at ${d.ruleCount} rules (${d.workers ? `${d.workers} worker thread${d.workers === 1 ? '' : 's'}` : 'one thread'}): ${fmt(d.events)} events, ${fmt(d.identicalDecisions)} identical decisions, ${fmt(d.identicalMatches)} identical match lists, ${fmt(d.identicalZenMatches)} identical Zen rule lists, ${d.mismatches} differences` +
        ` (${fmt(d.eventsWithDecisions)} events with decisions: ${fmt(d.decisions)} decisions, ${fmt(d.listEntries)} list entries, ${fmt(d.measureTasks)} measure tasks; ${fmt(d.ms / 1000)} s)`,
    );
  }
  out.push('', 'goals:');
  for (const goal of result.goals) out.push(`  ${goal.met ? 'MET    ' : 'NOT MET'}  ${goal.name}: target ${goal.target}, measured ${goal.measured}`);
  return out.join('\n');
}
