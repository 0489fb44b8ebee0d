import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event keeps the request id and W3C traceparent of the request (or Kafka message) that
 * brought it, and its decisions take them from it when they are stored: an operator follows a
 * request into its decisions and the records sent about them. Null on rows from before.
 */
export class TraceContext1765497600000 implements MigrationInterface {
  name = 'TraceContext1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inbound_event" ADD COLUMN "request_id" text, ADD COLUMN "traceparent" text`);
    await queryRunner.query(`ALTER TABLE "decision" ADD COLUMN "request_id" text, ADD COLUMN "traceparent" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decision" DROP COLUMN "traceparent", DROP COLUMN "request_id"`);
    await queryRunner.query(`ALTER TABLE "inbound_event" DROP COLUMN "traceparent", DROP COLUMN "request_id"`);
  }
}
