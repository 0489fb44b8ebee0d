import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';

/**
 * The credit check's limit probe: a bare `node:http` server with a `pg` pool that answers
 * GET /v1/subjects/:id/check with the statement the query API runs (the same text, the same
 * twelve parameters, the same named prepared statement per connection, the same pool size),
 * so each check reads the same rows and inserts the same query_audit row through the same
 * hash-chain trigger, committed (synchronous_commit as the server has it) before the answer,
 * and answers the same JSON body.
 *
 * It skips what is the query API's own work: Nest and Express routing, guards and
 * interceptors, the bearer-token lookup (the department is fixed), identifier validation
 * (requests carry valid USCCs), purpose and user-id checks, metrics, helmet's headers and
 * Express's ETag. Every skip only removes work while the database does the same, so its
 * throughput bounds the query API's from above on the same machine and data.
 *
 * Run as a child process by the credit-check benchmark (settings in BENCH_BARE_CHECK, built
 * by bareCheckEnvironment from the query API's own catalogue).
 */
export interface BareCheckSettings {
  databaseUrl: string;
  host: string;
  port: number;
  /** The query API's pool size. */
  poolSize: number;
  /** The department the bench's token stands for. */
  department: string;
  /** The query API's statement and its prepared-statement name. */
  sql: string;
  statementName: string;
  endpoint: string;
  item: { code: string; name: unknown; measures: string[] };
  listNames: Record<string, unknown>;
  departmentNames: Record<string, unknown>;
  outcomeOfCategory: Record<string, string | null>;
  outcomePrecedence: string[];
}

interface CheckRow {
  refused: boolean;
  checkId: string | null;
  entries: EntryRow[];
  measures: MeasureRow[];
  record: boolean;
}

interface EntryRow {
  listCode: string;
  listType: string;
  memorandumId: string;
  memorandumVersion: string;
  identifyingDepartment: string;
  reason: string | null;
  documentNumber: string;
  validFrom: string;
  validTo: string;
  disputed: boolean;
  subjectKind: string;
  subjectName: string;
}

interface MeasureRow {
  measureCode: string;
  category: string;
  text: unknown;
  legalBasis: unknown;
  implementingDepartment: string;
  cooperatingDepartments: string[];
  targetRole: string;
  targetName: string | null;
  validFrom: string;
  validTo: string;
  disputed: boolean;
  decisionId: string;
  memorandumId: string;
  explanation: { memorandum: { id?: string; version?: string; documentNumber?: string } | null; rule: unknown; ruleSetRevision: unknown };
  listEntry: { listCode: string; subjectKind: string; subjectId: string; subjectName: string; disputed: boolean } | null;
}

/** How the bench tells the probe's PostgreSQL backends from the query API's (CPU per check). */
export const BARE_CHECK_APPLICATION_NAME = 'bench-bare-check';

const CHECK_PATH = /^\/v1\/subjects\/([^/?]+)\/check(?:\?(.*))?$/;

export function bareCheckEnvironment(settings: BareCheckSettings): Record<string, string> {
  return { BENCH_BARE_CHECK: JSON.stringify(settings) };
}

export function startBareCheckServer(settings: BareCheckSettings): { close: () => Promise<void> } {
  const pool = new Pool({ connectionString: settings.databaseUrl, max: settings.poolSize, application_name: BARE_CHECK_APPLICATION_NAME });
  const clear = settings.outcomePrecedence.indexOf('clear');
  const outcome = (measures: readonly MeasureRow[]) => {
    let best = clear;
    for (const m of measures) {
      const o = settings.outcomeOfCategory[m.category];
      if (o) best = Math.min(best, settings.outcomePrecedence.indexOf(o));
    }
    return settings.outcomePrecedence[best];
  };

  const check = async (subject: string, query: URLSearchParams, userId: string | null): Promise<object> => {
    const now = new Date();
    const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const { rows } = await pool.query<CheckRow>({
      name: settings.statementName,
      text: settings.sql,
      // A group of one: the probe does not gather concurrent checks (ours does, so ours may pass it).
      values: [
        JSON.stringify([
          { ord: 0, subject_id: subject, id_type: 'USCC', today, department: settings.department, measure_codes: settings.item.measures, at: now.toISOString(), user_id: userId, purpose: query.get('purpose')?.trim() || null, approval_item: settings.item.code, endpoint: settings.endpoint, burst_limit: null, burst_endpoints: [settings.endpoint], platform: true, history: false },
        ]),
      ],
    });
    const { checkId, entries, measures, record } = rows[0];
    const department = settings.department;
    return {
      checkId,
      checkedAt: now.toISOString(),
      asOf: today,
      department,
      approvalItem: { code: settings.item.code, name: settings.item.name },
      subject: { id: subject, idType: 'USCC', kind: entries[0]?.subjectKind ?? null, name: entries[0]?.subjectName ?? measures[0]?.targetName ?? null },
      record,
      outcome: outcome(measures),
      listMemberships: entries.map((e) => ({
        list: { code: e.listCode, type: e.listType, name: settings.listNames[e.listCode] ?? null },
        memorandum: { id: e.memorandumId, version: e.memorandumVersion },
        identifyingDepartment: { code: e.identifyingDepartment, name: settings.departmentNames[e.identifyingDepartment] ?? null },
        reason: e.reason,
        documentNumber: e.documentNumber,
        validFrom: e.validFrom,
        validTo: e.validTo,
        disputed: e.disputed,
      })),
      measures: measures.map((m) => ({
        code: m.measureCode,
        category: m.category,
        text: m.text,
        legalBasis: m.legalBasis,
        implementingDepartment: m.implementingDepartment,
        cooperatingDepartments: m.cooperatingDepartments,
        yourRole: m.implementingDepartment === department ? 'implementing' : 'cooperating',
        target: { role: m.targetRole, via: m.targetRole !== 'subject' && m.listEntry ? { list: m.listEntry.listCode, kind: m.listEntry.subjectKind, id: m.listEntry.subjectId, name: m.listEntry.subjectName } : null },
        validFrom: m.validFrom,
        validTo: m.validTo,
        disputed: m.disputed || m.listEntry?.disputed === true,
        explanation: {
          decisionId: m.decisionId,
          memorandum: m.explanation.memorandum
            ? { id: m.explanation.memorandum.id, version: m.explanation.memorandum.version, documentNumber: m.explanation.memorandum.documentNumber }
            : { id: m.memorandumId },
          rule: m.explanation.rule ?? null,
          ruleSetRevision: m.explanation.ruleSetRevision ?? null,
        },
      })),
    };
  };

  const reply = (res: ServerResponse, status: number, body: object) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url === '/health') return reply(res, 200, { status: 'ok' });
    const match = req.method === 'GET' ? CHECK_PATH.exec(url) : null;
    if (!match) return reply(res, 404, { error: { code: 'NOT_FOUND' } });
    const query = new URLSearchParams(match[2] ?? '');
    if (query.get('approvalItem') !== settings.item.code) return reply(res, 400, { error: { code: 'CHECK.UNKNOWN_APPROVAL_ITEM' } });
    const user = req.headers['x-user-id'];
    check(decodeURIComponent(match[1]), query, typeof user === 'string' && user.trim() !== '' ? user.trim() : null).then(
      (body) => reply(res, 200, body),
      (error: unknown) => reply(res, 500, { error: { code: 'INTERNAL', message: (error as Error).message } }),
    );
  });
  server.keepAliveTimeout = 65_000;
  server.listen(settings.port, settings.host);
  return {
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await pool.end();
    },
  };
}

// Started as a process by the credit-check benchmark.
if (process.argv[1] === __filename && process.env.BENCH_BARE_CHECK) {
  const server = startBareCheckServer(JSON.parse(process.env.BENCH_BARE_CHECK) as BareCheckSettings);
  process.once('SIGTERM', () => void server.close().finally(() => process.exit(0)));
}
