import { MigrationInterface, QueryRunner } from 'typeorm';
import { CreditEvent, eventContentHash } from '@app/domain';

const BATCH = 1000;

/**
 * Events accepted before content hashes were kept get theirs, so that an id reused with other
 * content is refused (EVENT.ID_REUSED) for them too instead of passing as a duplicate. The stored
 * envelope is the validated event, so it hashes as it did when it arrived.
 */
export class ContentHashOfEarlierEvents1764806400000 implements MigrationInterface {
  name = 'ContentHashOfEarlierEvents1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (let after = '0'; ; ) {
      const rows: { seq: string; envelope: CreditEvent }[] = await queryRunner.query(
        `SELECT seq::text AS seq, envelope FROM inbound_event WHERE content_hash IS NULL AND seq > $1 ORDER BY inbound_event.seq LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) return;
      await queryRunner.query(
        `UPDATE inbound_event e SET content_hash = h.hash FROM jsonb_to_recordset($1::jsonb) AS h(seq bigint, hash text) WHERE e.seq = h.seq`,
        [JSON.stringify(rows.map((row) => ({ seq: row.seq, hash: eventContentHash(row.envelope) })))],
      );
      after = rows[rows.length - 1].seq;
    }
  }

  async down(): Promise<void> {
    // Hashes of earlier events are as true as the later ones: nothing to undo.
  }
}
