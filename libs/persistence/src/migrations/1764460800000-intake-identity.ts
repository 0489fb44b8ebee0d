import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the intake needs to answer every resubmission truthfully: the content hash of each
 * accepted event (same id, other content is EVENT.ID_REUSED), `received` receipts written by
 * the ingest in Kafka mode before it produces, and the CloudEvents identity on dead letters
 * so a sender can look a refused event up by (source, id).
 */
export class IntakeIdentity1764460800000 implements MigrationInterface {
  name = 'IntakeIdentity1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inbound_event" ADD "content_hash" text`);
    await queryRunner.query(`ALTER TABLE "dead_letter" ADD "source" text, ADD "event_id" text`);
    await queryRunner.query(`CREATE INDEX "ix_dead_letter_event" ON "dead_letter" ("source", "event_id") WHERE source IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_dead_letter_event"`);
    await queryRunner.query(`ALTER TABLE "dead_letter" DROP COLUMN "source", DROP COLUMN "event_id"`);
    await queryRunner.query(`ALTER TABLE "inbound_event" DROP COLUMN "content_hash"`);
  }
}
