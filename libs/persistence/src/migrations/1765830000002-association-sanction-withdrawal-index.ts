import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sanction an association withdrew (credit.association.sanction.withdrawn.v1) leaves every
 * self-discipline record: each reader of a subject's sanctions looks for its withdrawals, found
 * by this partial index among all events without a scan.
 */
export class AssociationSanctionWithdrawalIndex1765830000002 implements MigrationInterface {
  name = 'AssociationSanctionWithdrawalIndex1765830000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_inbound_event_sanction_withdrawal" ON "inbound_event" ("subject_id") WHERE type = 'credit.association.sanction.withdrawn.v1'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_inbound_event_sanction_withdrawal"`);
  }
}
