import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root, from dist/bench/src/support (compiled) or bench/src/support (ts). */
export const ROOT = [resolve(__dirname, '../../../..'), resolve(__dirname, '../../..')].find((dir) => existsSync(join(dir, 'scripts/node-app.js'))) ?? process.cwd();
export const NODE_APP = join(ROOT, 'scripts/node-app.js');

const live = new Set<ChildProcess>();
let hooked = false;

/** Children are killed when the bench exits, however it exits (error, Ctrl-C, SIGTERM). */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export interface ChildAppOptions {
  /** Label for messages. */
  name: string;
  /** Compiled entry under dist/, e.g. dist/apps/decision-engine/src/main.js. */
  entry: string;
  env: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** IPC channel (for bench-owned children that report progress). */
  ipc?: boolean;
}

/**
 * A compiled app or bench worker run as its own Node process through scripts/node-app.js,
 * which loads the entry in the same process: `pid` is the node process that runs the app
 * (no wrapper), so /proc/<pid>/status describes the app itself.
 */
export class ChildApp {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.capture(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.capture(chunk));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    child.once('exit', () => live.delete(child));
  }

  static spawn(options: ChildAppOptions): ChildApp {
    hookExit();
    const entry = join(ROOT, options.entry);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), NODE_APP, entry], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    return new ChildApp(options.name, child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.output;
  }

  /** Polls GET <url> until it answers 2xx; fails early if the process exits. */
  async waitUntilHealthy(url: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited with ${this.child.exitCode ?? this.child.signalCode} before it was healthy:\n${this.output.slice(-4000)}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`${this.name} not healthy at ${url} within ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.running && this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Peak and current resident set size of the process, in MB, from /proc/<pid>/status (Linux). */
  memory(): { peakRssMb: number; rssMb: number } | undefined {
    return procMemory(this.pid);
  }

  private capture(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-100_000);
  }
}

export function procMemory(pid: number): { peakRssMb: number; rssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakRssMb: round(kb('VmHWM') / 1024, 1), rssMb: round(kb('VmRSS') / 1024, 1) };
  } catch {
    return undefined;
  }
}

/** The command line of a process (to check that the pid read really is the app). */
export function procCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function fmt(value: number | undefined | null, digits?: number): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return String(value ?? '—');
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
}

export interface Goal {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export function formatGoals(goals: readonly Goal[]): string {
  return ['goals:', ...goals.map((goal) => `  ${goal.met ? 'MET    ' : 'NOT MET'}  ${goal.name}: target ${goal.target}, measured ${goal.measured}`)].join('\n');
}

/** A plain left/right-aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
