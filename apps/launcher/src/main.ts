import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { loadAppConfig } from '@app/config';
import { EmbeddedPostgresServer } from '@app/persistence';

/**
 * `npm start`: the whole product on one machine with nothing installed. Starts an embedded
 * PostgreSQL (data kept in .data/postgres across restarts) unless DATABASE_URL is given,
 * then the four apps as separate processes, and prints where to reach them.
 */
const APPS = ['ingest-api', 'decision-engine', 'query-api', 'console'] as const;
const EMBEDDED_PORT = 54320;

async function main(): Promise<void> {
  const config = loadAppConfig();
  let postgres: EmbeddedPostgresServer | undefined;
  // The apps' start-up chatter (route maps) would bury the URLs; LOG_LEVEL=log brings it back.
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', ...process.env };
  if (!process.env.DATABASE_URL) {
    console.log('starting embedded PostgreSQL (.data/postgres)…');
    postgres = await EmbeddedPostgresServer.start({ dataDir: resolve('.data/postgres'), port: EMBEDDED_PORT, user: 'postgres', password: 'postgres' });
    await postgres.ensureDatabase('credit_engine');
    env.DATABASE_URL = postgres.url('credit_engine');
  }

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children.values()) child.kill('SIGTERM');
    await Promise.all([...children.values()].map((child) => new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)))));
    await postgres?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const app of APPS) {
    const child = fork(resolve('scripts/node-app.js'), [resolve(`dist/apps/${app}/src/main.js`)], { env, stdio: 'inherit' });
    children.set(app, child);
    child.once('exit', (code) => {
      if (stopping) return;
      console.error(`${app} exited (code ${code}); stopping the others`);
      void stop(code || 1);
    });
  }

  await Promise.all([
    waitForHealth(`http://127.0.0.1:${config.INGEST_PORT}/health`),
    waitForHealth(`http://127.0.0.1:${config.ENGINE_PORT}/health`),
    waitForHealth(`http://127.0.0.1:${config.QUERY_PORT}/health`),
    waitForHealth(`http://127.0.0.1:${config.CONSOLE_PORT}/health`),
  ]);
  console.log(
    [
      '',
      `Credit joint reward-and-punishment engine is running (transport: ${config.TRANSPORT === 'kafka' ? `Kafka at ${config.KAFKA_BROKERS}` : 'PostgreSQL inbox'})`,
      `  ingest API      http://127.0.0.1:${config.INGEST_PORT}/v1/events   (departments publish credit events)`,
      `  query API       http://127.0.0.1:${config.QUERY_PORT}/v1/feed     (departments follow their decisions)`,
      `  decision engine http://127.0.0.1:${config.ENGINE_PORT}/health`,
      `  policy console  http://127.0.0.1:${config.CONSOLE_PORT}/          (policy staff and the credit office sign in)`,
      `  database        ${redact(env.DATABASE_URL!)}`,
      'Development tokens: dev-<department-code>-token (see config/departments.json).',
      'Console users: editor, approver, office, auditor; password dev-<name>-password. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000}s`);
}

function redact(url: string): string {
  return url.replace(/:\/\/([^:@]+):[^@]*@/, '://$1:***@');
}

main().catch((error: unknown) => {
  console.error(`launcher failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
