import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface DeadLetterInput {
  errorCode: string;
  message: string;
  violations?: unknown[];
  raw: string;
  topic?: string;
  partition?: number;
  offset?: string;
  /** CloudEvents identity, when the refused message carried a readable source and id. */
  source?: string;
  eventId?: string;
}

/**
 * PostgreSQL text and jsonb cannot hold NUL, and jsonb refuses unpaired surrogates: a refused
 * message is often refused for carrying them, and must still be kept (with U+FFFD in their place).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function storable(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replace(UNSTORABLE, '\ufffd') : value;
}

@Injectable()
export class DeadLetterRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(letters: DeadLetterInput[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (letters.length === 0) return;
    await manager.query(
      `INSERT INTO dead_letter (error_code, message, violations, raw, topic, partition, kafka_offset, source, event_id)
       SELECT error_code, message, violations, raw, topic, partition, kafka_offset, source, event_id
       FROM jsonb_to_recordset($1::jsonb) AS x(error_code text, message text, violations jsonb, raw text, topic text, partition int, kafka_offset text, source text, event_id text)
       ON CONFLICT DO NOTHING`,
      [
        JSON.stringify(
          letters.map((l) => ({
            error_code: l.errorCode,
            message: l.message,
            violations: l.violations ?? [],
            raw: l.raw,
            topic: l.topic ?? null,
            partition: l.partition ?? null,
            kafka_offset: l.offset ?? null,
            source: l.source ?? null,
            event_id: l.eventId ?? null,
          })),
          storable,
        ),
      ],
    );
  }

  async latest(limit: number): Promise<{ errorCode: string; message: string; topic: string | null; partition: number | null; offset: string | null; source: string | null; eventId: string | null; receivedAt: Date }[]> {
    return this.dataSource.query(
      `SELECT error_code AS "errorCode", message, topic, partition, kafka_offset AS "offset", source, event_id AS "eventId", received_at AS "receivedAt"
       FROM dead_letter ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }
}
