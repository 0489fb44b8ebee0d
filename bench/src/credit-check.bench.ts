import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { chinaDate, computeUsccCheckCharacter, Department, DepartmentRegistry } from '@app/domain';
import { CHECKS_AND_LOG_SQL, CHECKS_AND_LOG_STATEMENT } from '@app/persistence';
import { AUDITED_ENDPOINTS, loadApprovalItems, OUTCOME_OF_CATEGORY, OUTCOME_PRECEDENCE } from '@app/query';
import { loadRuleSet, Memorandum, recordLegalBasis } from '@app/rules';
import { BARE_CHECK_APPLICATION_NAME, bareCheckEnvironment, BareCheckSettings } from './bare-check-server';
import { DEFAULT_BENCH_DATABASE_URL, assertBenchDatabase, databaseName, ensureDatabase, recreateSchema, redact, restartAuditChain, withClient, withDatabase } from './support/bench-database';
import { ChildApp, fmt, formatGoals, freePort, Goal, procCommandLine, ROOT, round, table } from './support/child-app';

/**
 * Credit check: GET /v1/subjects/:id/check?approvalItem=government-procurement as the
 * finance bureau, on a database holding 1,000,000 subjects with about 3 measures in force
 * each (3,000,000 active measure tasks) plus history, answered by the query-api run as its
 * own process and driven by autocannon over loopback with random subjects. Each check
 * writes its query_audit row before answering (the product requires it): that is measured.
 *
 * The data is generated once with INSERT … SELECT straight into list_entry, measure_task
 * and decision, from templates built from the real rule files (texts, legal bases,
 * explanations of the real shape and size), and kept: a marker table records what was
 * generated, so the next run reuses it (--rebuild-check-data forces a rebuild).
 *
 * In the same run, with the same autocannon settings on the same data, the bare probe
 * (./bare-check-server.ts: node:http and pg running the query API's own statement) shows
 * what the machine can answer, and ours is printed as a percentage of it.
 */
export interface CreditCheckBenchOptions {
  subjects: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  rebuild: boolean;
  cpuProfile: boolean;
  /** Also load the bare node:http + pg probe (./bare-check-server.ts) with the same settings. */
  bareProbe: boolean;
  /** Also load the query API on Express (HTTP_PLATFORM=express), the baseline ours on Fastify is compared with. */
  expressBaseline: boolean;
  databaseUrl: string;
  onProgress?: (line: string) => void;
}

export interface CreditCheckBenchResult {
  benchmark: 'credit-check';
  generatedAt: string;
  environment: { node: string; platform: string; cpu: string; cpus: number; loadAverage: number[] };
  options: Omit<CreditCheckBenchOptions, 'onProgress' | 'databaseUrl'> & { database: string; endpoint: string };
  data: DataMarker & { reused: boolean; tableMb: Record<string, number> };
  /** Outcomes of a sample of checks made before the load (what the load is made of). */
  sample: { checks: number; record: number; outcomes: Record<string, number>; measures: number };
  load: LoadFigures;
  queryApi: { pid: number; command: string; peakRssMb: number | null; cpuProfile?: string };
  /** The same query API on Express under the same load, if it ran: the baseline of the HTTP platform. */
  express?: { load: LoadFigures; pid: number; peakRssMb: number | null };
  /** ours rps ÷ the Express baseline's. */
  expressRatio?: number;
  /** The bare node:http + pg probe under the same load, if it ran. */
  bare?: { load: LoadFigures; pid: number; peakRssMb: number | null; sameAnswers: number };
  /** ours rps as a percentage of the bare probe's. */
  bareShare?: number;
  failures: { run: string; error: string }[];
  goals: Goal[];
  seconds: number;
}

/** One load run's figures (autocannon's, and CPU from /proc). */
export interface LoadFigures {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  averageOfPerSecondSamples: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  auditRowsWritten: number;
  /** CPU time per request during the load (user + system), from /proc: what each party spends on one check; `server` is the process answering (the query API, or the bare probe). */
  cpuMsPerRequest: { server: number | null; postgresBackends: number | null; loadGenerator: number };
}

interface DataMarker {
  version: number;
  subjects: number;
  activeMeasures: number;
  listEntries: number;
  historyEntries: number;
  /** China date the validity periods were laid out around. */
  laidOutOn: string;
  generationSeconds: number;
  generatedAt: string;
}

const DATA_VERSION = 1;
const MARKER_TABLE = 'bench_credit_check_data';
const ENDPOINT = '/v1/subjects/:id/check?approvalItem=government-procurement';
const TOKEN = 'dev-finance-token';
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const DIVISIONS = ['510802', '510811', '510812', '510821', '110105', '310115', '440305', '320106', '330106', '500103'];
const ORGANISATION_CODE_SPACE = 31 ** 9;
/** Share of subjects (per 100) listed under each memorandum; finance's procurement measures come from the first five. */
const MEMORANDUM_SHARES: Record<string, number> = {
  'judgment-debtors': 35,
  'major-tax-violators': 15,
  'serious-illegal-dishonest': 10,
  'wage-arrears': 10,
  'environmental-dishonesty': 10,
  'abnormal-operation': 10,
  'a-grade-taxpayers': 6,
  'honesty-models': 4,
};

/** The n-th generated subject's unified social credit code (valid check character), the same in SQL rows and requests. */
export function subjectId(n: number): string {
  let x = (n * 2654435761 + 97) % ORGANISATION_CODE_SPACE;
  let code = '';
  for (let i = 0; i < 9; i++) {
    code = USCC_ALPHABET[x % 31] + code;
    x = Math.floor(x / 31);
  }
  const body = `9${'123'[n % 3]}${DIVISIONS[n % DIVISIONS.length]}${code}`;
  return body + computeUsccCheckCharacter(body);
}

export async function benchCreditCheck(options: CreditCheckBenchOptions): Promise<CreditCheckBenchResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  assertBenchDatabase(options.databaseUrl);
  const loadAverageAtStart = loadAverage();
  await ensureDatabase(options.databaseUrl);

  let marker = await readMarker(options.databaseUrl);
  const today = chinaDate(new Date());
  const stale = marker && (marker.version !== DATA_VERSION || marker.subjects !== options.subjects || daysBetween(marker.laidOutOn, today) > 30);
  const reused = !!marker && !stale && !options.rebuild;
  if (!reused) {
    progress(
      `generating ${fmt(options.subjects)} subjects / ${fmt(options.subjects * 3)} active measures in ${redact(options.databaseUrl)} (${options.rebuild ? '--rebuild-check-data' : marker ? 'kept data is stale' : 'no kept data'}); this takes minutes, once…`,
    );
    marker = await generateData(options.databaseUrl, options.subjects, today, progress);
    progress(`data generated in ${fmt(marker.generationSeconds)} s`);
  } else {
    progress(`reusing the credit-check data generated ${marker!.generatedAt} (${fmt(marker!.subjects)} subjects, ${fmt(marker!.activeMeasures)} active measures; --rebuild-check-data regenerates)`);
  }
  const tableMb = await withClient(options.databaseUrl, async (client) => {
    const { rows } = await client.query<{ relname: string; mb: string }>(
      `SELECT relname, round(pg_total_relation_size(oid) / 1048576.0) AS mb FROM pg_class WHERE relname IN ('list_entry', 'measure_task', 'decision', 'query_audit') AND relkind = 'r'`,
    );
    // Checks of earlier runs are not this run's; the audit trigger refuses DELETE, TRUNCATE is the bench's reset.
    await client.query('TRUNCATE query_audit RESTART IDENTITY');
    await restartAuditChain(client);
    return Object.fromEntries(rows.map((r) => [r.relname, Number(r.mb)]));
  });

  const port = await freePort();
  const profileDir = join(ROOT, 'bench-results/profiles');
  const profileName = `credit-check-${Date.now().toString(36)}.cpuprofile`;
  const queryApiEnv = (queryPort: number, platform: 'fastify' | 'express') => ({ TRANSPORT: 'postgres', DATABASE_URL: options.databaseUrl, QUERY_PORT: String(queryPort), HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn', RULES_RELOAD_INTERVAL_MS: '0', HTTP_PLATFORM: platform });
  const app = ChildApp.spawn({
    name: 'query-api',
    entry: 'dist/apps/query-api/src/main.js',
    nodeArgs: options.cpuProfile ? (mkdirSync(profileDir, { recursive: true }), ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${profileName}`]) : [],
    env: queryApiEnv(port, 'fastify'),
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await app.waitUntilHealthy(`${base}/health`, 90_000);
    const command = procCommandLine(app.pid);
    const path = (n: number) => `/v1/subjects/${subjectId(n)}/check?approvalItem=government-procurement&purpose=bench-load`;
    const randomSubject = () => Math.floor(Math.random() * options.subjects);

    // What the load consists of: a sample of checks, each verified.
    const sample = { checks: 0, record: 0, outcomes: {} as Record<string, number>, measures: 0 };
    let firstBody = { department: '' };
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${base}${path(i === 0 ? 0 : randomSubject())}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = (await response.json()) as { department: string; record?: boolean; outcome?: string; measures?: unknown[]; error?: { code: string; message: string } };
      if (!response.ok) throw new Error(`credit check answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
      if (i === 0) firstBody = body;
      sample.checks++;
      if (body.record) sample.record++;
      sample.outcomes[body.outcome ?? '?'] = (sample.outcomes[body.outcome ?? '?'] ?? 0) + 1;
      sample.measures += body.measures?.length ?? 0;
    }
    progress(`sample of ${sample.checks} checks: ${sample.record} with a record, outcomes ${JSON.stringify(sample.outcomes)}, ${sample.measures} procurement measures shown`);

    const autocannon = loadAutocannon();
    const drive = (target: string, seconds: number) =>
      autocannon({
        url: target,
        connections: options.connections,
        duration: seconds,
        timeout: 10,
        headers: { authorization: `Bearer ${TOKEN}`, 'x-user-id': 'bench-clerk' },
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path(randomSubject()) }) }],
      });
    /** Warm-up, then the measured load against one server process. */
    const measureLoad = async (label: string, target: string, serverPid: number, bareBackends = serverPid !== app.pid): Promise<LoadFigures> => {
      if (options.warmupSeconds > 0) {
        progress(`${label} warm-up: ${options.warmupSeconds} s, ${options.connections} connections…`);
        await drive(target, options.warmupSeconds);
      }
      progress(`${label} load: ${options.durationSeconds} s, ${options.connections} connections, random subjects among ${fmt(options.subjects)}…`);
      const auditBefore = await countAudit(options.databaseUrl);
      const backends = await backendPids(options.databaseUrl, bareBackends);
      const cpuBefore = { server: processCpuMs(serverPid), backends: sumCpuMs(backends), bench: process.cpuUsage() };
      const result = await drive(target, options.durationSeconds);
      const cpu = { server: processCpuMs(serverPid), backends: sumCpuMs(backends), bench: process.cpuUsage(cpuBefore.bench) };
      const auditRowsWritten = (await countAudit(options.databaseUrl)) - auditBefore;
      const requests = result.latency.totalCount;
      const seconds = result.duration;
      const load: LoadFigures = {
        seconds: round(seconds, 2),
        requests,
        requestsPerSecond: round(requests / seconds, 0),
        averageOfPerSecondSamples: round(result.requests.average, 0),
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, p999: result.latency.p99_9, max: result.latency.max, mean: round(result.latency.mean, 2) },
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
        auditRowsWritten,
        cpuMsPerRequest: {
          server: cpu.server !== undefined && cpuBefore.server !== undefined ? round((cpu.server - cpuBefore.server) / requests, 3) : null,
          postgresBackends: cpu.backends !== undefined && cpuBefore.backends !== undefined ? round((cpu.backends - cpuBefore.backends) / requests, 3) : null,
          loadGenerator: round((cpu.bench.user + cpu.bench.system) / 1000 / requests, 3),
        },
      };
      progress(`${label} load: ${fmt(load.requestsPerSecond)} rps, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ${load.non2xx} non-2xx, ${load.errors} errors`);
      return load;
    };

    // The bare probe starts now, while ours is up: the same checks asked of both must get the same answers.
    const failures: CreditCheckBenchResult['failures'] = [];
    let bare: ChildApp | undefined;
    let bareBase = '';
    let sameAnswers = 0;
    if (options.bareProbe) {
      try {
        const barePort = await freePort();
        bare = ChildApp.spawn({ name: 'bare check probe', entry: 'dist/bench/src/bare-check-server.js', env: bareCheckEnvironment(bareSettings(options.databaseUrl, barePort, firstBody.department)) });
        bareBase = `http://127.0.0.1:${barePort}`;
        await bare.waitUntilHealthy(`${bareBase}/health`, 30_000);
        sameAnswers = await compareAnswers(base, bareBase, Array.from({ length: 20 }, (_, i) => path(i === 0 ? 0 : randomSubject())));
        progress(`bare probe (pid ${bare.pid}): the same answers as ours for ${sameAnswers} checks (checkId and checkedAt aside)`);
      } catch (error) {
        failures.push({ run: 'bare', error: (error as Error).message });
        progress(`bare probe: FAILED: ${(error as Error).message}`);
        await bare?.stop().catch(() => undefined);
        bare = undefined;
      }
    }

    const load = await measureLoad('ours', base, app.pid);
    const memory = app.memory();
    await app.stop();
    // The same query API on Express, alone on the database as ours was: the platform's baseline.
    let expressFigures: CreditCheckBenchResult['express'];
    if (options.expressBaseline) {
      const expressPort = await freePort();
      const express = ChildApp.spawn({ name: 'query-api (express)', entry: 'dist/apps/query-api/src/main.js', env: queryApiEnv(expressPort, 'express') });
      try {
        const expressBase = `http://127.0.0.1:${expressPort}`;
        await express.waitUntilHealthy(`${expressBase}/health`, 90_000);
        const expressLoad = await measureLoad('express baseline', expressBase, express.pid, false);
        expressFigures = { load: expressLoad, pid: express.pid, peakRssMb: express.memory()?.peakRssMb ?? null };
      } catch (error) {
        failures.push({ run: 'express', error: (error as Error).message });
      } finally {
        await express.stop().catch(() => undefined);
      }
    }
    const expressRatio = expressFigures && expressFigures.load.requestsPerSecond > 0 ? round(load.requestsPerSecond / expressFigures.load.requestsPerSecond, 2) : undefined;
    let bareFigures: CreditCheckBenchResult['bare'];
    if (bare) {
      try {
        const bareLoad = await measureLoad('bare probe', bareBase, bare.pid);
        bareFigures = { load: bareLoad, pid: bare.pid, peakRssMb: bare.memory()?.peakRssMb ?? null, sameAnswers };
      } catch (error) {
        failures.push({ run: 'bare', error: (error as Error).message });
      } finally {
        await bare.stop().catch(() => undefined);
      }
    }
    const bareShare = bareFigures && bareFigures.load.requestsPerSecond > 0 ? round((load.requestsPerSecond / bareFigures.load.requestsPerSecond) * 100, 1) : undefined;

    const goals: Goal[] = [
      { name: 'credit check throughput', target: '≥ 5,000 rps', measured: `${fmt(load.requestsPerSecond)} rps`, met: load.requestsPerSecond >= 5000 && load.non2xx === 0 && load.errors === 0 },
      { name: 'credit check p99 latency at 50 connections', target: '≤ 25 ms', measured: `${fmt(load.latencyMs.p99)} ms (p50 ${fmt(load.latencyMs.p50)} ms)`, met: load.latencyMs.p99 <= 25 },
      { name: 'credit check non-2xx / errors', target: '0', measured: `${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts`, met: load.non2xx === 0 && load.errors === 0 },
    ];
    if (expressFigures) {
      goals.push({
        name: 'credit check vs the Express baseline',
        target: '≥ 2×',
        measured: `${fmt(expressRatio)}× (${fmt(load.requestsPerSecond)} vs ${fmt(expressFigures.load.requestsPerSecond)} rps; p99 ${fmt(load.latencyMs.p99)} vs ${fmt(expressFigures.load.latencyMs.p99)} ms)`,
        met: (expressRatio ?? 0) >= 2 && expressFigures.load.non2xx === 0 && expressFigures.load.errors === 0,
      });
    }
    if (bareFigures) {
      goals.push({
        name: 'credit check vs bare node:http + pg probe',
        target: '≥ 70 % of the bare probe',
        measured: `${fmt(bareShare)} % (${fmt(load.requestsPerSecond)} vs ${fmt(bareFigures.load.requestsPerSecond)} rps${bareFigures.load.non2xx + bareFigures.load.errors > 0 ? `; probe ${bareFigures.load.non2xx} non-2xx, ${bareFigures.load.errors} errors` : ''})`,
        met: (bareShare ?? 0) >= 70 && bareFigures.load.non2xx === 0 && bareFigures.load.errors === 0,
      });
    }
    return {
      benchmark: 'credit-check',
      generatedAt: new Date().toISOString(),
      environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, loadAverage: [...loadAverageAtStart, ...loadAverage()] },
      options: {
        subjects: options.subjects,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        connections: options.connections,
        rebuild: options.rebuild,
        cpuProfile: options.cpuProfile,
        bareProbe: options.bareProbe,
        expressBaseline: options.expressBaseline,
        database: redact(options.databaseUrl),
        endpoint: ENDPOINT,
      },
      data: { ...marker!, reused, tableMb },
      sample,
      load,
      queryApi: { pid: app.pid, command, peakRssMb: memory?.peakRssMb ?? null, cpuProfile: options.cpuProfile ? join('bench-results/profiles', profileName) : undefined },
      express: expressFigures,
      expressRatio,
      bare: bareFigures,
      bareShare,
      failures,
      goals,
      seconds: round((Date.now() - started) / 1000, 1),
    };
  } finally {
    await app.stop().catch(() => undefined);
  }
}

/** The bare probe's settings, from the query API's own statement and catalogue (the approval item, list and department names). */
function bareSettings(databaseUrl: string, port: number, department: string): BareCheckSettings {
  const departments = new DepartmentRegistry((JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: Department[] }).departments);
  const ruleSet = loadRuleSet(join(ROOT, 'rules'), { knownDepartments: new Set(departments.all().map((d) => d.code)) });
  const item = loadApprovalItems(join(ROOT, 'config/approval-items.json'), ruleSet.memoranda, new Set(departments.all().map((d) => d.code))).get('government-procurement');
  if (!item) throw new Error('config/approval-items.json has no government-procurement item');
  return {
    databaseUrl,
    host: '127.0.0.1',
    port,
    // The query API's pool (dataSourceOptions: extra.max).
    poolSize: 10,
    department,
    sql: CHECKS_AND_LOG_SQL,
    statementName: CHECKS_AND_LOG_STATEMENT,
    endpoint: AUDITED_ENDPOINTS.creditCheck,
    item: { code: item.code, name: item.name, measures: item.measures },
    listNames: Object.fromEntries(ruleSet.memoranda.map((m) => [m.list.code, ruleSet.list(m.list.code)?.name ?? null])),
    departmentNames: Object.fromEntries(departments.all().map((d) => [d.code, d.name])),
    outcomeOfCategory: { ...OUTCOME_OF_CATEGORY },
    outcomePrecedence: [...OUTCOME_PRECEDENCE],
  };
}

/** Asks both servers the same checks; throws on the first answer that differs (checkId and checkedAt aside), else returns how many were compared. */
async function compareAnswers(ours: string, bare: string, paths: readonly string[]): Promise<number> {
  const answer = async (base: string, path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}`, 'x-user-id': 'bench-clerk' } });
    const { checkId: _checkId, checkedAt: _checkedAt, ...body } = (await response.json()) as Record<string, unknown>;
    return `${response.status} ${JSON.stringify(body)}`;
  };
  for (const path of paths) {
    const [a, b] = [await answer(ours, path), await answer(bare, path)];
    if (a !== b) throw new Error(`the bare probe answers ${path} otherwise than ours:\n  ours ${a.slice(0, 600)}\n  bare ${b.slice(0, 600)}`);
  }
  return paths.length;
}

/** The server processes of the measured server's pooled connections (open after the warm-up): the bare probe's by their application name, ours's as the others. */
async function backendPids(url: string, bare: boolean): Promise<number[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND (application_name = $1) = $2`,
      [BARE_CHECK_APPLICATION_NAME, bare],
    );
    return rows.map((r) => r.pid);
  });
}

/** User + system CPU a process has used, in ms (Linux /proc, 100 ticks a second); undefined where unreadable. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function sumCpuMs(pids: readonly number[]): number | undefined {
  const each = pids.map(processCpuMs);
  return each.some((ms) => ms === undefined) ? undefined : each.reduce<number>((a, b) => a + b!, 0);
}

async function countAudit(url: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM query_audit')).rows[0].n));
}

async function readMarker(url: string): Promise<DataMarker | undefined> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [MARKER_TABLE]);
    if (!rows[0].exists) return undefined;
    const marker = await client.query<{ data: DataMarker }>(`SELECT data FROM ${MARKER_TABLE} LIMIT 1`);
    return marker.rows[0]?.data;
  });
}

interface MeasureTemplate {
  mi: number;
  k: number;
  code: string;
  category: string;
  text: unknown;
  implementing: string;
  cooperating: string[];
  legal_basis: unknown;
  explanation: unknown;
}

/**
 * Fills the bench database: the real schema (migrations), then rows made set-wise in
 * PostgreSQL. Every subject is an enterprise with one list entry in force (or, for 8 %,
 * one that ran out and awaits the scheduler) under one memorandum, and three of that
 * memorandum's measures on itself (so finance's JD-01 / TAX-04 / SID-02 / WA-02 / AGT-07
 * reach about a third of the subjects of those memoranda); 10 % also carry an ended
 * (repaired) entry with two ended tasks. One decision row per list entry.
 *
 * Made for speed: identifiers are computed in SQL, the tables are filled with no index
 * (primary keys included) by several sessions at once, then every index is built by sort,
 * again several at once, exactly as the migrations define it.
 */
async function generateData(url: string, subjects: number, today: string, progress: (line: string) => void): Promise<DataMarker> {
  const started = Date.now();
  await recreateSchema(url);
  const departments = new DepartmentRegistry((JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: Department[] }).departments);
  const ruleSet = loadRuleSet(join(ROOT, 'rules'), { knownDepartments: new Set(departments.all().map((d) => d.code)) });
  const memoranda = ruleSet.memoranda.filter((m) => MEMORANDUM_SHARES[m.id] !== undefined);
  const shares = memoranda.map((m) => MEMORANDUM_SHARES[m.id]);
  if (shares.reduce((a, b) => a + b, 0) !== 100) throw new Error(`memorandum shares do not add up to 100 (rules changed?): ${memoranda.map((m) => m.id).join(', ')}`);

  const memoRows = memoranda.map((m, mi) => ({
    mi,
    id: m.id,
    version: m.version,
    list_code: m.list.code,
    list_type: m.list.type,
    identifying: m.list.identifyingDepartment,
    document_number: m.documentNumber,
    nm: subjectMeasures(m).length,
    explanation: explanation(m, ruleSet.revision),
  }));
  const templates: MeasureTemplate[] = memoranda.flatMap((m, mi) =>
    subjectMeasures(m).map((measure, k) => ({
      mi,
      k,
      code: measure.code,
      category: measure.category,
      text: measure.text,
      implementing: measure.implementingDepartment,
      cooperating: measure.cooperatingDepartments ?? [],
      legal_basis: measure.legalBasis.map(recordLegalBasis),
      explanation: explanation(m, ruleSet.revision),
    })),
  );
  const buckets: number[] = [];
  memoranda.forEach((_, mi) => buckets.push(...new Array<number>(shares[mi]).fill(mi)));

  // PostgreSQL fills one table from one session on one core: the load and the index builds are split over sessions.
  const sessions = Math.min(4, Math.max(2, cpus().length));
  const clients = Array.from({ length: sessions }, () => new Client({ connectionString: url }));
  const [client] = clients;
  await Promise.all(clients.map((c) => c.connect()));
  const timed = async (label: string, run: () => Promise<number | null | void>) => {
    const t = Date.now();
    const rows = await run();
    progress(`  ${label}: ${typeof rows === 'number' ? `${fmt(rows)} rows, ` : ''}${fmt((Date.now() - t) / 1000)} s`);
  };
  try {
    for (const c of clients) {
      // Several sessions build at once, so none asks for parallel workers of its own.
      await c.query(`SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '128MB'; SET max_parallel_maintenance_workers = 0`);
    }
    await client.query(`CREATE TABLE bench_memo (mi int PRIMARY KEY, id text, version text, list_code text, list_type text, identifying text, document_number text, nm int, explanation jsonb)`);
    await client.query(`INSERT INTO bench_memo SELECT * FROM jsonb_populate_recordset(NULL::bench_memo, $1::jsonb)`, [JSON.stringify(memoRows)]);
    await client.query(`CREATE TABLE bench_measure (mi int, k int, code text, category text, text jsonb, implementing text, cooperating jsonb, legal_basis jsonb, explanation jsonb, PRIMARY KEY (mi, k))`);
    await client.query(`INSERT INTO bench_measure SELECT * FROM jsonb_populate_recordset(NULL::bench_measure, $1::jsonb)`, [JSON.stringify(templates)]);

    await timed('subjects (identifiers computed in SQL)', async () => {
      const { rowCount } = await client.query(
        `CREATE TABLE bench_subject AS
         SELECT n, id, (ARRAY[${buckets.join(',')}])[(n * 37) % 100 + 1] AS mi, ((n::bigint * 7919) % 700)::int AS start_day,
                (n * 31) % 100 < 8 AS expired, n % 10 = 3 AS history
         FROM (${subjectIdSql('generate_series(0, $1::int - 1) AS n')}) AS s`,
        [subjects],
      );
      await client.query(`ALTER TABLE bench_subject ADD PRIMARY KEY (n), ALTER COLUMN id SET NOT NULL, ALTER COLUMN mi SET NOT NULL`);
      return rowCount;
    });

    // Every index of the three tables, primary keys included, goes before the load and is rebuilt by sort after it.
    const { rows: indexes } = await client.query<{ table: string; name: string; definition: string; constraint: string | null }>(
      `SELECT i.tablename AS table, i.indexname AS name, i.indexdef AS definition, c.contype::text AS constraint
       FROM pg_indexes i LEFT JOIN pg_constraint c ON c.conname = i.indexname AND c.conrelid = format('public.%I', i.tablename)::regclass
       WHERE i.schemaname = 'public' AND i.tablename IN ('list_entry', 'measure_task', 'decision')`,
    );
    const other = indexes.filter((i) => i.constraint !== null && i.constraint !== 'p' && i.constraint !== 'u');
    if (other.length > 0) throw new Error(`unexpected constraints on bench tables (schema changed?): ${other.map((i) => i.name).join(', ')}`);
    for (const index of indexes) {
      await client.query(index.constraint ? `ALTER TABLE "${index.table}" DROP CONSTRAINT "${index.name}"` : `DROP INDEX "${index.name}"`);
    }

    const day = (expr: string) => `(DATE '${today}' + (${expr}))`;
    // In force: started 0–699 days ago, 730-day term (31–730 days left). Expired: ended 1–100 days ago.
    const validFrom = `CASE WHEN s.expired THEN ${day('-830 + (s.n % 100)')} ELSE ${day('-s.start_day')} END`;
    const validTo = `CASE WHEN s.expired THEN ${day('-100 + (s.n % 100)')} ELSE ${day('730 - s.start_day')} END`;
    const subjectName = `'利州区' || s.n || '号建材有限公司'`;
    const memoCount = memoRows.length;
    const slices = (parts: number) => Array.from({ length: parts }, (_, i) => [Math.floor((subjects * i) / parts), Math.floor((subjects * (i + 1)) / parts)] as const);
    const inSlice = ([from, to]: readonly [number, number]) => `s.n >= ${from} AND s.n < ${to}`;

    const loads: LoadJob[] = [
      ...slices(sessions).map((slice, i) => ({
        label: `measure_task (3 per subject, active) ${i + 1}/${sessions}`,
        counts: 'activeMeasures' as const,
        sql: `INSERT INTO measure_task (id, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, cooperating_departments, legal_basis,
                                        target_role, target_id_type, target_id, target_name, valid_from, valid_to, state, disputed, feedback_due_on, explanation, created_at)
              SELECT md5('t' || s.n || '-' || j)::uuid, md5('d' || s.n)::uuid, md5('le' || s.n)::uuid, m.id, t.code, t.category, t.text, t.implementing, t.cooperating, t.legal_basis,
                     'subject', 'USCC', s.id, ${subjectName}, ${validFrom}, ${validTo}, 'active', false, ${validFrom} + 7, t.explanation, now() - interval '1 day' * s.start_day
              FROM bench_subject s CROSS JOIN generate_series(0, 2) AS j JOIN bench_memo m ON m.mi = s.mi JOIN bench_measure t ON t.mi = s.mi AND t.k = (s.n + j) % m.nm
              WHERE ${inSlice(slice)}`,
      })),
      ...slices(2).map((slice, i) => ({
        label: `list_entry (current) ${i + 1}/2`,
        counts: 'listEntries' as const,
        sql: `INSERT INTO list_entry (id, decision_id, memorandum_id, memorandum_version, list_code, list_type, subject_kind, subject_id_type, subject_id, subject_name, reason,
                                      document_number, identifying_department, valid_from, valid_to, state, disputed, explanation, created_at)
              SELECT md5('le' || s.n)::uuid, md5('d' || s.n)::uuid, m.id, m.version, m.list_code, m.list_type, 'enterprise', 'USCC', s.id, ${subjectName}, 'bench-generated',
                     m.document_number, m.identifying, ${validFrom}, ${validTo}, 'active', s.n % 97 = 0, m.explanation, now() - interval '1 day' * s.start_day
              FROM bench_subject s JOIN bench_memo m ON m.mi = s.mi
              WHERE ${inSlice(slice)}`,
      })),
      // One per list entry, current and ended, made from the same subject rows as the entries (no wait for them).
      ...slices(2).map((slice, i) => ({
        label: `decision (one per list entry) ${i + 1}/2`,
        sql: `INSERT INTO decision (id, cause_event_source, cause_event_id, memorandum_id, memorandum_version, rule_set_revision, record, created_at)
              SELECT d.decision_id, '/departments/' || m.identifying, 'bench-' || d.entry_id, m.id, m.version, '${ruleSet.revision.replace(/'/g, "''")}',
                     jsonb_build_object('id', d.decision_id, 'memorandumId', m.id, 'generatedBy', 'bench', 'listEntries', jsonb_build_array(d.entry_id)), d.created_at
              FROM bench_subject s
              CROSS JOIN LATERAL (SELECT md5('d' || s.n)::uuid, md5('le' || s.n)::uuid, s.mi, now() - interval '1 day' * s.start_day
                                  UNION ALL
                                  SELECT md5('dh' || s.n)::uuid, md5('leh' || s.n)::uuid, (s.mi + 1) % ${memoCount}, now() - interval '1500 days' WHERE s.history) AS d(decision_id, entry_id, mi, created_at)
              JOIN bench_memo m ON m.mi = d.mi
              WHERE ${inSlice(slice)}`,
      })),
      {
        label: 'list_entry (history, ended)',
        counts: 'historyEntries' as const,
        sql: `INSERT INTO list_entry (id, decision_id, memorandum_id, memorandum_version, list_code, list_type, subject_kind, subject_id_type, subject_id, subject_name, reason,
                                      document_number, identifying_department, valid_from, valid_to, state, disputed, explanation, created_at, ended_at, end_reason)
              SELECT md5('leh' || s.n)::uuid, md5('dh' || s.n)::uuid, m.id, m.version, m.list_code, m.list_type, 'enterprise', 'USCC', s.id, ${subjectName}, 'bench-generated',
                     m.document_number, m.identifying, ${day('-1500')}, ${day('-770')}, 'ended', false, m.explanation, now() - interval '1500 days', now() - interval '900 days', 'repaired'
              FROM bench_subject s JOIN bench_memo m ON m.mi = (s.mi + 1) % ${memoCount} WHERE s.history`,
      },
      {
        label: 'measure_task (history, ended)',
        sql: `INSERT INTO measure_task (id, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, cooperating_departments, legal_basis,
                                        target_role, target_id_type, target_id, target_name, valid_from, valid_to, state, disputed, feedback_due_on, explanation, created_at, ended_at, end_reason)
              SELECT md5('th' || s.n || '-' || j)::uuid, md5('dh' || s.n)::uuid, md5('leh' || s.n)::uuid, m.id, t.code, t.category, t.text, t.implementing, t.cooperating, t.legal_basis,
                     'subject', 'USCC', s.id, ${subjectName}, ${day('-1500')}, ${day('-770')}, 'ended', false, ${day('-1493')}, t.explanation, now() - interval '1500 days', now() - interval '900 days', 'repaired'
              FROM bench_subject s CROSS JOIN generate_series(0, 1) AS j JOIN bench_memo m ON m.mi = (s.mi + 1) % ${memoCount}
                   JOIN bench_measure t ON t.mi = m.mi AND t.k = (s.n + j) % m.nm
              WHERE s.history`,
      },
    ];
    // The tables stay logged: UNLOGGED during the load then SET LOGGED was slower here, as on PostgreSQL 15 with
    // wal_level=replica SET LOGGED copies the table again, tuple by tuple, into the WAL (measured: 1.9 s + 2.3 s vs 2.0–2.7 s).
    const counted = { activeMeasures: 0, listEntries: 0, historyEntries: 0 };
    await timed(`load (${sessions} sessions)`, () =>
      inParallel(clients, loads, async (c, job) => {
        const t = Date.now();
        const { rowCount } = await c.query(job.sql);
        if (job.counts) counted[job.counts] += rowCount ?? 0;
        progress(`    ${job.label}: ${fmt(rowCount ?? 0)} rows, ${fmt((Date.now() - t) / 1000)} s`);
      }),
    );

    // Largest table first, so the last builds to finish are small ones.
    const order = ['measure_task', 'list_entry', 'decision'];
    const builds = [...indexes].sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table));
    await timed(`indexes (${builds.length}, ${sessions} sessions)`, () =>
      inParallel(clients, builds, async (c, index) => {
        const t = Date.now();
        await c.query(index.definition);
        progress(`    ${index.name}: ${fmt((Date.now() - t) / 1000)} s`);
      }),
    );
    for (const index of indexes.filter((i) => i.constraint)) {
      await client.query(`ALTER TABLE "${index.table}" ADD CONSTRAINT "${index.name}" ${index.constraint === 'p' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX "${index.name}"`);
    }
    await timed('ANALYZE', () => inParallel(clients, ['measure_task', 'list_entry', 'decision', 'query_audit'], async (c, table) => void (await c.query(`ANALYZE ${table}`))));

    const marker: DataMarker = {
      version: DATA_VERSION,
      subjects,
      ...counted,
      laidOutOn: today,
      generationSeconds: round((Date.now() - started) / 1000, 1),
      generatedAt: new Date().toISOString(),
    };
    // The subject table stays (it documents the identifiers); the templates go.
    await client.query(`DROP TABLE bench_memo, bench_measure`);
    await client.query(`CREATE TABLE ${MARKER_TABLE} (data jsonb NOT NULL)`);
    await client.query(`INSERT INTO ${MARKER_TABLE} (data) VALUES ($1)`, [JSON.stringify(marker)]);
    // SQL rows and request identifiers must agree: a sample of them, the first and the last included.
    const probe = [0, 1, 2, subjects - 1, ...Array.from({ length: 997 }, (_, i) => Math.floor((i * subjects) / 997))].filter((n) => n < subjects);
    const { rows } = await client.query<{ n: number; id: string }>(`SELECT n, id FROM bench_subject WHERE n = ANY($1::int[])`, [probe]);
    const wrong = rows.filter((r) => r.id !== subjectId(r.n));
    if (rows.length !== new Set(probe).size || wrong.length > 0) throw new Error(`generated subject identifiers do not match subjectId(n), e.g. n = ${wrong[0]?.n}`);
    return marker;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

interface LoadJob {
  label: string;
  sql: string;
  /** Which marker count the job's rows add to. */
  counts?: 'activeMeasures' | 'listEntries' | 'historyEntries';
}

/** Runs the jobs in order on whichever session is free; fails on the first failure. */
async function inParallel<T>(clients: readonly Client[], jobs: readonly T[], run: (client: Client, job: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < jobs.length) await run(client, jobs[next++]);
    }),
  );
}

/**
 * SQL for subjectId(n), as `id` beside the integer column `n` of `source`: the organisation
 * code in base 31, then the check character. The check is a weighted sum mod 31, so each
 * position's weight is read off the domain's own computeUsccCheckCharacter (a lone 1 at that
 * position): the SQL cannot drift from the code the app validates with, and the load is
 * probed against subjectId.
 */
function subjectIdSql(source: string): string {
  const weight = (position: number) => (31 - USCC_ALPHABET.indexOf(computeUsccCheckCharacter(`${'0'.repeat(position)}1${'0'.repeat(16 - position)}`))) % 31;
  const divisionWeight = (division: string) => [...division].reduce((sum, digit, i) => sum + Number(digit) * weight(2 + i), 0);
  // Digit j (least significant first) of the 9-character organisation code sits at position 16 - j.
  const digits = Array.from({ length: 9 }, (_, j) => j);
  const code = [...digits].reverse().map((j) => `substr('${USCC_ALPHABET}', d${j} + 1, 1)`).join(' || ');
  const sum = [
    `${USCC_ALPHABET.indexOf('9') * weight(0)}`,
    `(n % 3 + 1) * ${weight(1)}`,
    `(ARRAY[${DIVISIONS.map(divisionWeight).join(',')}])[n % ${DIVISIONS.length} + 1]`,
    ...digits.map((j) => `d${j} * ${weight(16 - j)}`),
  ].join(' + ');
  // OFFSET 0 keeps each level a level: the planner would otherwise inline x and the digits back into every use.
  return `SELECT n, '9' || (n % 3 + 1) || (ARRAY['${DIVISIONS.join("','")}'])[n % ${DIVISIONS.length} + 1] || ${code} || substr('${USCC_ALPHABET}', (31 - (${sum}) % 31) % 31 + 1, 1) AS id
          FROM (SELECT n, ${digits.map((j) => `(x / ${31 ** j} % 31)::int AS d${j}`).join(', ')}
                FROM (SELECT n, (n::bigint * 2654435761 + 97) % ${ORGANISATION_CODE_SPACE} AS x FROM ${source} OFFSET 0) AS code OFFSET 0) AS digits`;
}

/** Measures a memorandum applies to the listed organisation itself. */
function subjectMeasures(m: Memorandum) {
  return m.measures.filter((measure) => measure.targets.includes('subject') && measure.category !== 'publicity');
}

/** An explanation of the shape and size the planner writes (memorandum, rule, trace of its conditions). */
function explanation(m: Memorandum, revision: string): object {
  const rule = m.rules[0];
  return {
    schemaVersion: 1,
    memorandum: { id: m.id, version: m.version, documentNumber: m.documentNumber, title: m.title },
    rule: { name: rule.name, description: rule.description },
    ruleSetRevision: revision,
    causeEvent: { id: '00000000-0000-4000-8000-000000000000', source: `/departments/${m.list.identifyingDepartment}`, type: 'credit.list-entry.added.v1', time: '2026-01-01T08:00:00+08:00' },
    facts: { severity: 'serious', eventType: 'credit.list-entry.added.v1', listCode: m.list.code, sourceDepartment: m.list.identifyingDepartment, subjectKind: 'enterprise' },
    conditions: rule.conditions,
  };
}

function daysBetween(from: string, to: string): number {
  return Math.abs(Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function loadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

// autocannon ships no type declarations: the part of its programmatic API used here.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (request: { method: string; path: string; headers: Record<string, string> }, context: object) => object;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
}
interface AutocannonHistogram {
  average: number;
  mean: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
  totalCount: number;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: AutocannonHistogram;
  requests: AutocannonHistogram & { total: number; sent: number };
  statusCodeStats?: Record<string, { count: number }>;
}
function loadAutocannon(): (options: AutocannonOptions) => Promise<AutocannonResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;
}

export function formatCreditCheckTable(result: CreditCheckBenchResult): string {
  const l = result.load;
  const runs: [string, LoadFigures][] = [
    ['ours (query-api, Fastify)', l],
    ...(result.express ? [['query-api on Express (baseline)', result.express.load] as [string, LoadFigures]] : []),
    ...(result.bare ? [['bare node:http + pg (limit)', result.bare.load] as [string, LoadFigures]] : []),
  ];
  const out = [
    `${ENDPOINT}, ${result.options.connections} connections`,
    table(
      ['server', 'seconds', 'requests', 'rps', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'non-2xx', 'errors', 'CPU ms/check', 'PostgreSQL ms/check'],
      runs.map(([name, r]) => [name, fmt(r.seconds), fmt(r.requests), fmt(r.requestsPerSecond), fmt(r.latencyMs.p50), fmt(r.latencyMs.p90), fmt(r.latencyMs.p99), fmt(r.latencyMs.p999), fmt(r.latencyMs.max), fmt(r.non2xx), fmt(r.errors), fmt(r.cpuMsPerRequest.server, 3), fmt(r.cpuMsPerRequest.postgresBackends, 3)]),
    ),
    '',
    `data: ${fmt(result.data.subjects)} subjects, ${fmt(result.data.activeMeasures)} active measures, ${fmt(result.data.listEntries)} active list entries, ${fmt(result.data.historyEntries)} ended entries; ` +
      `${result.data.reused ? `reused (generated ${result.data.generatedAt} in ${fmt(result.data.generationSeconds)} s)` : `generated in ${fmt(result.data.generationSeconds)} s`}; ` +
      `tables ${Object.entries(result.data.tableMb).map(([t, mb]) => `${t} ${fmt(mb)} MB`).join(', ')}`,
    `sample of ${result.sample.checks} checks: ${result.sample.record} with a record, outcomes ${JSON.stringify(result.sample.outcomes)}; ${fmt(l.auditRowsWritten)} query_audit rows written during the load`,
    `CPU per check: query-api ${fmt(l.cpuMsPerRequest.server, 3)} ms, PostgreSQL backends ${fmt(l.cpuMsPerRequest.postgresBackends, 3)} ms, autocannon ${fmt(l.cpuMsPerRequest.loadGenerator, 3)} ms`,
    ...(result.express ? [`ours ÷ Express baseline (rps): ${fmt(result.expressRatio)}×; Express peak RSS ${fmt(result.express.peakRssMb)} MB`] : []),
    ...(result.bare ? [`bare probe: the same answers as ours for ${result.bare.sameAnswers} checks compared before the load; ${fmt(result.bare.load.auditRowsWritten)} query_audit rows written; ours ÷ bare probe (rps): ${fmt(result.bareShare)} %`] : []),
    ...result.failures.map((f) => `${f.run}: FAILED — ${f.error.split('\n')[0]}`),
    `query-api peak RSS ${fmt(result.queryApi.peakRssMb)} MB; load average at start / end ${result.environment.loadAverage.map((n) => n.toFixed(2)).join(' ')} (${result.environment.cpus} CPUs, autocannon in the bench process on the same machine)`,
    '',
    formatGoals(result.goals),
  ];
  return out.join('\n');
}

export const CREDIT_CHECK_DEFAULTS = {
  subjects: 1_000_000,
  durationSeconds: 20,
  warmupSeconds: 5,
  connections: 50,
  /** Read when the section runs: the bench may have started an embedded server by then. */
  get databaseUrl(): string {
    if (process.env.BENCH_CHECK_DATABASE_URL) return process.env.BENCH_CHECK_DATABASE_URL;
    const base = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
    return withDatabase(base, `${databaseName(base)}_check`);
  },
};
