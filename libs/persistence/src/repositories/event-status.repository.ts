import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { causeKeyOf } from '@app/domain';
import { DEAD_LETTER_COLUMNS, DeadLetterRow } from '../columns/dead-letter.columns';
import { FEED_RECORD_COLUMNS, FeedRecordRow } from '../columns/feed-record.columns';

/** An accepted event as its sender may see it: no payload, only what happened to it. */
export interface AcceptedEventRow {
  type: string;
  /** pending (waiting in the inbox) or processed; `received` when Kafka-mode ingest accepted it and the engine has not yet. */
  status: string;
  transport: string;
  receivedAt: Date;
  processedAt: Date | null;
  outcome: Record<string, unknown> | null;
  requestId: string | null;
  traceparent: string | null;
}

export interface EventEffectRows {
  decisions: { id: string; memorandumId: string }[];
  records: FeedRecordRow[];
}

/** Reads behind GET /v1/events/{source}/{id}: the event's row, what it caused, and any dead letter of it. */
@Injectable()
export class EventStatusRepository {
  constructor(private readonly dataSource: DataSource) {}

  async accepted(source: string, eventId: string): Promise<AcceptedEventRow | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT type, status, transport, received_at AS "receivedAt", processed_at AS "processedAt", outcome, request_id AS "requestId", traceparent
       FROM inbound_event WHERE source = $1 AND event_id = $2`,
      [source, eventId],
    );
    return row;
  }

  async effects(source: string, eventId: string): Promise<EventEffectRows> {
    const [decisions, records] = await Promise.all([
      this.dataSource.query(`SELECT id, memorandum_id AS "memorandumId" FROM decision WHERE cause_event_source = $1 AND cause_event_id = $2 ORDER BY memorandum_id`, [source, eventId]),
      this.dataSource.query(
        `SELECT ${FEED_RECORD_COLUMNS} FROM feed_record f WHERE f.cause_key = $1 ORDER BY f.seq`,
        [causeKeyOf(source, eventId)],
      ),
    ]);
    return { decisions, records };
  }

  /** Dead letters whose raw message named this source and id (the latest first). */
  async deadLetters(source: string, eventId: string): Promise<DeadLetterRow[]> {
    return this.dataSource.query(
      `SELECT ${DEAD_LETTER_COLUMNS} FROM dead_letter dl WHERE dl.source = $1 AND dl.event_id = $2 ORDER BY dl.id DESC LIMIT 10`,
      [source, eventId],
    );
  }
}
