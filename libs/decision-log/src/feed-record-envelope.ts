/**
 * How a record is addressed and stored (a feed_record row): one department, the decision and
 * cause it belongs to, and the subject key its topic is partitioned by. `payload` is what the
 * department receives; `kind` repeats the payload's so the outbox can route without parsing it.
 */
export interface FeedRecordEnvelope<R extends { kind: string }> {
  recordId: string;
  department: string;
  kind: R['kind'];
  decisionId: string;
  /**
   * Kafka key and ce_subject: the subject's identifier, or the decision id when the subject is a
   * natural person the department does not act on (see recipients.ts).
   */
  subjectId: string;
  /** `<source>/<event id>` of the event behind the record, or the scheduler run's key. */
  causeKey: string;
  payload: R;
}
