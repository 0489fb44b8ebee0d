import { loadavg } from 'node:os';
import { Client } from 'pg';
import { AuditChainService } from '@app/query';
import { AuditChainRepository, dataSourceOptions } from '@app/persistence';
import { DataSource } from 'typeorm';
import { DEFAULT_BENCH_DATABASE_URL, databaseName, ensureDatabase, recreateSchema, withClient, withDatabase } from './support/bench-database';
import { fmt, round, table } from './support/child-app';

/**
 * The price of the hash chain on the check path: the audit INSERT every check makes, into
 * query_audit (BEFORE INSERT trigger: lock the chain head until commit, hash, update the head)
 * and into a copy of the table without the chain (what it was before), side by side in one
 * run, alternating, at several numbers of concurrent connections. Then audit:verify's walk.
 */
export interface AuditChainBenchOptions {
  seconds: number;
  concurrency: number[];
  rounds: number;
  databaseUrl: string;
  onProgress: (line: string) => void;
}

export interface AuditChainBenchResult {
  loadAverage: number[];
  inserts: { connections: number; plainPerSecond: number; chainedPerSecond: number; ratio: number }[];
  verify: { rows: number; seconds: number; rowsPerSecond: number; intact: boolean };
}

export const AUDIT_CHAIN_DEFAULTS = {
  seconds: 4,
  concurrency: [1, 4, 16],
  rounds: 2,
  get databaseUrl(): string {
    const base = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
    return withDatabase(base, `${databaseName(base)}_audit`);
  },
};

const INSERT = (tableName: string) =>
  `INSERT INTO ${tableName} (at, department, user_id, purpose, approval_item, subject_id, endpoint, result_count)
   VALUES ($1, 'tax', 'clerk-7', NULL, 'tax-services', '91350200776049653A', 'GET /v1/subjects/:id/check', 2) RETURNING id`;

export async function benchAuditChain(options: AuditChainBenchOptions): Promise<AuditChainBenchResult> {
  const { databaseUrl: url, onProgress: progress } = options;
  await ensureDatabase(url);
  await recreateSchema(url);
  await withClient(url, async (client) => {
    // The table as it was before the chain: same columns, indexes and defaults, a sequence of its own, no triggers.
    await client.query(`CREATE TABLE query_audit_plain (LIKE query_audit INCLUDING DEFAULTS INCLUDING INDEXES)`);
    await client.query(`ALTER TABLE query_audit_plain DROP COLUMN chain_lane, DROP COLUMN prev_hash, DROP COLUMN hash`);
    await client.query(`CREATE SEQUENCE query_audit_plain_id_seq OWNED BY query_audit_plain.id`);
    await client.query(`ALTER TABLE query_audit_plain ALTER id SET DEFAULT nextval('query_audit_plain_id_seq')`);
  });

  const measure = async (tableName: string, connections: number): Promise<number> => {
    const clients = await Promise.all(Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      return client;
    }));
    try {
      const deadline = Date.now() + options.seconds * 1000;
      const counts = await Promise.all(clients.map(async (client) => {
        let n = 0;
        while (Date.now() < deadline) {
          await client.query({ name: `insert-${tableName}`, text: INSERT(tableName), values: [new Date().toISOString()] });
          n++;
        }
        return n;
      }));
      return counts.reduce((a, b) => a + b, 0) / options.seconds;
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  };

  const inserts: AuditChainBenchResult['inserts'] = [];
  for (const connections of options.concurrency) {
    let plain = 0;
    let chained = 0;
    // Alternating, so drift on the shared machine falls on both alike.
    for (let round_ = 0; round_ < options.rounds; round_++) {
      plain += await measure('query_audit_plain', connections);
      chained += await measure('query_audit', connections);
    }
    const row = { connections, plainPerSecond: round(plain / options.rounds, 0), chainedPerSecond: round(chained / options.rounds, 0), ratio: round(chained / plain, 2) };
    progress(`${connections} connection(s): ${fmt(row.plainPerSecond)} inserts/s without the chain, ${fmt(row.chainedPerSecond)} with it (×${row.ratio})`);
    inserts.push(row);
  }

  const dataSource = await new DataSource(dataSourceOptions(url, { extra: { max: 1 } })).initialize();
  try {
    const started = process.hrtime.bigint();
    const report = await new AuditChainService(new AuditChainRepository(dataSource)).verify();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const verify = { rows: report.rows, seconds: round(seconds, 2), rowsPerSecond: round(report.rows / seconds, 0), intact: report.intact };
    progress(`audit:verify walked ${fmt(verify.rows)} rows in ${verify.seconds} s (${report.intact ? 'intact' : 'BROKEN'})`);
    return { loadAverage: loadavg().map((l) => round(l, 2)), inserts, verify };
  } finally {
    await dataSource.destroy();
  }
}

export function formatAuditChainTable(result: AuditChainBenchResult): string {
  return [
    table(
      ['connections', 'inserts/s without chain', 'inserts/s with chain', 'ratio'],
      result.inserts.map((r) => [String(r.connections), fmt(r.plainPerSecond), fmt(r.chainedPerSecond), `×${r.ratio}`]),
    ),
    `audit:verify: ${fmt(result.verify.rows)} rows in ${result.verify.seconds} s (${fmt(result.verify.rowsPerSecond)} rows/s), ${result.verify.intact ? 'chain intact' : 'chain BROKEN'}`,
    `load average at the end: ${result.loadAverage.join(', ')}`,
  ].join('\n');
}
