import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export type AppName = 'ingest-api' | 'decision-engine' | 'query-api' | 'console' | 'exchange-bridge';

/**
 * A compiled app started as its own process, the way an operator runs it (`npm test`
 * builds dist/ first). Output is kept for the failure message; SIGKILL is available for
 * crash tests.
 */
export class AppProcess {
  private output = '';
  private exited?: Promise<number | null>;

  private constructor(
    readonly name: AppName,
    readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.capture(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.capture(chunk));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static async start(name: AppName, env: Record<string, string>, port: number, timeoutMs = 60_000): Promise<AppProcess> {
    const portVariable = { 'ingest-api': 'INGEST_PORT', 'decision-engine': 'ENGINE_PORT', 'query-api': 'QUERY_PORT', console: 'CONSOLE_PORT', 'exchange-bridge': 'EXCHANGE_BRIDGE_PORT' }[name];
    const child = spawn(process.execPath, [resolve(ROOT, 'scripts/node-app.js'), resolve(ROOT, `dist/apps/${name}/src/main.js`)], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', RULES_RELOAD_INTERVAL_MS: '0', ...env, [portVariable]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(name, child, `http://127.0.0.1:${port}`);
    await app.waitUntilHealthy(timeoutMs);
    return app;
  }

  get log(): string {
    return this.output;
  }

  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.output.slice(-4000)}`);
      try {
        if ((await fetch(`${this.baseUrl}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // Not left running behind the failed test (an app stuck after its boot failure would otherwise outlive the run).
    this.child.kill('SIGKILL');
    throw new Error(`${this.name} not healthy within ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
  }

  /** SIGTERM and wait (graceful), or SIGKILL for a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }

  private capture(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-200_000);
  }
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The three apps of the embedded setup (ingest, engine, query), each on a free port, started together. */
export async function startEmbeddedApps(env: Record<string, string>): Promise<[ingest: AppProcess, engine: AppProcess, query: AppProcess]> {
  return Promise.all([
    freePort().then((port) => AppProcess.start('ingest-api', env, port)),
    freePort().then((port) => AppProcess.start('decision-engine', env, port)),
    freePort().then((port) => AppProcess.start('query-api', env, port)),
  ]);
}
