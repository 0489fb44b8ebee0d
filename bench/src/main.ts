import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchRuleEvaluation, formatRuleEvaluationTable } from './rule-evaluation.bench';
import { benchPipeline, formatPipelineTable, PIPELINE_DEFAULTS } from './pipeline.bench';
import { ensureBenchPostgres } from './support/bench-postgres';
import { benchCreditCheck, CREDIT_CHECK_DEFAULTS, formatCreditCheckTable } from './credit-check.bench';
import { AUDIT_CHAIN_DEFAULTS, benchAuditChain, formatAuditChainTable } from './audit-chain.bench';
import { benchRecordSize, formatRecordSizeTable } from './record-size.bench';
import { benchEventValidation, formatEventValidationTable } from './event-validation.bench';
import { benchWhatIf, formatWhatIfTable, WHAT_IF_DEFAULTS } from './what-if.bench';
import { BarChart, writeCharts } from './support/charts';
import { auditChainCharts, creditCheckCharts, eventValidationCharts, pipelineCharts, recordSizeCharts, ruleEvaluationCharts } from './support/section-charts';

/**
 * `npm run bench` — every benchmark section in turn, or only some:
 *
 *   npm run bench -- --only=rule-evaluation
 *   npm run bench -- --only=rule-evaluation --events=1000 --differential=100:20000,500:2000 --rule-counts=100,500
 *   (rule-evaluation flags: --events --rule-counts --differential=<rules>:<events>[,…]
 *    --differential-workers --seed --min-ours-ms)
 *
 * Each section prints its table and writes its figures to bench-results/<name>.json.
 * To add a benchmark (pipeline, credit check…), append a section to SECTIONS.
 */
export interface BenchContext {
  /** `--key=value` flags, e.g. args.get('events'). */
  args: ReadonlyMap<string, string>;
  progress: (line: string) => void;
}

export interface BenchSection {
  name: string;
  description: string;
  /** Whether it needs PostgreSQL (started embedded when the machine has none). */
  needsDatabase: boolean;
  /** Runs the benchmark; returns the JSON figures, the table to print and the charts to draw. */
  run(context: BenchContext): Promise<{ figures: object; table: string; charts?: BarChart[] }>;
}

const SECTIONS: BenchSection[] = [
  {
    name: 'rule-evaluation',
    needsDatabase: false,
    description: 'json-rules-engine (one Engine, engine.run per event) vs GoRules Zen (decision tables behind a switch on the event type, loaded once) vs the compiled evaluator, at 100 / 500 / 1,000 rules, plus decision differentials (25,000 events at 100 rules, 1,000 at 500 by default — --differential=100:100000,500:5000 for the full check; Zen\'s matched rules checked on every event)',
    async run({ args, progress }) {
      const figures = await benchRuleEvaluation({
        events: intArg(args, 'events', 500),
        ruleCounts: (args.get('rule-counts') ?? '100,500,1000').split(',').map((n) => Number.parseInt(n, 10)),
        differentials: differentialsArg(args.get('differential') ?? '100:25000,500:1000'),
        seed: intArg(args, 'seed', 20261127),
        minOursMs: intArg(args, 'min-ours-ms', 1500),
        differentialWorkers: args.has('differential-workers') ? intArg(args, 'differential-workers', 0) : undefined,
        onProgress: progress,
      });
      return { figures, table: formatRuleEvaluationTable(figures), charts: ruleEvaluationCharts(figures) };
    },
  },
  {
    name: 'record-size',
    needsDatabase: false,
    description: "decision.issued records of the pipeline corpus rendered both ways from the same decisions: measures inline (v4) vs terms by reference (v5), bytes per record and per event",
    // flags: --record-events --pipeline-seed
    async run({ args, progress }) {
      const figures = benchRecordSize({ events: intArg(args, 'record-events', 30_000), seed: intArg(args, 'pipeline-seed', 20261127), onProgress: progress });
      return { figures, table: formatRecordSizeTable(figures), charts: recordSizeCharts(figures) };
    },
  },
  {
    name: 'event-validation',
    needsDatabase: false,
    description: 'parseCreditEvent (class-validator, the reference) vs parseCreditEventFast (compiled ajv check) on the pipeline corpus and its fuzz mutations, with their answers compared',
    // flags: --validation-events --validation-min-ms --pipeline-seed
    async run({ args, progress }) {
      const figures = benchEventValidation({
        events: intArg(args, 'validation-events', 3000),
        seed: intArg(args, 'pipeline-seed', 20261127),
        minMs: intArg(args, 'validation-min-ms', 1000),
        onProgress: progress,
      });
      return { figures, table: formatEventValidationTable(figures), charts: eventValidationCharts(figures) };
    },
  },
  {
    name: 'pipeline',
    needsDatabase: true,
    description: 'Kafka in → decision-engine process → department topics, real broker and PostgreSQL: throughput, latency (as fast as possible and paced), engine peak RSS, vs a naive per-message pipeline',
    // flags: --pipeline-events --baseline-events --limit-probe=0 (skip it) --limit-concurrency --paced-rate --paced-seconds --pipeline-seed --produce-batch --stall-seconds
    //        --pipeline-max-seconds --decision-topic-max-bytes --pipeline-cpu-prof --pipeline-keep-log --engine-node-args="--max-old-space-size=256 …"
    //        (env BENCH_DATABASE_URL, KAFKA_BROKERS; other engine settings such as ENGINE_BATCH_SIZE pass through the environment)
    async run({ args, progress }) {
      const figures = await benchPipeline({
        events: intArg(args, 'pipeline-events', PIPELINE_DEFAULTS.events),
        baselineEvents: intArg(args, 'baseline-events', PIPELINE_DEFAULTS.baselineEvents),
        limitProbe: intArg(args, 'limit-probe', 1) > 0,
        limitConcurrency: Math.max(1, intArg(args, 'limit-concurrency', PIPELINE_DEFAULTS.limitConcurrency)),
        pacedRate: intArg(args, 'paced-rate', PIPELINE_DEFAULTS.pacedRate),
        pacedSeconds: intArg(args, 'paced-seconds', PIPELINE_DEFAULTS.pacedSeconds),
        seed: intArg(args, 'pipeline-seed', 20261127),
        produceBatch: Math.max(1, intArg(args, 'produce-batch', PIPELINE_DEFAULTS.produceBatch)),
        stallSeconds: Math.max(5, intArg(args, 'stall-seconds', PIPELINE_DEFAULTS.stallSeconds)),
        maxRunSeconds: Math.max(10, intArg(args, 'pipeline-max-seconds', PIPELINE_DEFAULTS.maxRunSeconds)),
        decisionTopicMaxBytes: intArg(args, 'decision-topic-max-bytes', 0),
        cpuProfile: args.has('pipeline-cpu-prof'),
        keepEngineLog: args.has('pipeline-keep-log'),
        engineNodeArgs: (args.get('engine-node-args') ?? '').split(/\s+/).filter((a) => a.startsWith('--')),
        brokers: PIPELINE_DEFAULTS.brokers,
        databaseUrl: PIPELINE_DEFAULTS.databaseUrl,
        onProgress: progress,
      });
      return { figures, table: formatPipelineTable(figures), charts: pipelineCharts(figures) };
    },
  },
  {
    name: 'credit-check',
    needsDatabase: true,
    description: 'GET /v1/subjects/:id/check (query-api process, audit row per check) on 1,000,000 subjects and 3,000,000 active measures in PostgreSQL, driven by autocannon, vs a bare node:http + pg probe running the same statement',
    // flags: --check-subjects --check-duration --check-connections --check-warmup --rebuild-check-data --check-cpu-prof --check-bare-probe=0 (skip the bare probe) --check-express-baseline=0 (skip the query API on Express)
    //        (env BENCH_CHECK_DATABASE_URL, default: BENCH_DATABASE_URL's database + _check)
    async run({ args, progress }) {
      const figures = await benchCreditCheck({
        subjects: intArg(args, 'check-subjects', CREDIT_CHECK_DEFAULTS.subjects),
        durationSeconds: intArg(args, 'check-duration', CREDIT_CHECK_DEFAULTS.durationSeconds),
        warmupSeconds: intArg(args, 'check-warmup', CREDIT_CHECK_DEFAULTS.warmupSeconds),
        connections: Math.max(1, intArg(args, 'check-connections', CREDIT_CHECK_DEFAULTS.connections)),
        rebuild: args.has('rebuild-check-data'),
        cpuProfile: args.has('check-cpu-prof'),
        bareProbe: intArg(args, 'check-bare-probe', 1) > 0,
        expressBaseline: intArg(args, 'check-express-baseline', 1) > 0,
        databaseUrl: CREDIT_CHECK_DEFAULTS.databaseUrl,
        onProgress: progress,
      });
      return { figures, table: formatCreditCheckTable(figures), charts: creditCheckCharts(figures) };
    },
  },
  {
    name: 'audit-chain',
    needsDatabase: true,
    description: "the check path's audit INSERT with and without query_audit's hash chain (1 / 4 / 16 connections, alternating), then audit:verify's walk",
    // flags: --audit-seconds --audit-connections=1,4,16 --audit-rounds (env BENCH_DATABASE_URL: its database + _audit)
    async run({ args, progress }) {
      const figures = await benchAuditChain({
        seconds: Math.max(1, intArg(args, 'audit-seconds', AUDIT_CHAIN_DEFAULTS.seconds)),
        concurrency: (args.get('audit-connections') ?? AUDIT_CHAIN_DEFAULTS.concurrency.join(',')).split(',').map((n) => Math.max(1, Number.parseInt(n, 10))),
        rounds: Math.max(1, intArg(args, 'audit-rounds', AUDIT_CHAIN_DEFAULTS.rounds)),
        databaseUrl: AUDIT_CHAIN_DEFAULTS.databaseUrl,
        onProgress: progress,
      });
      return { figures, table: formatAuditChainTable(figures), charts: auditChainCharts(figures) };
    },
  },
  {
    name: 'what-if',
    needsDatabase: true,
    description: "what-if on history: 100,000 decided events seeded through the engine's store path, then simulated with a modified draft (goal: under 30 s) and with the unchanged rule set (must give zero differences)",
    // flags: --what-if-events --rebuild-what-if-data --pipeline-seed (env BENCH_DATABASE_URL: its database + _what_if)
    async run({ args, progress }) {
      const figures = await benchWhatIf({
        events: intArg(args, 'what-if-events', WHAT_IF_DEFAULTS.events),
        seed: intArg(args, 'pipeline-seed', 20261127),
        rebuild: args.has('rebuild-what-if-data'),
        databaseUrl: WHAT_IF_DEFAULTS.databaseUrl,
        onProgress: progress,
      });
      return { figures, table: formatWhatIfTable(figures) };
    },
  },
];

/** `100:100000,500:5000` → differential checks of 100,000 events at 100 rules and 5,000 at 500. */
function differentialsArg(raw: string): { ruleCount: number; events: number }[] {
  return raw.split(',').map((pair) => {
    const match = /^(\d+):(\d[\d_]*)$/.exec(pair.trim());
    if (!match) throw new Error(`--differential takes <rules>:<events>[,<rules>:<events>…], not "${raw}"`);
    return { ruleCount: Number(match[1]), events: Number(match[2].replace(/_/g, '')) };
  });
}

function intArg(args: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const value = Number.parseInt(raw.replace(/[_,]/g, ''), 10);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative integer, not "${raw}"`);
  return value;
}

function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument "${arg}" (expected --name=value)`);
    args.set(match[1], match[2] ?? 'true');
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help') || args.has('list')) {
    console.log('benchmarks:');
    for (const section of SECTIONS) console.log(`  ${section.name.padEnd(20)} ${section.description}`);
    console.log('\nflags: --only=<name>[,<name>…] and the sections\' own flags (see bench/src/main.ts)');
    return;
  }
  const only = args.get('only')?.split(',');
  const unknown = only?.filter((name) => !SECTIONS.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
  const selected = SECTIONS.filter((s) => !only || only.includes(s.name));
  const outDir = join(process.cwd(), 'bench-results');
  mkdirSync(outDir, { recursive: true });

  const stopPostgres = selected.some((s) => s.needsDatabase) ? await ensureBenchPostgres((line) => console.log(line)) : async () => undefined;
  try {
    await runSections(selected, args, outDir);
  } finally {
    await stopPostgres();
  }
}

async function runSections(selected: BenchSection[], args: ReadonlyMap<string, string>, outDir: string): Promise<void> {
  const runStarted = Date.now();
  const all: BarChart[] = [];
  for (const section of selected) {
    const started = Date.now();
    console.log(`\n=== ${section.name} — ${section.description}\n`);
    const { figures, table, charts = [] } = await section.run({ args, progress: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`) });
    console.log(`\n${table}\n`);
    const file = join(outDir, `${section.name}.json`);
    writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
    const chartFile = join(outDir, `${section.name}.svg`);
    const drawn = await writeCharts(chartFile, `${section.name} (${new Date().toISOString().slice(0, 16)}Z)`, charts);
    console.log(`figures written to ${file}${drawn ? `, charts to ${chartFile}` : ''} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    all.push(...charts);
  }
  if (selected.length > 1 && (await writeCharts(join(outDir, 'bench.svg'), `npm run bench, ${new Date().toISOString().slice(0, 16)}Z`, all))) console.log(`all charts: ${join(outDir, 'bench.svg')}`);
  console.log(`\nbench: ${selected.length} section(s) in ${((Date.now() - runStarted) / 60000).toFixed(1)} min`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
