import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Admin, Consumer, EachBatchPayload, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import type { Client } from 'pg';
import { CLOUD_EVENT_TYPE, DECISION_ISSUED_KIND } from '@app/decision-log';
import { CreditEvent, Department, departmentOf, DepartmentRegistry } from '@app/domain';
import { kafkaDeployment, provisionDeployment, TopicNames } from '@app/messaging';
import { loadRuleSet } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { NaiveMessage, naiveEnvironment, NaiveProgress } from './naive-pipeline';
import { limitEnvironment, LimitMessage, LimitProgress } from './limit-pipeline';
import { ArrivedRecord, CapturedTable, countRows, writeCapture } from './support/pipeline-capture';
import { assertBenchDatabase, DEFAULT_BENCH_DATABASE_URL, ensureDatabase, recreateSchema, redact, truncateAll, withClient } from './support/bench-database';
import { ChildApp, fmt, formatGoals, freePort, Goal, percentile, procCommandLine, ROOT, round, sleep, table } from './support/child-app';
import { BENCH_KAFKA_CA, benchKafka, deleteRunArtifacts, ensureBroker } from './support/kafka-broker';
import { CORPUS_WEIGHTS } from './support/corpus';

/**
 * Pipeline: credit events in on Kafka → decisions out on the department topics, with the
 * real broker and PostgreSQL. The decision-engine runs as its own process (TRANSPORT=kafka);
 * a plain kafkajs producer publishes seeded events (acks -1, batches), each with a
 * `bench_sent_at` header, and a plain kafkajs consumer (read committed) on every
 * department decision topic records when the first decision record of each cause event
 * arrives. Runs: as fast as possible (throughput and latency under saturation), paced at
 * a fixed rate (latency at that rate), and the naive pipeline (./naive-pipeline.ts) on a
 * prefix of the same corpus, measured the same way. The limit probe (./limit-pipeline.ts)
 * then replays what ours wrote and sent for the same events with none of the deciding, so
 * the bench can print ours as a share of what the broker, PostgreSQL and this machine move.
 */
export interface PipelineBenchOptions {
  /** Events of the as-fast-as-possible run. */
  events: number;
  /** Run the limit probe on ours's events after ours (needs a complete ours run: it replays what ours wrote and sent). */
  limitProbe: boolean;
  /** Partition batches the limit probe has in flight. */
  limitConcurrency: number;
  /** Events of the naive baseline run (a prefix of the same corpus). */
  baselineEvents: number;
  /** Events per second and seconds of the paced run (0 seconds skips it). */
  pacedRate: number;
  pacedSeconds: number;
  seed: number;
  brokers: string;
  databaseUrl: string;
  /** Producer batch size (messages per send) of the as-fast-as-possible run. */
  produceBatch: number;
  /** Write a V8 CPU profile of the engine (and the naive pipeline) to bench-results/profiles. */
  cpuProfile: boolean;
  /** Keep the engine's log in bench-results/logs even when the run completes. */
  keepEngineLog?: boolean;
  /** Extra node flags for the engine process (e.g. --max-old-space-size=256), to see what its memory really needs. */
  engineNodeArgs: string[];
  /** Give up on a run when no decision record has arrived for this long. */
  stallSeconds: number;
  /** Stop waiting for a run this long after its first send (figures are then those of the events decided so far, flagged incomplete). */
  maxRunSeconds: number;
  /**
   * Operator override: create the run's topics before the engine starts, with this
   * max.message.bytes on the decision topics (0: the engine creates them, broker defaults).
   */
  decisionTopicMaxBytes: number;
  onProgress?: (line: string) => void;
}

export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface PipelineRunFigures {
  run: 'ours' | 'ours-paced' | 'baseline' | 'limit';
  events: number;
  /** Events the processor consumed and decided (valid ones) / refused (dead-lettered). */
  consumed: number;
  deadLettered: number;
  /** Cause events with at least one decision record seen on a department topic. */
  decidedEvents: number;
  /** Distinct cause events with a decision row in PostgreSQL after the run (should equal decidedEvents). */
  decidedEventsInDatabase: number;
  /** The limit run: whether every product table holds as many rows as ours left (and which differ). */
  sameRowsAsOurs?: { same: boolean; differences: string[] };
  decisionRecords: number;
  decisionRecordMb: number;
  /** Bytes of record values on the department topics (what departments receive, headers aside). */
  decisionRecordBytes: number;
  completed: boolean;
  /** Why an incomplete run stopped early. */
  stopped?: string;
  /** first send → last send. */
  produceSeconds: number;
  /** Achieved send rate. */
  producedPerSecond: number;
  /** first send → last first-decision arrival. */
  windowSeconds: number;
  /** decidedEvents / window: the throughput figure. */
  decidedEventsPerSecond: number;
  /** all events handled (decided, without decision, refused) / window. */
  eventsPerSecond: number;
  latency: LatencyFigures;
  /**
   * Ours only: where the latency goes, per decided event — sent → the engine's transaction
   * (inbound_event.received_at: fetch, queueing behind other partitions' slices), that
   * transaction → its first decision record on a topic (feed_record.published_at: commit, the
   * relay's wait and its Kafka transaction), on the topic → arrived at the measuring consumer.
   */
  stages?: { toEngineTransaction: LatencyFigures; toTopic: LatencyFigures; toConsumer: LatencyFigures };
  processor: { pid: number; command: string; peakRssMb: number | null; maxSampledRssMb: number | null; cpuProfile?: string; logFile?: string };
  /** CPU seconds of the bench process itself (producer + measuring consumer) during the run. */
  benchProcessCpuSeconds: number;
  seconds: number;
}

export interface PipelineBenchResult {
  benchmark: 'pipeline';
  generatedAt: string;
  environment: { node: string; platform: string; cpu: string; cpus: number; loadAverage: number[] };
  options: Omit<PipelineBenchOptions, 'onProgress' | 'databaseUrl'> & { database: string };
  corpus: { events: number; seed: number; byType: Record<string, number>; averageBytes: number };
  ours?: PipelineRunFigures;
  paced?: PipelineRunFigures;
  /** The rate the paced run was offered: --paced-rate, or half of what ours sustained. */
  pacedRate?: number;
  baseline?: PipelineRunFigures;
  limit?: PipelineRunFigures;
  /** ours decided events/s ÷ baseline decided events/s. */
  ratio?: number;
  /** ours decided events/s as a percentage of the limit probe's. */
  limitShare?: number;
  /** Runs that failed (the others still ran). */
  failures: { run: string; error: string }[];
  goals: Goal[];
  seconds: number;
}

const DECISION_RECORD_TYPE = CLOUD_EVENT_TYPE[DECISION_ISSUED_KIND];
/** Kafka's answers while a just-created topic's partitions have no leader known everywhere yet. */
const TOPIC_NOT_READY = /does not host this topic-partition|There is no leader for this topic-partition|LEADER_NOT_AVAILABLE|UNKNOWN_TOPIC_OR_PARTITION/;
const CAUSE_MARKER = Buffer.from('"causeEvent":{"id":"');

interface CorpusEvent {
  id: string;
  key: string;
  value: string;
  /** The inbound topic's department: the publisher's, or (a stray publisher) the first registered one, which dead-letters it. */
  department: string;
}

const nowMs = (): number => performance.timeOrigin + performance.now();

export async function benchPipeline(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  assertBenchDatabase(options.databaseUrl);

  const rulesDir = join(ROOT, 'rules');
  const departmentsFile = join(ROOT, 'config/departments.json');
  const departments = new DepartmentRegistry((JSON.parse(readFileSync(departmentsFile, 'utf8')) as { departments: Department[] }).departments);
  const ruleSet = loadRuleSet(rulesDir, { knownDepartments: new Set(departments.all().map((d) => d.code)) });

  // pacedRate 0: half the sustained maximum that ours's as-fast-as-possible run reaches (all events handled per second), known only after it.
  // Half of what ours sustains is never more than the as-fast-as-possible corpus, so the corpus needs no more events for it.
  const pacedEvents = options.pacedSeconds > 0 ? (options.pacedRate > 0 ? Math.round(options.pacedRate * options.pacedSeconds) : options.events) : 0;
  const corpusSize = Math.max(options.events, options.baselineEvents, pacedEvents);
  const generator = new CreditEventGenerator({ seed: options.seed, vocabulary: vocabularyFromRules(ruleSet.memoranda), eventTypeWeights: CORPUS_WEIGHTS, strayPublisherRate: 0.03 });
  const byType: Record<string, number> = {};
  const corpus: CorpusEvent[] = [];
  let bytes = 0;
  for (let i = 0; i < corpusSize; i++) {
    const event: CreditEvent = generator.next();
    const value = JSON.stringify(event);
    bytes += value.length;
    byType[event.type] = (byType[event.type] ?? 0) + 1;
    const publisher = departmentOf(event.source);
    corpus.push({ id: event.id, key: event.subject, value, department: publisher !== undefined && departments.has(publisher) ? publisher : departments.all()[0].code });
  }
  progress(`corpus: ${fmt(corpus.length)} seeded events (seed ${options.seed}), ${fmt(bytes / corpus.length)} bytes each on average`);

  await ensureBroker(options.brokers, progress);
  const created = await ensureDatabase(options.databaseUrl);
  progress(`database ${redact(options.databaseUrl)}${created ? ' (created)' : ''}: dropping all tables and migrating`);
  await recreateSchema(options.databaseUrl);

  const context: RunContext = { options, departments: departments.all().map((d) => d.code), progress };
  const result: PipelineBenchResult = {
    benchmark: 'pipeline',
    generatedAt: new Date().toISOString(),
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, loadAverage: loadAverage() },
    options: { ...omit(options, ['onProgress', 'databaseUrl']), database: redact(options.databaseUrl) },
    corpus: { events: corpus.length, seed: options.seed, byType, averageBytes: Math.round(bytes / corpus.length) },
    failures: [],
    goals: [],
    seconds: 0,
  };

  // A failed run is reported and the others still run.
  const attempt = async (run: PipelineRunFigures['run'], label: string, events: CorpusEvent[], pace: Pace, captureFile?: string): Promise<PipelineRunFigures | undefined> => {
    progress(`${label}…`);
    for (let tries = 1; ; tries++) {
      try {
        const figures = await runOnce(context, run, events, pace, captureFile);
        progress(`${run}: ${describe(figures)}`);
        return figures;
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        // A broker that has not yet spread a new topic's metadata (a loaded machine) fails the run's set-up, not its figures: once more, on fresh topics.
        if (tries === 1 && TOPIC_NOT_READY.test(message)) {
          progress(`${run}: ${message.slice(0, 200)} while setting up; running it again on fresh topics`);
          continue;
        }
        progress(`${run}: FAILED: ${message.slice(0, 3000)}`);
        result.failures.push({ run, error: message.slice(0, 3000) });
        return undefined;
      }
    }
  };
  const captureFile = options.limitProbe ? join(tmpdir(), `bench-pipeline-capture-${process.pid}-${Date.now().toString(36)}.ndjson`) : undefined;
  if (options.events > 0) result.ours = await attempt('ours', `ours: decision-engine process, ${fmt(options.events)} events as fast as possible`, corpus.slice(0, options.events), { kind: 'burst' }, captureFile);
  if (captureFile) {
    try {
      if (result.ours?.completed) {
        result.limit = await attempt(
          'limit',
          `limit probe: raw consume, ours's rows in one set-wise transaction per batch, ours's records in one Kafka transaction with the offsets; ${fmt(options.events)} events as fast as possible`,
          corpus.slice(0, options.events),
          { kind: 'burst' },
          captureFile,
        );
      } else if (options.events > 0) result.failures.push({ run: 'limit', error: 'not run: the limit probe replays what a complete ours run wrote and sent' });
    } finally {
      rmSync(captureFile, { force: true });
    }
  }
  const pacedRate = options.pacedRate > 0 ? options.pacedRate : result.ours?.completed ? Math.max(1, Math.round(result.ours.eventsPerSecond / 2)) : 0;
  if (pacedEvents > 0 && pacedRate > 0) {
    result.pacedRate = pacedRate;
    const events = Math.min(corpus.length, Math.round(pacedRate * options.pacedSeconds));
    result.paced = await attempt('ours-paced', `ours, paced: ${fmt(pacedRate)} events/s${options.pacedRate > 0 ? '' : ' (half the sustained maximum)'} for ${options.pacedSeconds} s (${fmt(events)} events)`, corpus.slice(0, events), { kind: 'paced', rate: pacedRate });
  } else if (pacedEvents > 0) result.failures.push({ run: 'ours-paced', error: 'not run: its rate is half of what a complete ours run sustained' });
  if (options.baselineEvents > 0) {
    result.baseline = await attempt(
      'baseline',
      `baseline: naive pipeline process (eachMessage, single-row INSERTs, one send per record), ${fmt(options.baselineEvents)} events as fast as possible`,
      corpus.slice(0, options.baselineEvents),
      { kind: 'burst' },
    );
  }
  if (result.ours && result.baseline && result.baseline.decidedEventsPerSecond > 0) {
    result.ratio = round(result.ours.decidedEventsPerSecond / result.baseline.decidedEventsPerSecond, 1);
  }
  if (result.ours && result.limit && result.limit.decidedEventsPerSecond > 0) {
    result.limitShare = round((result.ours.decidedEventsPerSecond / result.limit.decidedEventsPerSecond) * 100, 1);
  }
  result.goals = goals(result);
  result.environment.loadAverage = [...result.environment.loadAverage, ...loadAverage()];
  result.seconds = round((Date.now() - started) / 1000, 1);
  return result;
}

interface RunContext {
  options: PipelineBenchOptions;
  departments: string[];
  progress: (line: string) => void;
  /** Rows per table ours left (captured for the limit probe), to check the probe wrote the same. */
  oursRows?: Record<CapturedTable, number>;
}

type Pace = { kind: 'burst' } | { kind: 'paced'; rate: number };

interface ProcessorState {
  consumed: number;
  deadLettered: number;
  published: number;
  backlog: number;
}

/**
 * One run on fresh topics (fresh prefix), a fresh consumer group and empty tables. With a
 * capture file, ours's run writes what it stored and sent there (after its timed window), and
 * the limit run replays it.
 */
async function runOnce(context: RunContext, run: PipelineRunFigures['run'], events: CorpusEvent[], pace: Pace, captureFile?: string): Promise<PipelineRunFigures> {
  const { options, progress } = context;
  const started = Date.now();
  const runId = `bench-${Date.now().toString(36)}-${process.pid}-${run}`;
  const prefix = `${runId}.`;
  const topics = new TopicNames(prefix);
  const kafka = benchKafka(options.brokers, `${runId}-driver`, (line) => progress(`  ${run}: ${line}`));
  const groups = [`${runId}-engine`, `${runId}-engine-outbox-relay`, `${runId}-measure`, `${runId}-naive`, `${runId}-limit`];
  await truncateAll(options.databaseUrl);

  let processor: ChildApp | undefined;
  let producer: Producer | undefined;
  let measure: Consumer | undefined;
  const profileDir = join(ROOT, 'bench-results/profiles');
  const nodeArgs = options.cpuProfile ? (mkdirSync(profileDir, { recursive: true }), ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${runId}.cpuprofile`]) : [];
  try {
    // 1. The processor, on this run's topics.
    let state: () => Promise<ProcessorState>;
    if (run === 'baseline') {
      await createTopics(kafka, topics, context.departments);
      const naive = ChildApp.spawn({
        name: 'naive pipeline',
        entry: 'dist/bench/src/naive-pipeline.js',
        ipc: true,
        nodeArgs,
        env: naiveEnvironment({
          brokers: options.brokers,
          topicPrefix: prefix,
          groupId: `${runId}-naive`,
          clientId: `${runId}-naive`,
          databaseUrl: options.databaseUrl,
          rulesDir: join(ROOT, 'rules'),
          departmentsFile: join(ROOT, 'config/departments.json'),
          calendarFile: join(ROOT, 'config/calendar.json'),
        }),
      });
      processor = naive;
      let latest: NaiveProgress = { processed: 0, rejected: 0, published: 0, errors: 0 };
      const ready = new Promise<void>((resolve, reject) => {
        naive.child.on('message', (message: NaiveMessage) => {
          if (message.type === 'ready') resolve();
          else if (message.type === 'failed') reject(new Error(`naive pipeline failed: ${message.message}`));
          else if (message.type === 'progress') latest = message;
        });
        naive.child.once('exit', (code) => reject(new Error(`naive pipeline exited with ${code}:\n${naive.log.slice(-3000)}`)));
      });
      await withTimeout(ready, 60_000, 'naive pipeline did not join its consumer group within 60 s');
      state = async () => ({ consumed: latest.processed, deadLettered: latest.rejected, published: latest.published, backlog: 0 });
    } else if (run === 'limit') {
      await createTopics(kafka, topics, context.departments, options.decisionTopicMaxBytes);
      const probe = ChildApp.spawn({
        name: 'limit probe',
        entry: 'dist/bench/src/limit-pipeline.js',
        ipc: true,
        nodeArgs,
        env: limitEnvironment({
          brokers: options.brokers,
          topicPrefix: prefix,
          groupId: `${runId}-limit`,
          clientId: `${runId}-limit`,
          databaseUrl: options.databaseUrl,
          departments: context.departments,
          captureFile: captureFile!,
          concurrentPartitions: options.limitConcurrency,
        }),
      });
      processor = probe;
      let latest: LimitProgress = { processed: 0, rejected: 0, published: 0, backlog: 0, errors: 0 };
      const ready = new Promise<void>((resolve, reject) => {
        probe.child.on('message', (message: LimitMessage) => {
          if (message.type === 'ready') {
            progress(`  ${run}: ${fmt(message.events)} events' rows and records loaded from ours's run`);
            resolve();
          } else if (message.type === 'failed') reject(new Error(`limit probe failed: ${message.message}`));
          else if (message.type === 'progress') latest = message;
        });
        probe.child.once('exit', (code) => reject(new Error(`limit probe exited with ${code}:\n${probe.log.slice(-3000)}`)));
      });
      await withTimeout(ready, 120_000, 'the limit probe did not load its capture and join its consumer group within 120 s');
      state = async () => ({ consumed: latest.processed, deadLettered: latest.rejected, published: latest.published, backlog: latest.backlog });
    } else {
      if (options.decisionTopicMaxBytes > 0) await createTopics(kafka, topics, context.departments, options.decisionTopicMaxBytes);
      // The engine's principals may not create topics: the run is provisioned as a deployment is.
      await provisionDeployment(kafka, kafkaDeployment({ KAFKA_TOPIC_PREFIX: prefix, KAFKA_CONSUMER_GROUP: `${runId}-engine`, KAFKA_CLIENT_ID: runId }), context.departments, { inboundPartitions: 6, decisionPartitions: 3, replicationFactor: 1 });
      const port = await freePort();
      const engine = ChildApp.spawn({
        name: 'decision-engine',
        entry: 'dist/apps/decision-engine/src/main.js',
        nodeArgs: [...options.engineNodeArgs, ...nodeArgs],
        env: {
          TRANSPORT: 'kafka',
          DATABASE_URL: options.databaseUrl,
          KAFKA_BROKERS: options.brokers,
          KAFKA_TOPIC_PREFIX: prefix,
          KAFKA_CONSUMER_GROUP: `${runId}-engine`,
          // The outbox relay's transactional id derives from the client id: unique per run, so
          // no other engine on the same broker (a test, a previous run) fences this one.
          KAFKA_CLIENT_ID: runId,
          KAFKA_SSL_CA: BENCH_KAFKA_CA,
          LIFECYCLE_INTERVAL_MS: '0',
          RULES_RELOAD_INTERVAL_MS: '0',
          LOG_LEVEL: 'warn',
          ENGINE_PORT: String(port),
          HTTP_HOST: '127.0.0.1',
        },
      });
      processor = engine;
      // Healthy means migrated, topics created and the consumer group joined.
      await engine.waitUntilHealthy(`http://127.0.0.1:${port}/health`, 120_000);
      state = () => scrapeEngine(port);
    }
    const command = procCommandLine(processor.pid);
    const expectedEntry = run === 'baseline' ? 'naive-pipeline.js' : run === 'limit' ? 'limit-pipeline.js' : 'decision-engine/src/main.js';
    if (!command.includes(expectedEntry)) throw new Error(`pid ${processor.pid} runs "${command}", not ${expectedEntry}: its memory figures would be another process's`);

    // 2. The measuring consumer on every department topic, joined before anything is sent.
    const firstArrival = new Map<string, number>();
    let records = 0;
    let recordBytes = 0;
    let lastArrival = 0;
    // Ours's records, kept (references only) for the limit probe to send again.
    const arrived: ArrivedRecord[] | undefined = run === 'ours' && captureFile ? [] : undefined;
    const departmentOfTopic = new Map(context.departments.map((d) => [topics.decisionsFor(d), d]));
    measure = kafka.consumer({ groupId: `${runId}-measure`, readUncommitted: false, maxBytes: 64 * 1024 * 1024, maxBytesPerPartition: 16 * 1024 * 1024, allowAutoTopicCreation: false });
    await measure.connect();
    const joined = new Promise<void>((resolve) => measure!.on(measure!.events.GROUP_JOIN, () => resolve()));
    await measure.subscribe({ topics: context.departments.map((d) => topics.decisionsFor(d)), fromBeginning: true });
    let measuring = true;
    await measure.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }: EachBatchPayload) => {
        if (!measuring) return;
        const at = nowMs();
        const department = departmentOfTopic.get(batch.topic) ?? batch.topic;
        for (const message of batch.messages) {
          records++;
          recordBytes += message.value?.length ?? 0;
          arrived?.push({ department, key: message.key, headers: message.headers, value: message.value });
          if (headerText(message.headers?.ce_type) !== DECISION_RECORD_TYPE) continue;
          const cause = causeEventId(message.value);
          if (cause !== undefined && !firstArrival.has(cause)) {
            firstArrival.set(cause, at);
            lastArrival = at;
          }
        }
      },
    });
    await withTimeout(joined, 60_000, 'the measuring consumer did not join its group within 60 s');

    // 3. Produce.
    const sentAt = new Map<string, number>();
    producer = kafka.producer({ idempotent: false, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    const cpuBefore = process.cpuUsage();
    const rssSamples: number[] = [];
    const sample = () => {
      const memory = processor?.memory();
      if (memory) rssSamples.push(memory.rssMb);
    };
    const sampler = setInterval(sample, 500);
    let firstSend = 0;
    let lastSend = 0;
    const send = async (slice: CorpusEvent[]) => {
      const at = nowMs();
      if (firstSend === 0) firstSend = at;
      const header = String(Math.round(at));
      const byTopic = new Map<string, Message[]>();
      for (const e of slice) {
        sentAt.set(e.id, at);
        const topic = topics.inboundFor(e.department);
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: e.key, value: e.value, headers: { 'content-type': 'application/cloudevents+json', bench_sent_at: header } }]);
      }
      await producer!.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      lastSend = nowMs();
    };
    try {
      if (pace.kind === 'burst') {
        // A few batches in flight: the producer should never be what limits the pipeline.
        const inFlight = new Set<Promise<void>>();
        for (let i = 0; i < events.length; i += options.produceBatch) {
          const p: Promise<void> = send(events.slice(i, i + options.produceBatch)).finally(() => inFlight.delete(p));
          inFlight.add(p);
          if (inFlight.size >= 4) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      } else {
        // Paced: every 10 ms, send what the rate allows by now (catching up if a send was slow).
        const begin = nowMs();
        let sent = 0;
        while (sent < events.length) {
          const due = Math.min(events.length, Math.floor(((nowMs() - begin) / 1000) * pace.rate));
          if (due > sent) {
            await send(events.slice(sent, due));
            sent = due;
          }
          await sleep(10);
        }
      }
      progress(`  ${run}: ${fmt(events.length)} events sent in ${fmt((lastSend - firstSend) / 1000)} s (${fmt(events.length / ((lastSend - firstSend) / 1000 || 1))}/s)`);

      // 4. Wait until the processor has handled every event and every record it published has arrived.
      let completed = false;
      let stopped: string | undefined;
      let lastSignature = '';
      let lastArrivalChange = Date.now();
      let lastRecords = -1;
      let stableSince: string | undefined;
      let lastReport = Date.now();
      const maxSeconds = pace.kind === 'paced' ? Math.min(options.maxRunSeconds, options.pacedSeconds + 60) : options.maxRunSeconds;
      const deadline = firstSend + maxSeconds * 1000;
      for (;;) {
        await sleep(1000);
        sample();
        if (!processor.running) throw new Error(`${processor.name} exited during the run:\n${processor.log.slice(-3000)}`);
        if (records !== lastRecords) {
          lastRecords = records;
          lastArrivalChange = Date.now();
        }
        const s = await state().catch(() => undefined);
        if (s) {
          const signature = `${s.consumed}/${s.deadLettered}/${s.published}/${records}`;
          const done = s.consumed + s.deadLettered >= events.length && s.backlog === 0 && records >= s.published;
          if (done && stableSince === signature) {
            completed = true;
            break;
          }
          stableSince = done ? signature : undefined;
          lastSignature = `${fmt(s.consumed + s.deadLettered)}/${fmt(events.length)} events handled, ${fmt(firstArrival.size)} decided events seen, ${fmt(records)}/${fmt(s.published)} records received/published`;
          if (Date.now() - lastReport >= 10_000) {
            lastReport = Date.now();
            progress(`  ${run}: ${lastSignature}`);
          }
        }
        if (Date.now() - lastArrivalChange > options.stallSeconds * 1000) stopped = `no decision record arrived for ${options.stallSeconds} s`;
        else if (nowMs() > deadline) stopped = `still running ${maxSeconds} s after the first send (--pipeline-max-seconds)`;
        if (stopped) {
          progress(`  ${run}: ${stopped}; stopping here (${lastSignature}); figures are those of the events decided so far`);
          const log = tail(processor.log, 12);
          if (log.trim()) progress(`  ${run}: last lines of the ${processor.name} log:\n${log}`);
          break;
        }
      }
      measuring = false;
      clearInterval(sampler);
      const final = await state().catch((): ProcessorState => ({ consumed: NaN, deadLettered: NaN, published: NaN, backlog: NaN }));
      const memory = processor.memory();
      const cpu = process.cpuUsage(cpuBefore);

      // 5. Figures.
      const latencies = new Float64Array(firstArrival.size);
      let n = 0;
      for (const [id, at] of firstArrival) {
        const sent = sentAt.get(id);
        if (sent !== undefined) latencies[n++] = at - sent;
      }
      const sorted = latencies.subarray(0, n).sort();
      const windowMs = Math.max(1, lastArrival - firstSend);
      const stages = run === 'ours' || run === 'ours-paced' ? await withClient(options.databaseUrl, (client) => latencyStages(client, sentAt, firstArrival)) : undefined;
      const decidedInDb = await withClient(options.databaseUrl, async (client) => Number((await client.query<{ n: string }>('SELECT count(DISTINCT cause_event_id) AS n FROM decision')).rows[0].n));
      let sameRowsAsOurs: PipelineRunFigures['sameRowsAsOurs'];
      if (run === 'limit' && context.oursRows) {
        const ours = context.oursRows;
        const counts = await withClient(options.databaseUrl, countRows);
        const differences = (Object.keys(ours) as CapturedTable[]).filter((t) => counts[t] !== ours[t]).map((t) => `${t} ${fmt(counts[t])} (ours ${fmt(ours[t])})`);
        sameRowsAsOurs = { same: differences.length === 0, differences };
        progress(`  ${run}: ${differences.length === 0 ? `the same rows as ours in every product table (${fmt(Object.values(counts).reduce((a, b) => a + b, 0))})` : `rows differ from ours's: ${differences.join(', ')}`}`);
      }
      if (arrived && completed) {
        const captured = await withClient(options.databaseUrl, (client) => writeCapture(client, arrived, captureFile!));
        context.oursRows = captured.rowsByTable;
        progress(`  ${run}: captured for the limit probe: ${fmt(captured.rows)} rows, ${fmt(captured.records)} records, ${fmt(captured.deadLetters)} dead letters, ${fmt(round(statSync(captureFile!).size / 1e6, 1))} MB${captured.unattributed ? ` (${fmt(captured.unattributed)} rows or records without a cause event, left out)` : ''}`);
        arrived.length = 0;
      }
      let cpuProfile: string | undefined;
      await processor.stop();
      // The processor's own log (warnings and errors), kept for incomplete runs and when asked (--pipeline-keep-log, e.g. with --trace-gc).
      let logFile: string | undefined;
      if ((!completed || options.keepEngineLog) && processor.log.trim()) {
        mkdirSync(join(ROOT, 'bench-results/logs'), { recursive: true });
        logFile = join('bench-results/logs', `${runId}.log`);
        writeFileSync(join(ROOT, logFile), processor.log.replace(/\u001b\[[0-9;]*m/g, ''));
      }
      if (options.cpuProfile) cpuProfile = readdirSync(profileDir).find((f) => f.startsWith(runId)) ? join('bench-results/profiles', `${runId}.cpuprofile`) : undefined;
      return {
        run,
        events: events.length,
        consumed: final.consumed,
        deadLettered: final.deadLettered,
        decidedEvents: firstArrival.size,
        decidedEventsInDatabase: decidedInDb,
        sameRowsAsOurs,
        decisionRecords: records,
        decisionRecordMb: round(recordBytes / 1e6, 1),
        decisionRecordBytes: recordBytes,
        completed,
        stopped,
        produceSeconds: round((lastSend - firstSend) / 1000, 2),
        producedPerSecond: round(events.length / Math.max(0.001, (lastSend - firstSend) / 1000), 0),
        windowSeconds: round(windowMs / 1000, 2),
        decidedEventsPerSecond: round((firstArrival.size / windowMs) * 1000, 1),
        eventsPerSecond: round(((completed ? events.length : final.consumed + final.deadLettered) / windowMs) * 1000, 1),
        latency: latencyFigures(sorted),
        stages,
        processor: {
          pid: processor.pid,
          command,
          peakRssMb: memory?.peakRssMb ?? null,
          maxSampledRssMb: rssSamples.length > 0 ? Math.max(...rssSamples) : null,
          cpuProfile,
          logFile,
        },
        benchProcessCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
        seconds: round((Date.now() - started) / 1000, 1),
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await measure?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await processor?.stop().catch(() => undefined);
    await deleteRunArtifacts(kafka, prefix, groups);
  }
}

/** The engine's own counters (GET /metrics, Prometheus text). */
async function scrapeEngine(port: number): Promise<ProcessorState> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  // A counter with labels has a line per series: their sum.
  const value = (name: string) => [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))].reduce((sum, match) => sum + Number(match[1]), 0);
  return {
    consumed: value('credit_events_processed_total'),
    deadLettered: value('credit_events_dead_lettered_total'),
    published: value('credit_decision_records_published_total'),
    backlog: value('credit_outbox_backlog'),
  };
}

/** The same topics the engine provisions (for the naive pipeline, which provisions nothing). */
async function createTopics(kafka: Kafka, topics: TopicNames, departments: string[], decisionTopicMaxBytes = 0): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const decisionTopics = new Set(departments.map((d) => topics.decisionsFor(d)));
    const layout = topics.layout({ departments, inboundPartitions: 6, decisionPartitions: 3 }).map((t) =>
      decisionTopicMaxBytes > 0 && decisionTopics.has(t.topic) ? { ...t, configEntries: [...t.configEntries, { name: 'max.message.bytes', value: String(decisionTopicMaxBytes) }] } : t,
    );
    await admin.createTopics({ waitForLeaders: false, topics: layout.map((t) => ({ ...t, replicationFactor: 1 })) });
    await waitForLeaders(admin, layout.map((t) => t.topic));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every partition of `topics` has a leader. Polled here rather than by createTopics'
 * waitForLeaders, which gives up on UNKNOWN_TOPIC_OR_PARTITION: right after the previous
 * run's topics were deleted the broker often does not list the new ones for a moment.
 */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await admin
      .fetchTopicMetadata({ topics })
      .then(({ topics: found }) => found.length === topics.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
      .catch(() => false);
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`the run's ${topics.length} topics have no leader for every partition 60 s after being created`);
    await sleep(250);
  }
}

/** `causeEvent.id` of a decision record without parsing the whole (large) record. */
function causeEventId(value: Buffer | null): string | undefined {
  if (!value) return undefined;
  const at = value.indexOf(CAUSE_MARKER);
  if (at >= 0) {
    const start = at + CAUSE_MARKER.length;
    const end = value.indexOf(0x22, start);
    if (end > start) return value.toString('utf8', start, end);
  }
  try {
    return (JSON.parse(value.toString('utf8')) as { causeEvent?: { id?: string } }).causeEvent?.id;
  } catch {
    return undefined;
  }
}

/** The last lines of a log, ANSI colours removed, long lines cut. */
function tail(log: string, lines: number): string {
  return log
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`)
    .join('\n');
}

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : String(first);
}

/** The three stages of each decided event's latency, from the engine's own timestamps (same machine, same clock). */
async function latencyStages(client: Client, sentAt: ReadonlyMap<string, number>, arrivedAt: ReadonlyMap<string, number>): Promise<PipelineRunFigures['stages']> {
  const { rows } = await client.query<{ id: string; received: string; published: string }>(
    `SELECT i.event_id AS id, extract(epoch FROM i.received_at) * 1000 AS received, extract(epoch FROM min(f.published_at)) * 1000 AS published
       FROM inbound_event i
       JOIN decision d ON d.cause_event_source = i.source AND d.cause_event_id = i.event_id
       JOIN feed_record f ON f.decision_id = d.id AND f.kind = 'decision.issued'
      GROUP BY i.event_id, i.received_at`,
  );
  const toEngine: number[] = [];
  const toTopic: number[] = [];
  const toConsumer: number[] = [];
  for (const row of rows) {
    const sent = sentAt.get(row.id);
    const arrived = arrivedAt.get(row.id);
    if (sent === undefined || arrived === undefined || row.published === null) continue;
    const received = Number(row.received);
    const published = Number(row.published);
    toEngine.push(received - sent);
    toTopic.push(published - received);
    toConsumer.push(arrived - published);
  }
  if (toEngine.length === 0) return undefined;
  const figures = (values: number[]) => latencyFigures(Float64Array.from(values).sort());
  return { toEngineTransaction: figures(toEngine), toTopic: figures(toTopic), toConsumer: figures(toConsumer) };
}

function latencyFigures(sorted: Float64Array): LatencyFigures {
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    p999Ms: round(percentile(sorted, 99.9), 1),
    maxMs: round(sorted.length ? sorted[sorted.length - 1] : NaN, 1),
    meanMs: round(sorted.length ? sum / sorted.length : NaN, 1),
  };
}

function describe(r: PipelineRunFigures): string {
  return (
    `${fmt(r.decidedEvents)} decided events of ${fmt(r.events)} (${fmt(r.decidedEventsInDatabase)} in PostgreSQL) in ${fmt(r.windowSeconds)} s: ` +
    `${fmt(r.decidedEventsPerSecond)} decided events/s (${fmt(r.eventsPerSecond)} events/s all told), latency p50 ${fmt(r.latency.p50Ms)} ms, p99 ${fmt(r.latency.p99Ms)} ms, p99.9 ${fmt(r.latency.p999Ms)} ms; ` +
    `peak RSS ${fmt(r.processor.peakRssMb)} MB${r.completed ? '' : ' — INCOMPLETE'} (${fmt(r.seconds)} s)` +
    (r.stages
      ? `\n    stages p50 / p99: sent → engine transaction ${fmt(r.stages.toEngineTransaction.p50Ms)} / ${fmt(r.stages.toEngineTransaction.p99Ms)} ms, ` +
        `→ on the topic ${fmt(r.stages.toTopic.p50Ms)} / ${fmt(r.stages.toTopic.p99Ms)} ms, → arrived ${fmt(r.stages.toConsumer.p50Ms)} / ${fmt(r.stages.toConsumer.p99Ms)} ms`
      : '')
  );
}

function goals(result: PipelineBenchResult): Goal[] {
  const out: Goal[] = [];
  const { ours, paced, baseline, ratio } = result;
  if (ours) {
    out.push({ name: 'sustained throughput (decided events/s)', target: '≥ 10,000/s', measured: `${fmt(ours.decidedEventsPerSecond)}/s${ours.completed ? '' : ' (incomplete run)'}`, met: ours.completed && ours.decidedEventsPerSecond >= 10_000 });
  }
  if (ours && baseline) {
    out.push({ name: 'throughput vs naive baseline', target: '≥ 20×', measured: `${fmt(ratio)}× (${fmt(ours.decidedEventsPerSecond)} vs ${fmt(baseline.decidedEventsPerSecond)}/s)`, met: (ratio ?? 0) >= 20 });
  }
  if (ours && result.limit) {
    const share = result.limitShare ?? 0;
    out.push({ name: 'throughput vs limit probe', target: '≥ 50 % of the limit probe', measured: `${fmt(share)} % (${fmt(ours.decidedEventsPerSecond)} vs ${fmt(result.limit.decidedEventsPerSecond)}/s)`, met: share >= 50 });
  }
  if (paced) {
    const rate = result.pacedRate ?? result.options.pacedRate;
    out.push({ name: `p99 latency at ${fmt(rate)} events/s (half the sustained maximum)`, target: '≤ 250 ms', measured: `${fmt(paced.latency.p99Ms)} ms (p50 ${fmt(paced.latency.p50Ms)}, p99.9 ${fmt(paced.latency.p999Ms)})${paced.completed ? '' : ' (incomplete run)'}`, met: paced.completed && paced.latency.p99Ms <= 250 });
  }
  const peaks = [ours, paced].filter((r): r is PipelineRunFigures => !!r && r.processor.peakRssMb !== null);
  if (peaks.length > 0) {
    const peak = Math.max(...peaks.map((r) => r.processor.peakRssMb!));
    out.push({ name: 'engine peak RSS (VmHWM)', target: '≤ 300 MB', measured: `${fmt(peak)} MB`, met: peak <= 300 });
  }
  if (ours && ours.decisionRecords > 0) {
    const perRecord = ours.decisionRecordBytes / ours.decisionRecords;
    const perEvent = ours.decisionRecordBytes / Math.max(1, ours.events);
    out.push({ name: 'bytes per department record (topics)', target: '≤ 1,200 B', measured: `${fmt(round(perRecord, 0))} B`, met: perRecord <= 1200 });
    out.push({ name: 'bytes of department records per event (topics)', target: '≤ 6,000 B', measured: `${fmt(round(perEvent, 0))} B`, met: perEvent <= 6000 });
  }
  return out;
}

export function formatPipelineTable(result: PipelineBenchResult): string {
  const runs = [result.ours, result.limit, result.paced, result.baseline].filter((r): r is PipelineRunFigures => !!r);
  const rows = runs.map((r) => [
    r.run,
    fmt(r.events),
    fmt(r.decidedEvents),
    `${fmt(r.windowSeconds)} s`,
    fmt(r.decidedEventsPerSecond),
    fmt(r.eventsPerSecond),
    fmt(r.latency.p50Ms),
    fmt(r.latency.p99Ms),
    fmt(r.latency.p999Ms),
    fmt(r.processor.peakRssMb),
    r.completed ? 'yes' : 'NO',
  ]);
  const out = [
    table(['run', 'events', 'decided', 'window', 'decided ev/s', 'all ev/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'peak RSS MB', 'complete'], rows),
    '',
    `corpus: ${fmt(result.corpus.events)} events (seed ${result.corpus.seed}); records on the department topics: ${runs.map((r) => `${r.run} ${fmt(r.decisionRecords)} (${fmt(r.decisionRecordMb)} MB)`).join(', ')}`,
    ...runs.map((r) => `  ${r.run}: ${fmt(round(r.decisionRecordBytes / Math.max(1, r.decisionRecords), 0))} bytes a record; per event ${fmt(round(r.decisionRecords / Math.max(1, r.events), 2))} records, ${fmt(round(r.decisionRecordBytes / Math.max(1, r.events), 0))} bytes (per decided event ${fmt(round(r.decisionRecords / Math.max(1, r.decidedEvents), 2))} records, ${fmt(round(r.decisionRecordBytes / Math.max(1, r.decidedEvents), 0))} bytes)`),
    `load average at start/end: ${result.environment.loadAverage.map((n) => n.toFixed(2)).join(' ')} (${result.environment.cpus} CPUs) — other work on the machine skews these figures`,
  ];
  for (const f of result.failures) out.push(`${f.run}: FAILED — ${f.error.split('\n')[0]}`);
  for (const r of runs) {
    if (!r.completed) out.push(`${r.run}: INCOMPLETE — ${r.stopped ?? 'stopped early'}; ${fmt(r.consumed + r.deadLettered)} of ${fmt(r.events)} events handled by then${r.processor.logFile ? `; its log: ${r.processor.logFile}` : ''}`);
  }
  if (result.ratio !== undefined) out.push(`ours ÷ baseline (decided events/s): ${fmt(result.ratio)}×`);
  if (result.limitShare !== undefined) out.push(`ours ÷ limit probe (decided events/s): ${fmt(result.limitShare)} %`);
  if (result.ours && result.limit) {
    const { ours, limit } = result;
    const sameRecords = limit.decisionRecords === ours.decisionRecords && limit.decisionRecordBytes === ours.decisionRecordBytes;
    const rows = limit.sameRowsAsOurs;
    out.push(
      `limit probe vs ours: ${sameRecords ? 'the same' : 'NOT the same'} records (${fmt(limit.decisionRecords)} vs ${fmt(ours.decisionRecords)}, ${fmt(limit.decisionRecordBytes)} vs ${fmt(ours.decisionRecordBytes)} bytes); ` +
        `${rows === undefined ? 'rows not compared' : rows.same ? 'the same row counts in every product table' : `row counts differ: ${rows.differences.join(', ')}`}`,
    );
  }
  out.push('', formatGoals(result.goals));
  return out.join('\n');
}

function loadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

function omit<T extends object, K extends keyof T>(value: T, keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export const PIPELINE_DEFAULTS = {
  events: 30_000,
  baselineEvents: 1_500,
  /** 0: half the sustained maximum ours reaches in the same run (the issue's 'paced at half the sustained maximum'). */
  pacedRate: 0,
  pacedSeconds: 15,
  produceBatch: 500,
  limitConcurrency: 2,
  stallSeconds: 45,
  maxRunSeconds: 150,
  /** Read when the section runs: the bench may have started an embedded server by then. */
  get databaseUrl(): string {
    return process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
  },
  brokers: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
};
