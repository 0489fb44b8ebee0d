/**
 * A dead_letter row as every repository reads it: what operators and its department see
 * without opening the body (the sealed body and its key are read only to open it).
 */
export interface DeadLetterRow {
  id: string;
  receivedAt: Date;
  errorCode: string;
  message: string;
  violations: unknown[];
  eventType: string | null;
  source: string | null;
  eventId: string | null;
  topic: string | null;
  partition: number | null;
  offset: string | null;
  department: string | null;
  sizeBytes: number;
  preview: string;
  /** sealed: the body is kept encrypted; masked: stored before bodies were sealed, only the preview was kept. */
  body: 'sealed' | 'masked';
}

/** The SELECT list of DeadLetterRow; the query names dead_letter `dl` (and orders by `dl.id`: the output `id` is text). */
export const DEAD_LETTER_COLUMNS = `dl.id::text AS id, dl.received_at AS "receivedAt", dl.error_code AS "errorCode", dl.message, dl.violations,
  dl.event_type AS "eventType", dl.source, dl.event_id AS "eventId", dl.topic, dl.partition, dl.kafka_offset AS "offset", dl.department,
  dl.size_bytes AS "sizeBytes", dl.preview, CASE WHEN dl.sealed IS NULL THEN 'masked' ELSE 'sealed' END AS body`;
