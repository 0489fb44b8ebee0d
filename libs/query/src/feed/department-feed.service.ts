import { Injectable } from '@nestjs/common';
import { FeedRepository } from '@app/persistence';
import { AUDITED_ENDPOINTS, normaliseUserId, QueryAuditService, Reader } from '../audit/query-audit.service';
import { pageLimit, sequenceCursor } from '../paging/page-request';

export interface FeedPage {
  department: string;
  records: (Record<string, unknown> & { cursor: string })[];
  /** Pass as `after` to read on; equals the request's cursor when nothing new arrived. */
  nextCursor: string;
}

export const MAX_FEED_PAGE = 500;

/**
 * A department follows what is addressed to it from a cursor, like a Kafka consumer from an
 * offset. A page that names subjects is logged, with them, before it is returned.
 */
@Injectable()
export class DepartmentFeedService {
  constructor(
    private readonly feed: FeedRepository,
    private readonly audit: QueryAuditService,
  ) {}

  async read(department: string, afterCursor?: string, pageSize?: number, userId?: string): Promise<FeedPage> {
    // Refused before reading: a header the audit row cannot hold fails the request, not its log.
    normaliseUserId(userId);
    const after = sequenceCursor(afterCursor);
    const limit = pageLimit(pageSize, { fallback: 100, max: MAX_FEED_PAGE });
    const rows = await this.feed.readAfter(department, after, limit);
    const page: FeedPage = {
      department,
      // Beside the cursor, the W3C traceparent of the request behind the record's decision, when known.
      records: rows.map((row) => ({ cursor: row.seq, ...(row.traceparent ? { traceparent: row.traceparent } : {}), ...row.payload })),
      nextCursor: rows.length > 0 ? rows[rows.length - 1].seq : after,
    };
    const reader: Reader = { department, userId };
    return this.audit.logRead(reader, AUDITED_ENDPOINTS.feed, page, page.records.length, `feed after ${after}`);
  }
}
