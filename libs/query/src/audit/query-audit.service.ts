import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Clock } from '@app/domain';
import { AUDITED_ENDPOINTS, AuditedEndpoint, QueryAuditRepository, QueryAuditRow } from '@app/persistence';
import { CLOCK } from '@app/engine';
import { QueryError } from '../query.errors';
import { subjectsNamedIn } from './subjects-named';
import { pageLimit, sequenceCursor } from '../paging/page-request';

/** Every route whose answer carries personal data, as its audit rows name it. */
// Declared beside query_audit's repository, which types the endpoints it counts.
export { AUDITED_ENDPOINTS };
export type { AuditedEndpoint };

export interface QueryAuditRecord {
  department: string;
  userId?: string | null;
  purpose?: string | null;
  approvalItem?: string | null;
  subjectId?: string | null;
  subjectIdType?: string | null;
  /** Full identifiers of the subjects the answer names (see subjectsNamedIn). */
  subjects: string[];
  endpoint: AuditedEndpoint;
  resultCount: number;
}

/** Who reads, as the HTTP edge knows them: the authenticated department and the clerk's `X-User-Id`. */
export interface Reader {
  department: string;
  userId?: string;
}

export interface QueryAuditQuery {
  from?: string;
  to?: string;
  after?: string;
  limit?: number;
}

export interface QueryAuditPage {
  department: string;
  queries: (Omit<QueryAuditRow, 'id' | 'department' | 'at'> & { cursor: string; at: string })[];
  /** Pass as `after` to read on; equals the request's cursor when nothing new was logged. */
  nextCursor: string;
}

export const MAX_AUDIT_PAGE = 500;
const MAX_USER_ID = 64;
export const AUDIT_LIST_ENDPOINT = AUDITED_ENDPOINTS.auditLog;

/**
 * Every department query of credit data is logged (time, department, user, purpose or
 * approval item, subject, every subject the answer names) before it is answered, and kept for
 * the retention period (at least five years: Shenzhen regulation art. 45). A department reads
 * back its own log only.
 */
@Injectable()
export class QueryAuditService {
  constructor(
    private readonly audit: QueryAuditRepository,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Writes the log entry; callers await it before responding, so an unlogged answer is never sent. */
  async record(entry: QueryAuditRecord): Promise<QueryAuditRow> {
    return this.audit.record({
      at: this.clock.now(),
      department: entry.department,
      userId: normaliseUserId(entry.userId),
      purpose: entry.purpose ?? null,
      approvalItem: entry.approvalItem ?? null,
      subjectId: entry.subjectId ?? null,
      subjectIdType: entry.subjectIdType ?? null,
      subjects: [...new Set(entry.subjects)].sort(),
      endpoint: entry.endpoint,
      resultCount: entry.resultCount,
    });
  }

  /**
   * Logs a read that returned `answer` (its subjects as subjectsNamedIn finds them) and returns
   * the answer: a read's service ends with `return audit.logRead(…)`, so an answer whose audit
   * row failed is never returned. An empty answer (a poll of a feed or a task list that found
   * nothing new) read no personal data and is not logged.
   */
  async logRead<T>(reader: Reader, endpoint: Exclude<AuditedEndpoint, typeof AUDITED_ENDPOINTS.creditCheck>, answer: T, resultCount: number, purpose?: string): Promise<T> {
    if (resultCount > 0) await this.record({ department: reader.department, userId: reader.userId, purpose, subjects: subjectsNamedIn(answer), endpoint, resultCount });
    return answer;
  }

  /** The calling department's own queries; reading the log (it names subjects) is itself logged. */
  async listOwn(department: string, userId: string | undefined, query: QueryAuditQuery): Promise<QueryAuditPage> {
    const after = sequenceCursor(query.after);
    const limit = pageLimit(query.limit, { fallback: 100, max: MAX_AUDIT_PAGE });
    const from = parseInstant('from', query.from);
    const to = parseInstant('to', query.to);
    if (from && to && from >= to) throw new QueryError('AUDIT.BAD_TIME_RANGE', 'from must be before to', { from: query.from, to: query.to });

    const rows = await this.audit.listForDepartment(department, { from, to, afterId: after, limit });
    const page: QueryAuditPage = {
      department,
      queries: rows.map(({ id, at, department: _, ...rest }) => ({ cursor: id, at: new Date(at).toISOString(), ...rest })),
      nextCursor: rows.length > 0 ? rows[rows.length - 1].id : after,
    };
    // Always logged, even empty: reading the log is itself a query, and names the subjects of the rows read.
    await this.record({ department, userId, purpose: 'review own query log', subjects: subjectsNamedIn(page), endpoint: AUDIT_LIST_ENDPOINT, resultCount: rows.length });
    return page;
  }
}

/** `X-User-Id`: the clerk's account in the department's own system; optional, short, printable. */
export function normaliseUserId(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const value = raw.trim();
  if (value === '') return null;
  // eslint-disable-next-line no-control-regex
  if (value.length > MAX_USER_ID || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new QueryError('AUDIT.BAD_USER_ID', `X-User-Id must be at most ${MAX_USER_ID} printable characters`, { length: value.length });
  }
  return value;
}

/** An ISO date-time, or a date meaning its start in China (UTC+8). */
function parseInstant(name: string, raw: string | undefined): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00+08:00` : raw;
  const instant = /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(instant.getTime())) {
    throw new QueryError('AUDIT.BAD_TIME_RANGE', `${name} must be an ISO date (YYYY-MM-DD, China time) or date-time`, { [name]: raw.slice(0, 40) });
  }
  return instant;
}
