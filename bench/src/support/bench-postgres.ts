import { resolve } from 'node:path';
import { EmbeddedPostgresServer } from '@app/persistence';
import { DEFAULT_BENCH_DATABASE_URL, withClient, withDatabase } from './bench-database';

/** Where the bench's own PostgreSQL listens when the machine has none (the apps' embedded one uses 54320). */
export const EMBEDDED_BENCH_PORT = 54329;

/**
 * The database server the benchmarks use: BENCH_DATABASE_URL when set, else the local
 * PostgreSQL on 5432 when it answers, else an embedded PostgreSQL (real binaries from npm,
 * the same as `npm start` uses) kept in .cache/bench-postgres, so `npm run bench` works on
 * a machine with nothing installed. Returns how to stop what it started.
 */
export async function ensureBenchPostgres(progress: (line: string) => void): Promise<() => Promise<void>> {
  if (process.env.BENCH_DATABASE_URL) return async () => undefined;
  if (await answers(withDatabase(DEFAULT_BENCH_DATABASE_URL, 'postgres'))) return async () => undefined;
  progress(`no PostgreSQL answers on 127.0.0.1:5432 and BENCH_DATABASE_URL is not set: starting an embedded one on ${EMBEDDED_BENCH_PORT} (.cache/bench-postgres)…`);
  const server = await EmbeddedPostgresServer.start({ dataDir: resolve('.cache/bench-postgres'), port: EMBEDDED_BENCH_PORT, user: 'postgres', password: 'postgres', ifAlreadyRunning: 'stop' });
  process.env.BENCH_DATABASE_URL = server.url('credit_engine_bench');
  return () => server.stop();
}

/** Whether a PostgreSQL server accepts a connection at `url`. */
async function answers(url: string): Promise<boolean> {
  return withClient(url, async () => true).catch(() => false);
}
