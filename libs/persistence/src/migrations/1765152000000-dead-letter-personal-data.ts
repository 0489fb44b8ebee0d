import { MigrationInterface, QueryRunner } from 'typeorm';
import { deadLetterClearColumns } from '../dead-letter-columns';

const BATCH = 500;

/**
 * Dead letters stop keeping the message in clear: new rows carry it sealed (AES-256-GCM, see
 * DeadLetterCipher) next to a masked preview. Rows from before are masked here rather than
 * sealed at the next start: a migration has no configuration (no key), sealing at start-up would
 * leave clear text until some app with a key and UPDATE rights came up, and the message each row
 * kept is still on the Kafka dead-letter topic for its retention (90 days) for a replay.
 * Dropping `raw` frees its text only once PostgreSQL rewrites the table (README: VACUUM FULL).
 */
export class DeadLetterPersonalData1765152000000 implements MigrationInterface {
  name = 'DeadLetterPersonalData1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "dead_letter" ADD "preview" text, ADD "size_bytes" integer, ADD "event_type" text, ADD "department" text, ADD "key_id" text, ADD "sealed" bytea`,
    );
    for (let after = '0'; ; ) {
      const rows: { id: string; raw: string; topic: string | null; source: string | null }[] = await queryRunner.query(
        `SELECT id::text AS id, raw, topic, source FROM dead_letter WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      const masked = rows.map((row) => {
        const clear = deadLetterClearColumns(row.raw, row.topic, row.source);
        return { id: row.id, preview: clear.preview, size_bytes: clear.sizeBytes, event_type: clear.eventType, department: clear.department };
      });
      await queryRunner.query(
        `UPDATE dead_letter d SET preview = m.preview, size_bytes = m.size_bytes, event_type = m.event_type, department = m.department
         FROM jsonb_to_recordset($1::jsonb) AS m(id bigint, preview text, size_bytes int, event_type text, department text) WHERE d.id = m.id`,
        [JSON.stringify(masked)],
      );
      after = rows[rows.length - 1].id;
    }
    await queryRunner.query(`ALTER TABLE "dead_letter" DROP COLUMN "raw", ALTER "preview" SET NOT NULL, ALTER "size_bytes" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "dead_letter" ADD CONSTRAINT "ck_dead_letter_sealed_with_key" CHECK ((key_id IS NULL) = (sealed IS NULL))`);
    await queryRunner.query(`CREATE INDEX "ix_dead_letter_department" ON "dead_letter" ("department", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The messages themselves are not restored: the masked ones are gone, the sealed ones need the app's key.
    await queryRunner.query(`DROP INDEX "ix_dead_letter_department"`);
    await queryRunner.query(`ALTER TABLE "dead_letter" DROP CONSTRAINT "ck_dead_letter_sealed_with_key"`);
    await queryRunner.query(`ALTER TABLE "dead_letter" ADD "raw" text`);
    await queryRunner.query(`UPDATE "dead_letter" SET raw = preview`);
    await queryRunner.query(
      `ALTER TABLE "dead_letter" ALTER "raw" SET NOT NULL, DROP COLUMN "preview", DROP COLUMN "size_bytes", DROP COLUMN "event_type", DROP COLUMN "department", DROP COLUMN "key_id", DROP COLUMN "sealed"`,
    );
  }
}
