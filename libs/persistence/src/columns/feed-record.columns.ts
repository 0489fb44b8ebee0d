import type { FeedRecordKind } from '@app/decision-log';

/** A feed_record row as every repository reads it, without its payload (which readers take parsed or as text). */
export interface FeedRecordRow {
  /** The department's cursor: a bigint, as text. */
  seq: string;
  recordId: string;
  department: string;
  kind: FeedRecordKind;
  subjectId: string;
  createdAt: Date;
  /** When the Kafka relay put it on the department's topic; null in the embedded mode or not yet. */
  publishedAt: Date | null;
}

/** The SELECT list of FeedRecordRow; the query names feed_record `f` (and orders by `f.seq`: the output `seq` is text). */
export const FEED_RECORD_COLUMNS = `f.seq::text AS seq, f.record_id AS "recordId", f.department, f.kind, f.subject_id AS "subjectId",
  f.created_at AS "createdAt", f.published_at AS "publishedAt"`;
