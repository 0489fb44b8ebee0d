import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What this deployment sends its peers (市区失信信息互通): a copy of each event of a linked
 * memorandum, per peer, written in the transaction that decided it, so a copy exists exactly when
 * the decision does; the exchange relay marks it published once the Kafka transaction that
 * carried it has committed. One copy per peer and event, whichever engine stores it.
 */
export class ExchangeOutbox1765900000001 implements MigrationInterface {
  name = 'ExchangeOutbox1765900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "exchange_outbox" (
        "seq" bigserial PRIMARY KEY,
        "peer" text NOT NULL,
        "event_source" text NOT NULL,
        "event_id" text NOT NULL,
        "relayed_event_id" uuid NOT NULL,
        "event" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz,
        CONSTRAINT "uq_exchange_outbox_peer_event" UNIQUE ("peer", "event_source", "event_id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_exchange_outbox_unpublished" ON "exchange_outbox" ("seq") WHERE "published_at" IS NULL`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "exchange_outbox" TO credit_engine_app`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE "exchange_outbox_seq_seq" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "exchange_outbox"`);
  }
}
