import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEAD_LETTER_COLUMNS, DeadLetterRow } from '../columns/dead-letter.columns';
import { DeadLetterCipher, SealContext } from '../dead-letter-cipher';
import { deadLetterClearColumns } from '../dead-letter-columns';

export interface DeadLetterInput {
  errorCode: string;
  message: string;
  violations?: unknown[];
  /** The message as received: sealed before it is stored, only a masked preview stays in clear. */
  raw: string;
  topic?: string;
  partition?: number;
  offset?: string;
  /** CloudEvents identity, when the refused message carried a readable source and id. */
  source?: string;
  eventId?: string;
}

/** One row of dead_letter, the sealed body included. */
export interface DeadLetterRecord extends DeadLetterRow {
  keyId: string | null;
  sealed: Buffer | null;
}

/** Which dead letters a reader sees: those of its department, and (the credit office) those of no known department. */
export interface DeadLetterScope {
  department: string;
  /** Registered department codes; set for a reader that also sees dead letters no department can be told for. */
  unownedExcept?: readonly string[];
}

/**
 * PostgreSQL text and jsonb cannot hold NUL, and jsonb refuses unpaired surrogates: a refused
 * message is often refused for carrying them, and must still be kept (with U+FFFD in their place).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function storable(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replace(UNSTORABLE, '\ufffd') : value;
}

const storableText = (value: string | undefined): string | null => (value === undefined ? null : value.replace(UNSTORABLE, '\ufffd'));

@Injectable()
export class DeadLetterRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: DeadLetterCipher,
  ) {}

  async record(letters: DeadLetterInput[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (letters.length === 0) return;
    const rows = letters.map((l) => {
      // Sealed for the row exactly as stored, so that the row's columns open it again.
      const context: SealContext = { department: null, source: storableText(l.source), eventId: storableText(l.eventId), topic: storableText(l.topic), partition: l.partition ?? null, offset: storableText(l.offset) };
      const clear = deadLetterClearColumns(l.raw, context.topic, context.source);
      const { keyId, sealed } = this.cipher.seal(l.raw, { ...context, department: clear.department });
      return {
        error_code: l.errorCode,
        message: l.message,
        violations: l.violations ?? [],
        preview: clear.preview,
        size_bytes: clear.sizeBytes,
        event_type: clear.eventType,
        department: clear.department,
        key_id: keyId,
        sealed: sealed.toString('base64'),
        topic: context.topic,
        partition: context.partition,
        kafka_offset: context.offset,
        source: context.source,
        event_id: context.eventId,
      };
    });
    await manager.query(
      `INSERT INTO dead_letter (error_code, message, violations, preview, size_bytes, event_type, department, key_id, sealed, topic, partition, kafka_offset, source, event_id)
       SELECT error_code, message, violations, preview, size_bytes, event_type, department, key_id, decode(sealed, 'base64'), topic, partition, kafka_offset, source, event_id
       FROM jsonb_to_recordset($1::jsonb) AS x(error_code text, message text, violations jsonb, preview text, size_bytes int, event_type text, department text, key_id text, sealed text,
         topic text, partition int, kafka_offset text, source text, event_id text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows, storable)],
    );
  }

  /** One dead letter with its sealed body, or undefined. */
  async find(id: string): Promise<DeadLetterRecord | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${DEAD_LETTER_COLUMNS}, dl.key_id AS "keyId", dl.sealed FROM dead_letter dl WHERE dl.id = $1`, [id]);
    return row;
  }

  /** The body as received; throws DeadLetterCipherError when it cannot be opened, undefined for a masked row. */
  open(row: DeadLetterRecord): string | undefined {
    if (row.sealed === null || row.keyId === null) return undefined;
    return this.cipher.open(
      { keyId: row.keyId, sealed: row.sealed },
      { department: row.department, source: row.source, eventId: row.eventId, topic: row.topic, partition: row.partition, offset: row.offset },
    );
  }

  /** Dead letters in the scope after a cursor (the id), oldest first. */
  async list(scope: DeadLetterScope, afterId: string, limit: number): Promise<DeadLetterRow[]> {
    const unowned = scope.unownedExcept !== undefined;
    return this.dataSource.query(
      `SELECT ${DEAD_LETTER_COLUMNS} FROM dead_letter dl
       WHERE dl.id > $1 AND (dl.department = $2 OR ($3 AND (dl.department IS NULL OR NOT dl.department = ANY($4::text[]))))
       ORDER BY dl.id LIMIT $5`,
      [afterId, scope.department, unowned, scope.unownedExcept ?? [], limit],
    );
  }
}
